"""A prepared register kept in a file, so that a new process does not prepare it again.

Preparing a 100,000-row register costs a pass over every record: read and normalise it
(``base_row``), count the word statistics, group identical rows. That part does not change
when a list is appended, and it is what this module keeps: the **basis** of a preparation —
the records (id, company, the caller's version of their content), their unweighted feature
rows, the statistics and the groups of identical rows. Weighting and the Arrow table are not
kept: one appended row changes every word's weight, so they are redone on every preparation
anyway (``SplinkResolver.prepare_register(records, previous=basis)``, which extends the
statistics and groups by the rows appended since and re-normalises rows whose content
changed; the result equals a fresh preparation).

A record is restored with only ``extra={"version": …}``: the caller passes a restored record
again only for a row whose content still has that version, so its kept row is reused; any
other record is normalised afresh. The store itself never decides that a row is unchanged.

The file: a header line, a JSON line (``key``: whatever the caller says the store must match,
and the feature code's fingerprint; the body's length and CRC-32), then the body, a pickle of
plain lists, dicts, tuples, sets, strings and numbers. It is read with an unpickler that
refuses every class and function, so a damaged or planted file cannot run code; a missing,
truncated, corrupt or mismatched file loads as ``None`` with the reason. Writes go to a
temporary file in the same folder, renamed over the old one: two processes writing at once
leave one whole file, and a reader sees either the old file or the new one.
"""

from __future__ import annotations

import contextlib
import gc
import io
import json
import os
import pickle
import tempfile
import time
import zlib
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from partnernet.engines.resolution.features import TokenStats
from partnernet.engines.resolution.records import CompanyRecord
from partnernet.engines.resolution.version import feature_fingerprint

MAGIC = b"partnernet prepared register 1\n"
# Temporary files older than this are left by a writer that died: removed on the next write.
STALE_TEMP_SECONDS = 3600


@dataclass
class RegisterBasis:
    """The part of a prepared register that costs a pass over every record (see module doc).

    ``prepare_register(records, previous=basis)`` accepts it where it accepts a
    ``RegisterFeatures``."""

    records: list[CompanyRecord]
    rows: list[dict[str, Any]]
    stats: TokenStats
    groups: dict[tuple[Any, ...], list[dict[str, Any]]]


def basis_of(features: Any) -> RegisterBasis:
    """The basis of a ``RegisterFeatures`` (shares its objects; nothing is copied)."""
    return RegisterBasis(features.records, features.rows, features.stats, features.groups)


def _stats_state(stats: TokenStats) -> dict[str, Any]:
    state: dict[str, Any] = {}
    counters = []
    for f in fields(TokenStats):
        value = getattr(stats, f.name)
        if isinstance(value, Counter):
            counters.append(f.name)
            value = dict(value)
        state[f.name] = value
    return {"fields": state, "counters": counters}


def _stats_from(state: Mapping[str, Any]) -> TokenStats:
    values = dict(state["fields"])
    if set(values) != {f.name for f in fields(TokenStats)}:
        raise ValueError("the statistics have other fields than the current code's")
    for name in state["counters"]:
        values[name] = Counter(values[name])
    return TokenStats(**values)


def _body(basis: RegisterBasis) -> bytes:
    records = basis.records
    payload = {
        "ids": [r.record_id for r in records],
        "companies": [r.company_id for r in records],
        "versions": [r.extra.get("version") for r in records],
        "rows": basis.rows,
        "groups": basis.groups,
        "stats": _stats_state(basis.stats),
    }
    return pickle.dumps(payload, protocol=5)


def save_basis(basis: RegisterBasis, path: Path, *, key: Mapping[str, Any]) -> int:
    """Write ``basis`` to ``path`` atomically; returns the bytes written.

    ``key``: JSON-able values the store must match when loaded (the feature code's
    fingerprint is added). Record versions must be JSON-able scalars or strings."""
    collecting = gc.isenabled()
    gc.disable()  # a pass over 100,000 rows' objects; nothing here forms cycles
    try:
        body = _body(basis)
    finally:
        if collecting:
            gc.enable()
    header = {
        "key": {**key, "features": feature_fingerprint()},
        "length": len(body),
        "crc32": zlib.crc32(body),
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    _remove_stale_temps(path)
    fd, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(MAGIC)
            handle.write(json.dumps(header, sort_keys=True).encode() + b"\n")
            handle.write(body)
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise
    return len(MAGIC) + len(body)


def _remove_stale_temps(path: Path) -> None:
    now = time.time()
    for temp in path.parent.glob(f".{path.name}.*.tmp"):
        try:
            if now - temp.stat().st_mtime > STALE_TEMP_SECONDS:
                temp.unlink()
        except OSError:
            pass  # another writer renamed or removed it


class _PlainUnpickler(pickle.Unpickler):
    """Builds only the built-in containers and scalars: no class, no function."""

    def find_class(self, module: str, name: str) -> Any:
        raise pickle.UnpicklingError(f"the store names {module}.{name}: refused")


def load_basis(path: Path, *, key: Mapping[str, Any]) -> tuple[RegisterBasis | None, str]:
    """The basis kept in ``path`` if it is whole and made for ``key`` and the current feature
    code, else ``(None, why not)``."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None, "no store yet"
    except OSError as error:
        return None, f"unreadable: {error}"
    if not data.startswith(MAGIC):
        return None, "not a store of this format"
    end = data.find(b"\n", len(MAGIC))
    try:
        header = json.loads(data[len(MAGIC) : end])
        expected = {**key, "features": feature_fingerprint()}
        if header["key"] != json.loads(json.dumps(expected, sort_keys=True)):
            return None, "made for another register or feature code"
        body = memoryview(data)[end + 1 :]
        if len(body) != header["length"] or zlib.crc32(body) != header["crc32"]:
            return None, "truncated or corrupt"
    except (ValueError, KeyError, TypeError) as error:
        return None, f"unreadable header: {error}"
    collecting = gc.isenabled()
    gc.disable()  # a million small objects, none in a cycle
    try:
        payload = _PlainUnpickler(io.BytesIO(body)).load()
        ids, companies, versions = payload["ids"], payload["companies"], payload["versions"]
        if not len(ids) == len(companies) == len(versions) == len(payload["rows"]):
            raise ValueError("records and rows differ in number")
        records = [
            CompanyRecord(record_id=i, company_id=c, extra={"version": v})
            for i, c, v in zip(ids, companies, versions, strict=True)
        ]
        basis = RegisterBasis(
            records, payload["rows"], _stats_from(payload["stats"]), payload["groups"]
        )
    except (pickle.UnpicklingError, ValueError, KeyError, TypeError, EOFError) as error:
        return None, f"corrupt body: {error}"
    finally:
        if collecting:
            gc.enable()
    return basis, "loaded"
