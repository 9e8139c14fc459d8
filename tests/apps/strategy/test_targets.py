"""Targets on real data from partner selection: funnel stages, regional quotas, certified share,
deals; plain notes where selection has nothing to measure yet."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from partnernet.apps.register.models import Company, CompanyLocation
from partnernet.apps.selection.models import FunnelStageDefinition, Quota
from partnernet.apps.selection.records import partner_records_cache_clear
from partnernet.apps.selection.services import partnership_set, quota_create
from partnernet.apps.strategy import selectors, services
from partnernet.apps.strategy.models import Certification, Target, TargetMetric
from partnernet.engines import geo
from partnernet.engines.names.normalise import normalise_company_name

pytestmark = pytest.mark.django_db

MSK, KZN, OMS = "RU-MOW-moskva", "RU-TA-kazan", "RU-OMS-omsk"


@pytest.fixture(autouse=True)
def fresh_records_cache() -> None:
    partner_records_cache_clear()


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    with translation.override("en"):
        yield


def company(name: str, city_key: str) -> Company:
    city = geo.city_by_key(city_key)
    assert city is not None
    made = Company.objects.create(
        display_name=name,
        name_key=normalise_company_name(name),
        city_key=city.key,
        city_name=city.name_ru,
        region=city.region,
        federal_district=city.federal_district,
        country=city.country,
    )
    CompanyLocation.objects.create(
        company=made,
        is_headquarters=True,
        city_key=city.key,
        city_name=city.name_ru,
        region=city.region,
        federal_district=city.federal_district,
        country=city.country,
    )
    return made


def stage(key: str) -> FunnelStageDefinition:
    return FunnelStageDefinition.objects.get(key=key)


@pytest.fixture
def funnel() -> dict[str, Company]:
    """Moscow: Alpha (VIP club); Kazan: Beta (authorised); Omsk: Gamma (everyone willing)."""
    made = {
        "alpha": company("Альфа", MSK),
        "beta": company("Бета", KZN),
        "gamma": company("Гамма", OMS),
    }
    partnership_set(company=made["alpha"], stage="willing", joined_on=date(2025, 1, 10))
    partnership_set(
        company=made["alpha"], stage="vip", moved_on=timezone.localdate() - timedelta(days=1)
    )
    partnership_set(company=made["beta"], stage="authorised", joined_on=date(2025, 3, 5))
    partnership_set(company=made["gamma"], stage="willing", joined_on=date(2025, 4, 1))
    return made


def target(metric: str, value: int, **fields) -> Target:
    strategy = services.strategy_create(title="T", role="vendor")
    return services.target_create(
        strategy=strategy, metric=metric, target_value=Decimal(value), **fields
    )


def test_without_partnerships_selection_targets_say_so() -> None:
    Quota.objects.create(spec="city:1000000:5")
    for made in (
        target(TargetMetric.STAGE_COUNT, 30, stage=stage("vip")),
        target(TargetMetric.QUOTA_COVERED_SHARE, 80, quota=Quota.objects.get()),
        target(TargetMetric.QUOTA_GAP, 0, quota=Quota.objects.get()),
        target(TargetMetric.CERTIFIED_PARTNER_SHARE, 50, stage=stage("authorised")),
    ):
        progress = selectors.target_progress(target=made)
        assert progress.current is None and progress.progress_pct is None
        assert "no partnerships yet" in progress.note


def test_stage_counts_with_and_without_later_stages(funnel) -> None:
    vip_cap = target(TargetMetric.STAGE_COUNT, 30, stage=stage("vip"), direction="at_most")
    progress = selectors.target_progress(target=vip_cap)
    assert (progress.current, progress.progress_pct, progress.met) == (1, 100, True)
    assert progress.detail == "at the stage: 1 of 3 partnerships"

    authorised = target(TargetMetric.STAGE_COUNT, 200, stage=stage("authorised"))
    progress = selectors.target_progress(target=authorised)
    # Alpha (VIP) and Beta (authorised): the VIP club is authorised too
    assert (progress.current, progress.progress_pct, progress.met) == (2, 1, False)

    only = target(
        TargetMetric.STAGE_COUNT, 2, stage=stage("authorised"), include_later_stages=False
    )
    assert selectors.target_progress(target=only).current == 1

    over = target(TargetMetric.STAGE_COUNT, 1, stage=stage("willing"), direction="at_most")
    progress = selectors.target_progress(target=over)
    # three partners where at most one was wanted: a third of the way
    assert (progress.current, progress.progress_pct, progress.met) == (3, 33, False)


def test_stage_count_has_a_monthly_chart(funnel) -> None:
    progress = selectors.target_progress(
        target=target(TargetMetric.STAGE_COUNT, 5, stage=stage("authorised"))
    )
    assert progress.chart is not None
    rows = progress.chart["layer"][0]["data"]["values"]
    # Beta authorised since March 2025; Alpha joined the VIP club yesterday
    by_month = {row["date"][:7]: row["value"] for row in rows}
    assert by_month["2025-02"] == 0 and by_month["2025-03"] == 1
    assert rows[-1]["value"] == 2
    assert progress.chart["layer"][1]["data"]["values"] == [{"target": 5.0}]


def test_regional_quota_targets(funnel) -> None:
    # 20 cities of over a million (16 Russian by the 2021 census, Almaty, Astana, Shymkent,
    # Minsk); only Moscow has a recruited partner (Alpha); Beta in Kazan is authorised too.
    quota = quota_create(spec="city:1000000:1", label="one per million-plus city")
    share = selectors.target_progress(
        target=target(TargetMetric.QUOTA_COVERED_SHARE, 100, quota=quota)
    )
    assert share.current == Decimal("10.00")
    assert share.detail == "without a gap: 2 of 20 territories"
    assert share.progress_pct == 10
    gap = selectors.target_progress(target=target(TargetMetric.QUOTA_GAP, 0, quota=quota))
    assert gap.direction == "at_most"
    assert (gap.current, gap.progress_pct, gap.met) == (18, 0, False)
    bars = gap.chart["data"]["values"]
    assert {row["territory"] for row in bars}.isdisjoint({"Москва", "Казань"})
    assert len(bars) == 2 * 15  # the fifteen biggest gaps, have and missing each


def test_quota_gap_within_limit_and_deleted_quota(funnel) -> None:
    partnership_set(company=funnel["alpha"], kinds=["reseller"])
    partnership_set(company=funnel["beta"], kinds=["integrator"])
    quota = quota_create(spec="city:1000000:1:integrator")
    made = target(TargetMetric.QUOTA_GAP, 25, quota=quota)
    progress = selectors.target_progress(target=made)
    # Alpha is a reseller: only Kazan has its integrator
    assert (progress.current, progress.progress_pct, progress.met) == (19, 100, True)
    assert progress.detail == "recruited: 1 of 20 partners needed"
    quota.delete()
    made.refresh_from_db()
    progress = selectors.target_progress(target=made)
    assert progress.current is None and "quota" in progress.note


def test_certified_share_of_a_funnel_stage(funnel) -> None:
    today = date(2026, 6, 1)
    Certification.objects.create(
        company=funnel["alpha"], person="A. Ivanov", role="engineer", issued=date(2026, 1, 1)
    )
    Certification.objects.create(
        company=funnel["beta"], person="B. Petrov", role="sales", expires=date(2026, 5, 1)
    )
    share = target(TargetMetric.CERTIFIED_PARTNER_SHARE, 80, stage=stage("authorised"))
    measured = selectors.target_measure(target=share, today=today)
    assert (measured.value, measured.detail) == (Decimal("50.00"), "certified: 1 of 2 partners")
    # without a stage: recruited partners (Alpha, Beta) and those in the programme
    anyone = target(TargetMetric.CERTIFIED_PARTNER_SHARE, 80)
    assert selectors.target_current_value(target=anyone, today=today) == Decimal("50.00")
    # Beta's certificate was still valid in April
    assert selectors.target_current_value(target=anyone, today=date(2026, 4, 1)) == 100


def test_deal_targets_without_deals_say_so() -> None:
    for metric in (TargetMetric.PARTNER_MARGIN_PCT, TargetMetric.DEALS_BELOW_FLOOR):
        progress = selectors.target_progress(target=target(metric, 20))
        assert progress.current is None and "No deal calculations" in progress.note


def test_suggested_targets_point_at_stages_and_quotas(funnel) -> None:
    quota = quota_create(spec="federal_district:3")
    strategy = services.strategy_create(title="T", role="vendor")
    services.strategy_choice_set(
        strategy=strategy, dimension="work_with_partners", tactics=["limited_club"]
    )
    queries = {s["metric"]: s["query"] for s in selectors.suggested_targets(strategy=strategy)}
    assert "stage=vip" in queries["stage_count"] and "direction=at_most" in queries["stage_count"]
    services.strategy_choice_set(
        strategy=strategy, dimension="work_with_partners", tactics=["unlimited_circle"]
    )
    queries = {s["metric"]: s["query"] for s in selectors.suggested_targets(strategy=strategy)}
    assert queries["quota_covered_share"].endswith(f"quota={quota.pk}")
    assert "stage_count" not in queries


def test_strategy_page_shows_selection_targets(admin_client, funnel) -> None:
    strategy = services.strategy_create(title="T", role="vendor")
    services.target_create(
        strategy=strategy,
        metric=TargetMetric.STAGE_COUNT,
        target_value=Decimal(30),
        stage=stage("vip"),
        direction="at_most",
    )
    services.target_create(
        strategy=strategy, metric=TargetMetric.PARTNER_MARGIN_PCT, target_value=Decimal(25)
    )
    admin_client.cookies["django_language"] = "en"
    url = reverse("strategy:strategy", args=[strategy.pk])
    html = admin_client.get(url).content.decode()
    assert "VIP club and later" in html and "≤ 30" in html
    assert 'id="target-chart-' in html and "vega-embed" in html
    # no saved deals: a note, not a 0% bar
    margin = html[html.index('data-metric="partner_margin_pct"') :]
    margin = margin[: margin.index("</li>")]
    assert "No deal calculations" in margin and "progress-bar" not in margin
    # the form refuses a stage count without a stage
    admin_client.post(
        reverse("strategy:target_create", args=[strategy.pk]),
        {"metric": "stage_count", "target_value": "5", "min_level_rank": "0"},
    )
    assert strategy.targets.count() == 2
    prefilled = admin_client.get(url + "?metric=stage_count&dimension=x&stage=vip")
    assert prefilled.context["target_form"].initial["stage"] == stage("vip").pk


def test_target_progress_over_the_api(admin_user, funnel) -> None:
    from rest_framework.test import APIClient

    api = APIClient()
    api.force_authenticate(admin_user)
    strategy = services.strategy_create(title="T", role="vendor")
    response = api.post(
        "/api/strategy/targets/",
        {
            "strategy": strategy.pk,
            "metric": "stage_count",
            "target_value": "30",
            "stage": stage("vip").pk,
            "direction": "at_most",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    progress = api.get(f"/api/strategy/targets/{response.json()['id']}/progress/").json()
    assert progress["current"] == 1 and progress["met"] is True
    assert progress["direction"] == "at_most" and progress["note"] == ""
