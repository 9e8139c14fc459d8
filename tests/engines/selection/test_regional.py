import pytest

from partnernet.engines.selection.records import Authorisation, Office, PartnerRecord
from partnernet.engines.selection.regional import (
    Quota,
    QuotaError,
    Territory,
    format_quota,
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


def test_quota_token_for_head_offices_only_round_trips():
    quota = parse_quota("city:1000000:5:integrator:hq")
    assert quota.head_offices_only and quota.kinds == {"integrator"}
    assert "head offices only" in quota.describe()
    assert not parse_quota("city:1000000:5").head_offices_only
    for text in ("city:1000000:5", "region:3:hq", "federal_district:20:reseller,integrator"):
        assert parse_quota(format_quota(parse_quota(text))) == parse_quota(text)


def test_branches_count_once_per_territory_unless_head_offices_only():
    tula = Office(city_key="tula", city="Тула", federal_district="Центральный")
    krd = Office(city_key="krd", city="Краснодар", federal_district="Южный")
    partners = [
        # Moscow head office with branches in Krasnodar and Tula (same district as Moscow)
        partner(1, "msk", recruited=True, branches=(krd, tula)),
        # a candidate whose only Krasnodar presence is a branch
        partner(2, "msk", vendors=3, branches=(krd, krd)),
        partner(3, "krd", vendors=1),
    ]
    partners[0].city = partners[1].city = "Москва"
    report = {
        g.territory.key: g
        for g in regional_gaps(partners, parse_quota("city:1000000:2"), TERRITORIES, top=5)
    }
    assert (report["krd"].have, report["krd"].recruited_at_branches) == (1, [1])
    assert (report["msk"].have, report["msk"].recruited_at_branches) == (1, [])
    krd_candidates = {c.id: c for c in report["krd"].candidates}
    assert list(krd_candidates) == [2, 3]  # ranked by activity; partner 2 counted once
    assert "branch office here; head office: Москва" in krd_candidates[2].reasons
    assert not any("branch" in r for r in krd_candidates[3].reasons)
    # the partner counts once in its district although two of its offices are there
    (district,) = regional_gaps(partners, parse_quota("federal_district:5"), TERRITORIES)
    assert district.have == 1 and district.available == 2
    head_only = {
        g.territory.key: g
        for g in regional_gaps(partners, parse_quota("city:1000000:2:hq"), TERRITORIES, top=5)
    }
    assert head_only["krd"].have == 0 and [c.id for c in head_only["krd"].candidates] == [3]
