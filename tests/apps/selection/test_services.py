from __future__ import annotations

from datetime import date

import pytest

from partnernet.apps.selection.models import FunnelStageDefinition, Shortlist
from partnernet.apps.selection.records import partner_records
from partnernet.apps.selection.selectors import (
    SelectionError,
    fit_criteria,
    shortlist_company_ids,
    stage_counts_by_month,
)
from partnernet.apps.selection.services import (
    funnel_stage_update,
    partnership_set,
    quota_create,
    shortlist_save,
)


def test_records_carry_register_facts(market) -> None:
    records = partner_records()
    c = market.companies
    delta = records[c["delta"].pk]
    assert delta.size == "large"  # offices in four cities
    assert delta.sectors == {"enterprise", "oil_gas"}
    assert delta.city_key == "RU-TA-kazan" and delta.federal_district == "Приволжский"
    # Vendor A's list carried the security specialisation for all three companies it
    # authorised: A's niche is security. B and C stated none: no niche.
    niches = {a.vendor: a.specialisations for a in delta.authorisations}
    assert niches == {"A": {"information_security"}, "B": set(), "C": set()}
    assert records[c["alpha"].pk].recruited and records[c["alpha"].pk].kinds == {"integrator"}
    assert not records[c["epsilon"].pk].recruited  # "willing" does not count as recruited
    assert records[c["epsilon"].pk].facts["deals_12m"] == 6.0
    assert records[c["gamma"].pk].facts == {}  # not a partner: not in the funnel
    assert records[c["epsilon"].pk].size == ""  # no vendor, one office


def test_cached_records_follow_changes(market) -> None:
    epsilon = market.companies["epsilon"]
    assert not partner_records()[epsilon.pk].recruited
    partnership_set(company=epsilon, stage="authorised")
    assert partner_records()[epsilon.pk].recruited
    stage = FunnelStageDefinition.objects.get(key="authorised")
    funnel_stage_update(stage=stage, rules=stage.rules, counts_as_recruited=False)
    assert not partner_records()[epsilon.pk].recruited


def test_stage_rules_are_normalised_and_checked(db) -> None:
    stage = FunnelStageDefinition.objects.get(key="vip")
    funnel_stage_update(stage=stage, rules="deals_12m >= 7; certified_people>3\n\n")
    assert stage.rule_lines() == ["deals_12m>=7", "certified_people>3"]
    with pytest.raises(SelectionError):
        funnel_stage_update(stage=stage, rules="deals_12m => 7")


def test_shortlist_replaces_and_dedupes(market) -> None:
    c = market.companies
    entries = [
        {"company_id": c["delta"].pk, "score": 2, "reasons": ["a"]},
        {"company_id": c["beta"].pk, "score": 1},
        {"company_id": c["delta"].pk, "score": 0.5},
    ]
    shortlist = shortlist_save(name="x", approach="regional", parameters={}, entries=entries)
    assert shortlist_company_ids(shortlist=shortlist) == [c["delta"].pk, c["beta"].pk]
    again = shortlist_save(
        name="x", approach="specialisation", parameters={"niches": []}, entries=entries[1:2]
    )
    assert again.pk == shortlist.pk and Shortlist.objects.count() == 1
    assert shortlist_company_ids(shortlist=again) == [c["beta"].pk]
    with pytest.raises(SelectionError):
        shortlist_save(name="y", approach="astrology", parameters={}, entries=[])


def test_quota_and_criteria_validation(db) -> None:
    quota = quota_create(spec=" city:1000000:5 ", criteria={"niches": ["infosec"]})
    assert quota.spec == "city:1000000:5"
    with pytest.raises(SelectionError):
        quota_create(spec="city:many")
    with pytest.raises(SelectionError, match="unknown niche"):
        quota_create(spec="region:2", criteria={"niches": ["knitting"]})
    crit = fit_criteria(niches=["ИБ", "Cloud"], sectors=["Нефть и газ"])
    assert crit.specialisations == {"information_security", "cloud"}
    assert crit.sectors == {"oil_gas"}


def test_counts_by_month_from_history(market) -> None:
    # Alpha joined 2026-01-10 straight into "authorised", Epsilon 2026-03-05 as "willing".
    rows = stage_counts_by_month()
    by_month = {(r["date"], r["stage"]): r["count"] for r in rows}
    assert rows[0]["date"] == "2026-01-31"
    assert by_month[("2026-01-31", "authorised")] == 1
    assert ("2026-01-31", "willing") not in by_month
    assert by_month[("2026-03-31", "willing")] == 1
    assert date.fromisoformat(rows[-1]["date"]) <= date.today()


def test_a_few_companies_come_from_the_whole_register(market) -> None:
    ids = [market.companies["delta"].pk, market.companies["epsilon"].pk, 10**9]
    few = partner_records(company_ids=ids)
    whole = partner_records()
    assert set(few) == set(ids[:2])  # an unknown id is skipped
    assert all(few[i] is whole[i] for i in few)


def test_records_carry_branches(market) -> None:
    records = partner_records()
    delta = records[market.companies["delta"].pk]
    assert {o.city_key for o in delta.branches} == {
        "RU-SVE-yekaterinburg",
        "RU-NVS-novosibirsk",
        "RU-SAM-samara",
    }
    assert "RU-TA-kazan" not in {o.city_key for o in delta.branches}  # the head office
    assert records[market.companies["alpha"].pk].branches == ()


def test_a_partnership_change_rebuilds_only_the_partnership_layer(market) -> None:
    c = market.companies
    before = partner_records()
    partnership_set(company=c["gamma"], stage="authorised", kinds=["reseller"])
    after = partner_records()
    assert after is not before
    gamma = after[c["gamma"].pk]
    assert gamma.recruited and gamma.kinds == {"reseller"} and gamma.facts["vendor_count"] == 1.0
    assert gamma.facts["best_level_rank"] == 0.0  # the register's stored best rank
    # the register layer is reused: same objects for companies without a partnership
    assert after[c["beta"].pk] is before[c["beta"].pk]
    assert gamma.authorisations is before[c["gamma"].pk].authorisations
    assert after[c["alpha"].pk].recruited  # earlier partnerships are laid over again


def test_branches_fill_city_quotas_unless_head_offices_only(market) -> None:
    from partnernet.apps.selection.selectors import regional_selection

    c = market.companies
    partnership_set(company=c["delta"], stage="authorised")

    def novosibirsk(quota: str) -> dict:
        (report,) = regional_selection(quotas=[quota], top=5)["quotas"]
        return next(row for row in report["gaps"] if row["key"] == "RU-NVS-novosibirsk")

    row = novosibirsk("city:1000000:1")
    assert (row["have"], row["recruited_at_branches"]) == (1, [c["delta"].pk])
    assert novosibirsk("city:1000000:1:hq")["have"] == 0
    partnership_set(company=c["delta"], stage="willing")  # not recruited: a candidate there
    (candidate,) = novosibirsk("city:1000000:1")["candidates"]
    assert candidate["id"] == c["delta"].pk
    assert "branch office here; head office: Казань" in candidate["reasons"]
