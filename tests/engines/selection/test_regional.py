import pytest

from partnernet.engines.selection.records import Authorisation, PartnerRecord
from partnernet.engines.selection.regional import (
    Quota,
    QuotaError,
    Territory,
    parse_quota,
    quota_territories,
    regional_gaps,
)

TERRITORIES = [
    Territory("city", "msk", "Москва", 13_000_000, million_plus=True),
    Territory("city", "krd", "Краснодар", 950_000, million_plus=True),  # 2021 census: 1.1M
    Territory("city", "tula", "Тула", 470_000),
    Territory("federal_district", "Центральный", "Центральный", 40_000_000),
]


def partner(pid, city, recruited=False, vendors=0, **kw):
    auths = tuple(Authorisation(vendor=f"v{i}", rank=1) for i in range(vendors))
    return PartnerRecord(
        id=pid,
        name=f"P{pid}",
        city_key=city,
        federal_district="Центральный",
        recruited=recruited,
        authorisations=auths,
        **kw,
    )


def test_parse_quota_forms():
    assert parse_quota("city:1_000_000:5") == Quota("city", 5, 1_000_000)
    assert parse_quota("country:10") == Quota("country", 10)
    assert parse_quota("city:1000000:5:integrator,reseller").kinds == {"integrator", "reseller"}
    for bad in ("city", "city:a:b", "region:0", "moon:3"):
        with pytest.raises(QuotaError):
            parse_quota(bad)


def test_million_plus_follows_2021_census_flag():
    chosen = quota_territories(parse_quota("city:1000000:5"), TERRITORIES)
    assert [t.key for t in chosen] == ["msk", "krd"]


def test_gap_report_counts_recruited_and_ranks_candidates():
    partners = [
        partner(1, "msk", recruited=True),
        partner(2, "msk", vendors=1),
        partner(3, "msk", vendors=4),
        partner(4, "krd"),
        partner(5, "tula", vendors=9),
    ]
    report = regional_gaps(partners, parse_quota("city:1000000:2"), TERRITORIES, top=5)
    by_key = {g.territory.key: g for g in report}
    assert set(by_key) == {"msk", "krd"}
    assert (by_key["msk"].have, by_key["msk"].need, by_key["msk"].gap) == (1, 2, 1)
    assert [c.id for c in by_key["msk"].candidates] == [3, 2]
    assert by_key["krd"].gap == 2 and [c.id for c in by_key["krd"].candidates] == [4]
    # The largest gap comes first.
    assert report[0].territory.key == "krd"


def test_quota_kind_filters_who_counts():
    partners = [
        partner(1, "msk", recruited=True, kinds=frozenset({"reseller"})),
        partner(2, "msk", kinds=frozenset({"integrator"})),
    ]
    gap = regional_gaps(partners, parse_quota("city:1000000:1:integrator"), TERRITORIES)[0]
    assert gap.territory.key in {"msk", "krd"}
    msk = next(
        g
        for g in regional_gaps(partners, parse_quota("city:1000000:1:integrator"), TERRITORIES)
        if g.territory.key == "msk"
    )
    assert msk.have == 0 and [c.id for c in msk.candidates] == [2]


def test_federal_district_quota():
    partners = [partner(i, "tula", recruited=i < 3) for i in range(10)]
    (gap,) = regional_gaps(partners, parse_quota("federal_district:20"), TERRITORIES)
    assert (gap.have, gap.gap, gap.available) == (3, 17, 7)
