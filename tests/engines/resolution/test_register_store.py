"""A prepared register's basis kept in a file: loaded and brought up to date, it equals a fresh
preparation; a damaged, foreign or planted file is refused, never half-used."""

from __future__ import annotations

import json
import pickle
import zlib
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from partnernet.engines.resolution import register_store
from partnernet.engines.resolution.linker import SplinkResolver
from partnernet.engines.resolution.records import CompanyRecord
from partnernet.engines.resolution.register_store import basis_of, load_basis, save_basis

from .test_register_features import ADDED, FIRST, _records, _same

KEY = {"database": "test"}


def _versioned(rows: list[dict[str, Any]], **kw: Any) -> list[CompanyRecord]:
    """Records with a version of their content, as the register gives them."""
    return [replace(r, extra={"version": f"{r.name}|{r.websites}"}) for r in _records(rows, **kw)]


def _as_caller_would(loaded: list[CompanyRecord], current: list[CompanyRecord]) -> list[Any]:
    """The register passed again: a restored record where the row's version still matches
    (with its company now), the current record otherwise."""
    kept = {r.record_id: r for r in loaded}
    out = []
    for record in current:
        old = kept.get(record.record_id)
        if old is not None and old.extra["version"] == record.extra["version"]:
            out.append(replace(old, company_id=record.company_id))
        else:
            out.append(record)
    return out


@pytest.fixture(scope="module")
def resolver() -> SplinkResolver:
    return SplinkResolver(threads=1)


def test_loaded_and_grown_equals_fresh(resolver: SplinkResolver, tmp_path: Path) -> None:
    path = tmp_path / "register.store"
    first = _versioned(FIRST)
    save_basis(basis_of(resolver.prepare_register(first)), path, key=KEY)
    loaded, why = load_basis(path, key=KEY)
    assert loaded is not None and why == "loaded"
    assert [r.record_id for r in loaded.records] == [r.record_id for r in first]
    assert "canonical" not in loaded.records[0].extra  # only the version is kept
    both = _versioned(FIRST + ADDED)
    grown = resolver.prepare_register(_as_caller_would(loaded.records, both), previous=loaded)
    _same(grown, resolver.prepare_register(both))
    assert grown.prepared.members["2"] == ["2", "4", "8"]


def test_loaded_and_changed_equals_fresh(resolver: SplinkResolver, tmp_path: Path) -> None:
    """Saved, then a row went, a row changed (new version) and a merge moved a row."""
    path = tmp_path / "register.store"
    save_basis(basis_of(resolver.prepare_register(_versioned(FIRST + ADDED))), path, key=KEY)
    loaded, _ = load_basis(path, key=KEY)
    assert loaded is not None
    changed = [dict(r) for r in FIRST + ADDED if r["id"] != "3"]
    changed[0]["website"] = "jet.ru"
    current = _versioned(changed, companies={"7": "c1", "9": "c5"})
    passed = _as_caller_would(loaded.records, current)
    assert passed[0] is current[0]  # the changed row is not taken from the store
    updated = resolver.prepare_register(passed, previous=loaded)
    _same(updated, resolver.prepare_register(current))
    assert updated.rows[0]["domains"] == ["jet.ru"]


def test_a_store_for_another_key_or_feature_code_is_refused(
    resolver: SplinkResolver, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "register.store"
    save_basis(basis_of(resolver.prepare_register(_versioned(FIRST))), path, key=KEY)
    assert load_basis(path, key={"database": "other"})[0] is None
    monkeypatch.setattr(register_store, "feature_fingerprint", lambda: "2-changed")
    basis, why = load_basis(path, key=KEY)
    assert basis is None and "feature code" in why


def test_damaged_files_are_refused(resolver: SplinkResolver, tmp_path: Path) -> None:
    path = tmp_path / "register.store"
    assert load_basis(path, key=KEY) == (None, "no store yet")
    save_basis(basis_of(resolver.prepare_register(_versioned(FIRST))), path, key=KEY)
    whole = path.read_bytes()
    path.write_bytes(whole[: len(whole) - 100])  # a copy cut short
    assert load_basis(path, key=KEY) == (None, "truncated or corrupt")
    flipped = bytearray(whole)
    flipped[-50] ^= 0xFF
    path.write_bytes(bytes(flipped))
    assert load_basis(path, key=KEY) == (None, "truncated or corrupt")
    path.write_bytes(b"something else entirely")
    assert load_basis(path, key=KEY)[0] is None


def test_a_planted_pickle_cannot_run_code(tmp_path: Path) -> None:
    """A body naming a function (here ``os.system``) with a valid header is refused."""
    path = tmp_path / "register.store"
    body = pickle.dumps(Planted(), protocol=5)
    header = {
        "key": {**KEY, "features": register_store.feature_fingerprint()},
        "length": len(body),
        "crc32": zlib.crc32(body),
    }
    path.write_bytes(register_store.MAGIC + json.dumps(header).encode() + b"\n" + body)
    basis, why = load_basis(path, key=KEY)
    assert basis is None and "refused" in why


class Planted:
    def __reduce__(self) -> tuple[Any, ...]:
        import os

        return (os.system, ("echo planted",))


def test_a_failed_write_leaves_the_old_store_and_no_temporary_file(
    resolver: SplinkResolver, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "register.store"
    save_basis(basis_of(resolver.prepare_register(_versioned(FIRST))), path, key=KEY)
    before = path.read_bytes()

    def fail(src: str, dst: str) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(register_store.os, "replace", fail)
    with pytest.raises(OSError):
        save_basis(basis_of(resolver.prepare_register(_versioned(FIRST + ADDED))), path, key=KEY)
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["register.store"]


def test_two_writers_leave_one_whole_store(resolver: SplinkResolver, tmp_path: Path) -> None:
    """Each writer renames its own temporary file over the store: the last one wins whole."""
    path = tmp_path / "register.store"
    small = basis_of(resolver.prepare_register(_versioned(FIRST)))
    large = basis_of(resolver.prepare_register(_versioned(FIRST + ADDED)))
    renames: list[tuple[str, str]] = []
    real_replace = register_store.os.replace

    def slow_replace(src: str, dst: str) -> None:
        renames.append((src, dst))
        if len(renames) == 1:  # the first writer is overtaken before it renames
            save_basis(large, path, key=KEY)
        real_replace(src, dst)

    register_store.os.replace = slow_replace  # type: ignore[assignment]
    try:
        save_basis(small, path, key=KEY)
    finally:
        register_store.os.replace = real_replace  # type: ignore[assignment]
    assert len({src for src, _ in renames}) == 2  # two temporary files, one per writer
    loaded, _ = load_basis(path, key=KEY)
    assert loaded is not None and len(loaded.records) == len(FIRST)  # the last rename
    assert sorted(p.name for p in tmp_path.iterdir()) == ["register.store"]
