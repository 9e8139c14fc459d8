"""A prepared register brought up to date equals one prepared afresh (and links alike)."""

from __future__ import annotations

from typing import Any

import pytest

from partnernet.engines.resolution.linker import RegisterFeatures, SplinkResolver
from partnernet.engines.resolution.records import CompanyRecord, as_record

FIRST = [
    {"id": "1", "name": "ООО «Инфосистемы Джет»", "city": "Москва", "website": "jet.su"},
    {"id": "2", "name": "Альянс", "city": "Омск", "company_id": "2"},
    {"id": "3", "name": "ООО Альянс", "city": "Тула"},
    {"id": "4", "name": "Альянс", "city": "Омск", "company_id": "2"},  # a copy of row 2
    {"id": "5", "name": "ЛайнСтор", "city": "Казань", "inn": "7707083893"},
    {"id": "6", "name": "Системные Технологии", "city": "Пермь", "phone": "+7 342 200-00-00"},
]
ADDED = [
    {
        "id": "7",
        "name": "Jet Infosystems",
        "city": "Moscow",
        "website": "jet.su",
        "company_id": "c1",
    },
    {"id": "8", "name": "Альянс", "city": "Омск", "company_id": "2"},  # a third copy
    {"id": "9", "name": "ЛайнСекьюр", "city": "Казань"},
    {"id": "10", "name": "Альянс Групп", "city": "Новосибирск", "website": "alliance.ru"},
]
NEW = [
    {"id": "n1", "name": "ИНФОСИСТЕМЫ ДЖЕТ АО", "city": "г. Москва"},
    {"id": "n2", "name": "Альянс", "city": "Омск"},
    {"id": "n3", "name": "Лайнстор", "city": "Казань"},
    {"id": "n4", "name": "Системные технологии", "city": "Пермь"},
]


def _records(rows: list[dict[str, Any]], companies: dict[str, str] | None = None) -> list[Any]:
    out = []
    for r in rows:
        company = (companies or {}).get(r["id"], r.get("company_id") or f"c{r['id']}")
        out.append(as_record({**r, "company_id": company}))
    return out


def _same(a: RegisterFeatures, b: RegisterFeatures) -> None:
    assert a.prepared.rows == b.prepared.rows
    assert a.prepared.members == b.prepared.members
    assert a.prepared.identifiers == b.prepared.identifiers
    assert a.prepared.little_information == b.prepared.little_information
    assert a.companies == b.companies
    assert a.company_identifiers == b.company_identifiers
    assert a.stats.variant_frequencies() == b.stats.variant_frequencies()
    assert a.stats.city_frequencies() == b.stats.city_frequencies()
    assert a.table.equals(b.table)


@pytest.fixture(scope="module")
def resolver() -> SplinkResolver:
    return SplinkResolver(threads=1)


def test_grown_register_equals_fresh_and_links_alike(resolver: SplinkResolver) -> None:
    first = _records(FIRST)
    previous = resolver.prepare_register(first)
    before = previous.prepared.rows
    frequencies = previous.stats.variant_frequencies()
    # The register as the next import reads it: the same records again, then the new ones.
    both = [*first, *_records(ADDED)]
    grown = resolver.prepare_register(both, previous=previous)
    fresh = resolver.prepare_register(both)
    _same(grown, fresh)
    assert grown.prepared.members["2"] == ["2", "4", "8"]
    # The earlier result is left as it was.
    assert previous.prepared.rows == before
    assert previous.stats.variant_frequencies() == frequencies
    assert previous.groups != grown.groups
    new = [as_record(r) for r in NEW]
    a, b = resolver.link(grown, new), resolver.link(fresh, new)
    assert a.cluster_of == b.cluster_of
    assert sorted(a.pairs) == sorted(b.pairs)
    assert a.review == b.review
    assert a.cluster_of["n1"] == "c1"  # the test links something


def test_changed_register_equals_fresh(resolver: SplinkResolver) -> None:
    """A merge moved a row, a row was removed and one changed: prepared again, same result."""
    previous = resolver.prepare_register(_records(FIRST + ADDED))
    changed = [dict(r) for r in FIRST + ADDED if r["id"] != "3"]
    changed[0]["website"] = "jet.ru"
    records = _records(changed, companies={"7": "c1"})
    updated = resolver.prepare_register(records, previous=previous)
    _same(updated, resolver.prepare_register(records))
    assert isinstance(records[0], CompanyRecord)
