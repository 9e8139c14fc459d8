"""Services and selectors: examples copied, choices stored, engine round trip, targets on data."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from partnernet.apps.register.models import Authorisation, Company, Source, Vendor
from partnernet.apps.strategy import selectors, services
from partnernet.apps.strategy.models import (
    Certification,
    DealCalculation,
    PartnerStanding,
    ProgramLevel,
    TargetMetric,
)
from partnernet.engines.pricing.chain import Deal, DealLine, FixedMargin, price_deal
from partnernet.engines.strategy.examples import example

pytestmark = pytest.mark.django_db


def company(name: str) -> Company:
    return Company.objects.create(display_name=name, name_key=name.lower())


def test_copied_example_is_the_example() -> None:
    stored = services.strategy_copy_example(key="distributor_margin_growth", lang="en")
    assert stored.copied_from == "distributor_margin_growth"
    assert stored.title.startswith("A small multi-vendor distributor")
    engine = selectors.strategy_as_engine(strategy_id=stored.pk)
    original = example("distributor_margin_growth")
    assert engine is not None and engine.role == original.role
    assert [
        (c.dimension, c.tactics, c.vendor_decides, dict(c.parameters)) for c in engine.choices
    ] == [(c.dimension, c.tactics, c.vendor_decides, dict(c.parameters)) for c in original.choices]
    assert selectors.strategy_findings(strategy=stored) == []


def test_choice_set_replaces_and_removes() -> None:
    strategy = services.strategy_create(title="T", role="vendor")
    services.strategy_choice_set(strategy=strategy, dimension="margin", tactics=["fixed", "fixed"])
    assert strategy.choices.get().tactics == ["fixed"]
    services.strategy_choice_set(
        strategy=strategy,
        dimension="margin",
        tactics=["flexible"],
        parameters={"fixed": {"x": 1}},
        note=" per deal ",
    )
    choice = strategy.choices.get()
    assert (choice.tactics, choice.parameters, choice.note) == (["flexible"], {}, "per deal")
    services.strategy_choice_set(strategy=strategy, dimension="margin", tactics=[])
    assert not strategy.choices.exists()
    rules = {f.rule for f in selectors.strategy_findings(strategy=strategy)}
    assert "dimension_empty" in rules and "goal_missing" in rules


def test_unknown_role_is_refused() -> None:
    with pytest.raises(ValidationError):
        services.strategy_create(title="T", role="reseller")


def test_custom_tactic_joins_the_catalogue_and_validates() -> None:
    services.tactic_create(dimension="margin", key="rebate", name_ru="Бонус", name_en="Rebate")
    assert selectors.catalogue().tactic("margin", "rebate").origin == "user"
    strategy = services.strategy_create(title="T", role="vendor")
    services.strategy_choice_set(strategy=strategy, dimension="margin", tactics=["rebate"])
    assert "unknown_tactic" not in {f.rule for f in selectors.strategy_findings(strategy=strategy)}
    with pytest.raises(ValidationError):
        services.tactic_create(dimension="margin", key="fixed", name_ru="x")
    with pytest.raises(ValidationError):
        services.tactic_create(dimension="astrology", key="stars", name_ru="x")
    services.dimension_create(key="events", name_ru="Мероприятия", roles=["vendor"])
    services.tactic_create(dimension="events", key="roadshow", name_ru="Роуд-шоу")
    assert selectors.catalogue().dimension("events").tactic_keys() == ("roadshow",)


def test_partner_count_target_reads_authorisations() -> None:
    vendor = Vendor.objects.create(name="Acme", key="acme")
    source = Source.objects.create(name="Acme locator")
    a, b, c = company("A"), company("B"), company("C")
    Authorisation.objects.create(company=a, vendor=vendor, source=source, level_rank=2)
    Authorisation.objects.create(company=b, vendor=vendor, source=source, level_rank=1)
    merged = company("A-dup")
    merged.merged_into = a
    merged.save()
    Authorisation.objects.create(company=merged, vendor=vendor, source=source, level_rank=2)
    strategy = services.strategy_create(title="T", role="vendor")
    target = services.target_create(
        strategy=strategy, metric=TargetMetric.PARTNER_COUNT, target_value=Decimal(4), vendor=vendor
    )
    progress = selectors.target_progress(target=target)
    assert (progress.current, progress.progress_pct) == (Decimal(2), Decimal(50))
    gold = services.target_create(
        strategy=strategy,
        metric=TargetMetric.PARTNER_COUNT,
        target_value=Decimal(1),
        vendor=vendor,
        min_level_rank=2,
    )
    assert selectors.target_progress(target=gold).current == 1
    assert c.pk  # an unauthorised company does not count


def test_certified_share_and_margin_targets() -> None:
    today = date(2026, 6, 1)
    a, b = company("A"), company("B")
    PartnerStanding.objects.create(company=a)
    PartnerStanding.objects.create(company=b)
    Certification.objects.create(
        company=a, person="X", role="engineer", expires=today + timedelta(days=1)
    )
    Certification.objects.create(
        company=b, person="Y", role="engineer", expires=today - timedelta(days=1)
    )
    strategy = services.strategy_create(title="T", role="vendor")
    share = services.target_create(
        strategy=strategy, metric=TargetMetric.CERTIFIED_PARTNER_SHARE, target_value=Decimal(80)
    )
    assert selectors.target_current_value(target=share, today=today) == Decimal("50.00")
    for discount in (Decimal(25), Decimal(15)):
        result = price_deal(Deal(lines=(DealLine(Decimal(1000)),)), FixedMargin(discount))
        services.deal_calculation_save(result=result, inputs={})
    old = DealCalculation.objects.first()
    DealCalculation.objects.create(
        tactic="fixed",
        customer_price=1,
        partner_margin_pct=Decimal(90),
        created=timezone.now() - timedelta(days=400),
    )
    assert old is not None
    margin = services.target_create(
        strategy=strategy, metric=TargetMetric.PARTNER_MARGIN_PCT, target_value=Decimal(25)
    )
    assert selectors.target_current_value(target=margin) == Decimal("20.00")
    below = services.target_create(
        strategy=strategy, metric=TargetMetric.DEALS_BELOW_FLOOR, target_value=Decimal(0)
    )
    progress = selectors.target_progress(target=below)
    assert progress.current == 1 and progress.progress_pct == 0


def test_program_report_from_the_database() -> None:
    silver = ProgramLevel.objects.create(
        key="silver", name="Silver", rank=2, min_certified_engineers=1
    )
    ProgramLevel.objects.create(key="registered", name="Registered", rank=1)
    a, b = company("A"), company("B")
    PartnerStanding.objects.create(company=a, level=None)
    PartnerStanding.objects.create(company=b, level=silver)
    Certification.objects.create(company=a, person="X", role="engineer", provider="pearson_vue")
    report = selectors.program_report()
    moves = {p["partner_name"]: (p["qualifying_level"], p["movement"]) for p in report["partners"]}
    assert moves == {"A": ("silver", "enter"), "B": ("registered", "demote")}
