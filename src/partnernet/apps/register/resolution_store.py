"""The register's prepared basis kept on disk, so a new worker's first import is not cold.

A worker process keeps the prepared register between imports (``register_features``). A new
process — a restarted worker, the first ``partnernet import`` of the day — would read and
normalise every source row again (≈ 20 s at 100,000 rows). Instead it loads the basis the last
process saved (``engines.resolution.register_store``) and brings it up to date like a worker
brings up its own: rows whose id and version (content hash and first-seen time) still match
keep their normalised row, the rows appended since are normalised and added, anything else
(a merge moved rows, rows were removed or changed) is re-counted from the kept rows. The
store never decides that a row is unchanged: every row is compared with the database on
every use, so a stale store costs time, never correctness.

Where: ``settings.RESOLUTION_STORE_DIR`` if set (empty: no store), else the
``PARTNERNET_RESOLUTION_STORE`` environment variable, else ``resolution/`` in the data
folder; one file per database. An in-memory SQLite database (tests) keeps none: it dies with
the process. What is saved is decided by :func:`save_if_behind`.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection

from partnernet.engines.resolution.records import CompanyRecord
from partnernet.engines.resolution.register_store import (
    RegisterBasis,
    basis_of,
    load_basis,
    save_basis,
)

log = logging.getLogger(__name__)

# A store this many rows behind the register (rows appended since it was saved) is saved
# again; fewer are normalised on a cold start (≈ 0.2 ms a row) rather than writing ~40 MB
# after every import. Rows changed, moved or removed since the save: always saved again
# (re-counting the statistics costs more than a save).
STORE_LAG_ROWS = 2000
STORE_FORMAT = 1

# What each store file holds as far as this process knows (loaded or saved by it): its records.
_ON_DISK: dict[Path, list[CompanyRecord]] = {}


def store_dir() -> Path | None:
    configured = getattr(settings, "RESOLUTION_STORE_DIR", None)
    if configured is None:
        configured = os.environ.get("PARTNERNET_RESOLUTION_STORE")
    if configured is None:
        return Path(settings.DATA_DIR) / "resolution"
    return Path(configured) if str(configured) else None


def _database() -> dict[str, str]:
    db = connection.settings_dict
    return {
        "vendor": connection.vendor,
        "name": str(db.get("NAME") or ""),
        "host": str(db.get("HOST") or ""),
        "port": str(db.get("PORT") or ""),
    }


def store_path() -> Path | None:
    """The store file of the current database, or None (no store)."""
    folder = store_dir()
    database = _database()
    in_memory = database["vendor"] == "sqlite" and (
        database["name"] in ("", ":memory:") or "mode=memory" in database["name"]
    )
    if folder is None or in_memory:
        return None
    digest = hashlib.sha256("\x1f".join(database.values()).encode()).hexdigest()[:16]
    return folder / f"register-{digest}.store"


def _key() -> dict[str, Any]:
    return {"format": STORE_FORMAT, "database": _database()}


def load() -> RegisterBasis | None:
    """The saved basis of this database's register, or None (the reason is logged)."""
    path = store_path()
    if path is None:
        return None
    started = time.perf_counter()
    basis, why = load_basis(path, key=_key())
    if basis is None:
        # A missing store is the first run; anything else is worth a look.
        (log.info if why == "no store yet" else log.warning)(
            "prepared register store %s not used: %s", path, why
        )
        _ON_DISK.pop(path, None)
        return None
    log.info(
        "prepared register store %s: %d rows loaded in %.2f s",
        path,
        len(basis.records),
        time.perf_counter() - started,
    )
    _ON_DISK[path] = basis.records
    return basis


def _same(a: CompanyRecord, b: CompanyRecord) -> bool:
    return a is b or (
        a.record_id == b.record_id
        and a.company_id == b.company_id
        and a.extra.get("version") is not None
        and a.extra.get("version") == b.extra.get("version")
    )


def behind(saved: Sequence[CompanyRecord], current: Sequence[CompanyRecord]) -> int | None:
    """How many rows ``current`` has appended to ``saved``; None when rows of ``saved``
    changed, moved to another company or went."""
    if len(saved) > len(current):
        return None
    for old, new in zip(saved, current, strict=False):
        if not _same(old, new):
            return None
    return len(current) - len(saved)


def save_if_behind(features: Any) -> bool:
    """Save the basis of ``features`` (the register as just prepared) when the store lags:
    none known, rows of it changed/moved/removed, or more than ``STORE_LAG_ROWS`` appended.
    A failed write is logged, never raised: the store only saves time."""
    path = store_path()
    if path is None:
        return False
    saved = _ON_DISK.get(path)
    lag = behind(saved, features.records) if saved is not None else None
    if lag is not None and lag <= STORE_LAG_ROWS:
        return False
    started = time.perf_counter()
    try:
        size = save_basis(basis_of(features), path, key=_key())
    except (OSError, ValueError, TypeError) as error:
        log.warning("prepared register store %s not saved: %s", path, error)
        return False
    _ON_DISK[path] = list(features.records)
    log.info(
        "prepared register store %s: %d rows saved (%.1f MB) in %.2f s",
        path,
        len(features.records),
        size / 1e6,
        time.perf_counter() - started,
    )
    return True


def discard() -> None:
    """Remove this database's store. Needed only by code that rewrites a row's canonical
    record in place without changing its content hash (nothing does today): every other
    change is seen by comparing rows with the database."""
    path = store_path()
    if path is None:
        return
    _ON_DISK.pop(path, None)
    with contextlib.suppress(FileNotFoundError):
        path.unlink()
