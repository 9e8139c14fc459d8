"""The prepared register kept on disk between processes: a new process's register equals a
fresh preparation whatever changed in the database since the store was saved."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from partnernet.apps.register import resolution_services, resolution_store
from partnernet.apps.register.models import SourceRow
from partnernet.apps.register.resolution_services import (
    company_merge,
    register_features,
    register_records,
)
from partnernet.engines.resolution.linker import RegisterFeatures, SplinkResolver

from .helpers import RESOLUTION_FIRST, import_rows

pytestmark = pytest.mark.django_db
FIRST = [*RESOLUTION_FIRST, ["ЛайнСтор", "7707083893", "Казань", "", ""]]
SECOND = [
    ["Jet Infosystems", "", "Moscow", "", "+7 (495) 411 76 01"],
    ["Альянс", "", "Тула", "", ""],
    ["Квазар", "", "Казань", "", ""],
]
THIRD = [["Системные Технологии", "", "Пермь", "", "+7 342 200-00-00"]]


@pytest.fixture
def store(settings: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A store folder for the test database (in memory, which keeps none by default)."""
    settings.RESOLUTION_STORE_DIR = str(tmp_path / "store")
    monkeypatch.setattr(
        resolution_store,
        "_database",
        lambda: {"vendor": "sqlite", "name": str(tmp_path / "db"), "host": "", "port": ""},
    )
    _new_process()
    yield tmp_path / "store"
    _new_process()


def _new_process() -> None:
    resolution_services._FEATURES.clear()
    resolution_services._RECORDS.clear()
    resolution_store._ON_DISK.clear()


def _same_as_fresh(features: RegisterFeatures, resolver: SplinkResolver) -> None:
    fresh = resolver.prepare_register(register_records())
    assert [r.record_id for r in features.records] == [r.record_id for r in fresh.records]
    assert features.rows == fresh.rows
    assert features.companies == fresh.companies
    assert features.prepared.rows == fresh.prepared.rows
    assert features.prepared.members == fresh.prepared.members
    assert features.prepared.identifiers == fresh.prepared.identifiers
    assert features.company_identifiers == fresh.company_identifiers
    assert features.stats.variant_frequencies() == fresh.stats.variant_frequencies()
    assert features.table.equals(fresh.table)


def _restored(features: RegisterFeatures) -> set[str]:
    """Rows of ``features`` taken from the store (restored records carry no canonical)."""
    return {r.record_id for r in features.records if "canonical" not in r.extra}


def test_a_new_process_starts_from_the_store(
    store: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    import_rows(tmp_path, "a", FIRST)  # deterministic: no preparation, no store
    assert not store.exists()
    import_rows(tmp_path, "b", SECOND)  # the model: prepared, saved
    assert len(list(store.glob("register-*.store"))) == 1
    _new_process()
    resolver = SplinkResolver(threads=1)
    caplog.set_level(logging.INFO, logger=resolution_store.__name__)
    features = register_features(resolver)
    assert "rows loaded" in caplog.text
    # The store was saved before list b's rows existed: those are read, the rest restored.
    b_rows = {
        str(pk) for pk in SourceRow.objects.filter(source__name="b").values_list("id", flat=True)
    }
    assert _restored(features) == {r.record_id for r in features.records} - b_rows
    assert _restored(features)
    _same_as_fresh(features, resolver)
    # The import links as it would have (the linker reads the same prepared register).
    report = import_rows(tmp_path, "c", [*THIRD, SECOND[0]])
    jet = SourceRow.objects.get(source__name="a", row_number=1).company_id
    assert SourceRow.objects.get(source__name="c", row_number=2).company_id == jet
    assert report.linker == "splink"


def test_a_stale_store_is_never_used_for_changed_rows(store: Path, tmp_path: Path) -> None:
    import_rows(tmp_path, "a", FIRST)
    import_rows(tmp_path, "b", SECOND)
    import_rows(tmp_path, "c", THIRD)  # the store is now behind by list b (within the lag)
    # Since the save: a row's content changed, two companies merged, a row left its list.
    row = SourceRow.objects.get(source__name="a", row_number=3)
    row.canonical = {**row.canonical, "name": "Квантум", "name_key": "квантум"}
    row.canonical["latin_key"] = "kvantum"
    row.content_hash = "changed"
    row.save()
    alliance = SourceRow.objects.get(source__name="a", row_number=2).company
    other = SourceRow.objects.get(source__name="b", row_number=2).company
    assert alliance is not None and other is not None and alliance != other
    company_merge(target=alliance, absorbed=other, reason="test")
    SourceRow.objects.filter(source__name="a", row_number=4).update(is_current=False)
    _new_process()
    resolver = SplinkResolver(threads=1)
    features = register_features(resolver)
    assert str(row.pk) not in _restored(features)
    assert next(r for r in features.rows if r["unique_id"] == str(row.pk))["latin"] == "kvantum"
    _same_as_fresh(features, resolver)
    # Rows changed since the save: saved again, and the next process restores every row.
    _new_process()
    again = register_features(resolver)
    assert _restored(again) == {r.record_id for r in again.records}
    _same_as_fresh(again, resolver)


def test_a_damaged_store_is_ignored_and_replaced(
    store: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    import_rows(tmp_path, "a", FIRST)
    import_rows(tmp_path, "b", SECOND)
    (path,) = store.glob("register-*.store")
    path.write_bytes(path.read_bytes()[:-10])
    _new_process()
    resolver = SplinkResolver(threads=1)
    caplog.set_level(logging.INFO, logger=resolution_store.__name__)
    features = register_features(resolver)
    assert "truncated or corrupt" in caplog.text
    assert not _restored(features)
    _same_as_fresh(features, resolver)
    _new_process()
    assert _restored(register_features(resolver))  # saved whole again


def test_where_the_store_lives(settings: Any, tmp_path: Path) -> None:
    from django.db import connection

    settings.RESOLUTION_STORE_DIR = str(tmp_path)
    path = resolution_store.store_path()
    if connection.vendor == "sqlite":  # the test database lives in memory: no store
        assert path is None
    else:
        assert path is not None and path.parent == tmp_path
    settings.RESOLUTION_STORE_DIR = ""  # empty: no store anywhere
    assert resolution_store.store_dir() is None and resolution_store.store_path() is None
