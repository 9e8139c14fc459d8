"""Perpetual vs subscription: hand-computed yearly flows, break-even, present value."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from partnernet.engines.pricing.chain import Discounts, PricingError
from partnernet.engines.pricing.licensing import PerpetualTerms, SubscriptionTerms, compare

CHAIN = Discounts(D(25), D(35))


def test_yearly_flows_by_hand() -> None:
    result = compare(
        PerpetualTerms(D(1_000_000), support_pct=D(20)),
        SubscriptionTerms(D(350_000)),
        horizon_years=5,
        discounts=CHAIN,
    )
    first, second = result.perpetual.years[:2]
    # year 1: the licence (CAPEX), support included; the chain splits 1,000,000 into
    # vendor 650,000 / distributor 100,000 / partner 250,000
    assert (first.capex, first.opex, first.vendor, first.distributor, first.partner) == (
        D("1000000.00"),
        D("0.00"),
        D("650000.00"),
        D("100000.00"),
        D("250000.00"),
    )
    # year 2: support 20% = 200,000 (OPEX)
    assert (second.capex, second.opex, second.vendor, second.partner) == (
        D("0.00"),
        D("200000.00"),
        D("130000.00"),
        D("50000.00"),
    )
    assert [y.cumulative_customer for y in result.perpetual.years][-1] == D("1800000.00")
    assert [y.cumulative_customer for y in result.subscription.years][-1] == D("1750000.00")
    assert all(y.capex == 0 for y in result.subscription.years)
    assert result.break_even_year is None  # 1.75M < 1.8M after five years
    totals = result.to_dict()["subscription"]["totals"]
    assert totals["opex"] == D("1750000.00") and totals["partner"] == D("437500.00")


def test_break_even_year() -> None:
    result = compare(
        PerpetualTerms(D(1_000_000)),
        SubscriptionTerms(D(350_000)),
        horizon_years=6,
        discounts=CHAIN,
    )
    assert result.break_even_year == 6  # 2.1M vs 2.0M


def test_indexation_and_paid_first_year_support() -> None:
    result = compare(
        PerpetualTerms(
            D(100_000),
            support_pct=D(22),
            first_year_support_included=False,
            support_indexation_pct=D(5),
        ),
        SubscriptionTerms(D(40_000), indexation_pct=D(10)),
        horizon_years=3,
        discounts=Discounts(D(0)),
    )
    assert [y.opex for y in result.perpetual.years] == [D("22000.00"), D("23100.00"), D("24255.00")]
    assert [y.customer for y in result.subscription.years] == [
        D("40000.00"),
        D("44000.00"),
        D("48400.00"),
    ]
    assert result.perpetual.years[0].distributor is None  # no distributor in this chain


def test_present_value() -> None:
    result = compare(
        PerpetualTerms(D(1000)),
        SubscriptionTerms(D(350_000)),
        horizon_years=2,
        discounts=Discounts(D(0)),
        discount_rate_pct=D(10),
    )
    # 350,000 + 350,000 / 1.1 = 668,181.818… → 668,181.82
    assert result.subscription.present_value == D("668181.82")


def test_bad_inputs() -> None:
    with pytest.raises(PricingError):
        compare(PerpetualTerms(D(1)), SubscriptionTerms(D(1)), horizon_years=0, discounts=CHAIN)
    with pytest.raises(PricingError):
        compare(PerpetualTerms(D(-1)), SubscriptionTerms(D(1)), horizon_years=1, discounts=CHAIN)
