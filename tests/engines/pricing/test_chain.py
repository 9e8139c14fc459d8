"""Margin chain: hand-computed deals under every tactic, kopeck rounding, and chain properties."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from partnernet.engines.pricing.chain import (
    Deal,
    DealLine,
    Discounts,
    FixedMargin,
    FlexibleMargin,
    InflatedListMargin,
    Override,
    ParticipationMargin,
    PricingError,
    StatusMargin,
    money,
    price_after,
    price_deal,
    run_chain,
    tactic_from_dict,
)


def parties(result) -> dict[str, tuple]:
    return {p.role: (p.buys_at, p.sells_at, p.margin, p.margin_pct) for p in result.parties}


def codes(result) -> list[str]:
    return [w.code for w in result.warnings]


def test_fixed_margin_by_hand() -> None:
    # list 1000.00 × 3; distributor 35% off list, partner 25% off list, customer pays list
    deal = Deal(lines=(DealLine(D("1000"), 3),))
    result = price_deal(deal, FixedMargin(D(25), D(35)))
    assert parties(result) == {
        "vendor": (None, D("1950.00"), None, None),
        "distributor": (D("1950.00"), D("2250.00"), D("300.00"), D("13.33")),
        "partner": (D("2250.00"), D("3000.00"), D("750.00"), D("25.00")),
        "customer": (D("3000.00"), None, None, None),
    }
    assert result.spread == D("1050.00")
    assert codes(result) == []


def test_rounding_to_kopecks_per_unit_by_hand() -> None:
    # 999.99 × 0.667 = 666.99333 → 666.99; × 0.825 = 824.99175 → 824.99; × 0.975 = 974.99025
    # → 974.99. Totals for 3 units: 2000.97, 2474.97, 2924.97.
    deal = Deal(lines=(DealLine(D("999.99"), 3),), customer_discount_pct=D("2.5"))
    result = price_deal(deal, FixedMargin(D("17.5"), D("33.3")))
    assert parties(result)["distributor"] == (D("2000.97"), D("2474.97"), D("474.00"), D("19.15"))
    # 450.00 / 2924.97 = 15.3848…%
    assert parties(result)["partner"] == (D("2474.97"), D("2924.97"), D("450.00"), D("15.38"))
    assert result.spread == D("924.00")
    assert codes(result) == ["below_partner_floor"]


def test_half_up_not_bankers_rounding() -> None:
    assert price_after(D("0.05"), D(50)) == D("0.03")  # 0.025 → 0.03 (banker's would give 0.02)
    assert money(D("2.675")) == D("2.68")


def test_floating_by_status_by_hand() -> None:
    tactic = StatusMargin({"Registered": D(10), "Silver": D(15), "Gold": D(20)}, D(30))
    silver = price_deal(Deal(lines=(DealLine(D(200_000)),), partner_status="Silver"), tactic)
    assert parties(silver)["partner"] == (D("170000.00"), D("200000.00"), D("30000.00"), D("15.00"))
    assert parties(silver)["distributor"] == (
        D("140000.00"),
        D("170000.00"),
        D("30000.00"),
        D("17.65"),
    )
    assert codes(silver) == ["below_partner_floor"]
    gold = price_deal(Deal(lines=(DealLine(D(200_000)),), partner_status="Gold"), tactic)
    assert parties(gold)["partner"][3] == D("20.00")
    assert codes(gold) == []  # exactly at the floor is not below it
    with pytest.raises(PricingError, match="Platinum"):
        price_deal(Deal(lines=(DealLine(D(1)),), partner_status="Platinum"), tactic)


def test_floating_by_participation_by_hand() -> None:
    tactic = ParticipationMargin(
        D(30), {"presale": D(5), "pilot": D(5), "implementation": D(10)}, distributor_pct=D(40)
    )
    lines = (DealLine(D(100_000)),)
    own = price_deal(Deal(lines=lines), tactic)
    assert parties(own)["partner"] == (D("70000.00"), D("100000.00"), D("30000.00"), D("30.00"))
    assert parties(own)["distributor"][2] == D("10000.00")
    assert own.vendor_revenue == D("60000.00")
    helped = price_deal(
        Deal(
            lines=lines,
            stages={"presale": "distributor", "pilot": "partner", "implementation": "vendor"},
        ),
        tactic,
    )
    # partner: 30 − 5 − 10 = 15%; distributor: 40 − 10 (the vendor's share) = 30%
    assert (helped.discounts.partner_pct, helped.discounts.distributor_pct) == (D(15), D(30))
    assert parties(helped)["partner"] == (D("85000.00"), D("100000.00"), D("15000.00"), D("15.00"))
    # the distributor earns the presale points (5000), the vendor the implementation points
    assert parties(helped)["distributor"][2] == D("15000.00")
    assert helped.vendor_revenue == D("70000.00")
    assert codes(helped) == ["participation_reduced", "below_partner_floor"]


def test_participation_rejects_impossible_stages() -> None:
    tactic = ParticipationMargin(D(20), {"presale": D(5)})
    with pytest.raises(PricingError, match="has none"):
        price_deal(Deal(lines=(DealLine(D(1)),), stages={"presale": "distributor"}), tactic)
    with pytest.raises(PricingError, match="unknown stage"):
        price_deal(Deal(lines=(DealLine(D(1)),), stages={"support": "vendor"}), tactic)
    with pytest.raises(PricingError, match="exceed"):
        price_deal(
            Deal(lines=(DealLine(D(1)),), stages={"presale": "vendor"}),
            ParticipationMargin(D(3), {"presale": D(5)}),
        )


def test_inflated_price_list_by_hand() -> None:
    # list 1,000,000 (inflated); partner 60% off, distributor 65% off; partner gives the
    # customer 45% off the list: customer 550,000, partner 400,000, distributor 350,000
    deal = Deal(lines=(DealLine(D(1_000_000)),), customer_discount_pct=D(45))
    result = price_deal(deal, InflatedListMargin(D(60), D(65)))
    assert parties(result)["partner"] == (
        D("400000.00"),
        D("550000.00"),
        D("150000.00"),
        D("27.27"),
    )
    assert parties(result)["distributor"] == (
        D("350000.00"),
        D("400000.00"),
        D("50000.00"),
        D("12.50"),
    )
    assert codes(result) == []
    assert "outside_inflated_range" in codes(price_deal(deal, InflatedListMargin(D(40), D(45))))


def test_flexible_override_needs_approval_only_when_it_raises_a_discount() -> None:
    tactic = FlexibleMargin(FixedMargin(D(15), D(25)))
    lines = (DealLine(D(10_000)),)
    base = price_deal(Deal(lines=lines), tactic)
    assert base.discounts.partner_pct == D(15)
    raised = price_deal(Deal(lines=lines, override=Override(D(22))), tactic)
    assert parties(raised)["partner"] == (D("7800.00"), D("10000.00"), D("2200.00"), D("22.00"))
    assert raised.discounts.distributor_pct == D(25)
    assert codes(raised) == ["override_not_approved"]
    approved = price_deal(Deal(lines=lines, override=Override(D(22), approved_by="CEO")), tactic)
    assert codes(approved) == []
    lowered = price_deal(Deal(lines=lines, override=Override(D(10))), tactic)
    assert "override_not_approved" not in codes(lowered)


def test_no_distributor_and_per_partner_floor() -> None:
    deal = Deal(lines=(DealLine(D(500)), DealLine(D("120.50"), 2)), partner_floor_pct=D(30))
    result = price_deal(deal, FixedMargin(D(25)))
    assert [p.role for p in result.parties] == ["vendor", "partner", "customer"]
    # 500 → 375.00; 120.50 → 90.375 → 90.38 (×2 = 180.76)
    assert result.vendor_revenue == D("555.76")
    assert result.customer_price == D("741.00")
    assert parties(result)["partner"][2:] == (D("185.24"), D("25.00"))
    assert codes(result) == ["below_partner_floor"]


def test_inverted_discounts_are_flagged_not_hidden() -> None:
    result = run_chain([DealLine(D(100))], Discounts(D(30), D(20)))
    assert parties(result)["distributor"][2] == D("-10.00")
    assert codes(result) == ["negative_margin"]


def test_selling_above_the_list() -> None:
    result = run_chain([DealLine(D(100))], Discounts(D(20), None, D(-10)))
    assert result.customer_price == D("110.00")
    assert parties(result)["partner"][2] == D("30.00")


@pytest.mark.parametrize(
    "kwargs",
    [
        dict(partner_pct=D(100)),
        dict(partner_pct=D(-1)),
        dict(partner_pct=D(10), distributor_pct=D(120)),
    ],
)
def test_impossible_discounts_are_refused(kwargs) -> None:
    with pytest.raises(PricingError):
        Discounts(**kwargs)


def test_floats_enter_through_their_decimal_repr() -> None:
    assert Discounts(0.1 + 0.2).partner_pct == D("0.30000000000000004")
    assert DealLine(19.99).list_price == D("19.99")


def test_waterfall_steps_add_up() -> None:
    deal = Deal(lines=(DealLine(D(1_000_000)),), customer_discount_pct=D(45))
    result = price_deal(deal, InflatedListMargin(D(60), D(65)))
    steps = {s["label"]: s["amount"] for s in result.waterfall()}
    assert steps["list_total"] + steps["customer_discount"] == steps["customer_price"]
    assert (
        steps["customer_price"] + steps["partner_margin"] + steps["distributor_margin"]
        == steps["vendor_revenue"]
    )


@pytest.mark.parametrize(
    "data, kind",
    [
        ({"tactic": "fixed", "partner_pct": 20, "distributor_pct": "30"}, FixedMargin),
        ({"tactic": "floating_by_status", "partner_pct_by_status": {"Gold": 20}}, StatusMargin),
        (
            {
                "tactic": "floating_by_participation",
                "max_partner_pct": 30,
                "stage_pct": {"pilot": 5},
            },
            ParticipationMargin,
        ),
        ({"tactic": "inflated_price_list"}, InflatedListMargin),
        ({"tactic": "flexible", "partner_pct": 20}, FlexibleMargin),
    ],
)
def test_tactics_from_plain_data(data, kind) -> None:
    assert isinstance(tactic_from_dict(data), kind)


def test_unknown_tactic_from_plain_data() -> None:
    with pytest.raises(PricingError, match="unknown margin tactic"):
        tactic_from_dict({"tactic": "generous"})


# --- properties ----------------------------------------------------------------------------------

prices = st.decimals(min_value=D("0.01"), max_value=D("10000000"), places=2)
pcts = st.decimals(min_value=D(0), max_value=D("99.99"), places=2)
lines_st = st.lists(
    st.builds(DealLine, prices, st.integers(min_value=1, max_value=1000)), min_size=1, max_size=5
)


@settings(max_examples=200, deadline=None)
@given(
    lines=lines_st,
    a=pcts,
    b=pcts,
    c=pcts,
    above_list=st.decimals(min_value=D(0), max_value=D(50), places=2),
    with_distributor=st.booleans(),
)
def test_ordered_discounts_never_make_a_buyer_pay_less_than_its_seller(
    lines, a, b, c, above_list, with_distributor
) -> None:
    """With d_dist ≥ d_partner ≥ d_customer (the customer may even pay above list), each party
    buys at no more than it sells for, so all margins are ≥ 0 and amounts are in kopecks."""
    d_dist, d_partner, d_customer = sorted((a, b, c), reverse=True)
    d_customer = d_customer - above_list
    result = run_chain(
        lines, Discounts(d_partner, d_dist if with_distributor else None, d_customer)
    )
    chain = [p for p in result.parties if p.role in ("distributor", "partner")]
    for party in chain:
        assert party.buys_at <= party.sells_at
        assert party.margin >= 0
    assert result.vendor_revenue <= result.customer_price
    for amount in (result.vendor_revenue, result.customer_price, *(p.margin for p in chain)):
        assert amount == amount.quantize(D("0.01"))
    assert "negative_margin" not in codes(result)


@settings(max_examples=200, deadline=None)
@given(
    lines=lines_st, a=pcts, b=pcts, c=st.decimals(min_value=D(-50), max_value=D("99.99"), places=2)
)
def test_margins_sum_to_the_spread_for_any_discounts(lines, a, b, c) -> None:
    result = run_chain(lines, Discounts(b, a, c))
    margins = sum(p.margin for p in result.parties if p.margin is not None)
    assert margins == result.spread == result.customer_price - result.vendor_revenue


@settings(max_examples=100, deadline=None)
@given(lines=lines_st, a=pcts, b=pcts)
def test_a_bigger_partner_discount_never_raises_the_partners_price(lines, a, b) -> None:
    low, high = sorted((a, b))
    cheap = run_chain(lines, Discounts(high)).party("partner")
    dear = run_chain(lines, Discounts(low)).party("partner")
    assert cheap.buys_at <= dear.buys_at


def test_line_totals_and_margins_by_hand() -> None:
    # licence 1000.00 × 3 and support 333.33 × 2; distributor 35%, partner 25% off list
    deal = Deal(lines=(DealLine(D("1000"), 3, "licence"), DealLine(D("333.33"), 2, "support")))
    licence, support = price_deal(deal, FixedMargin(D(25), D(35))).lines
    assert (licence.list_total, licence.partner_total, licence.customer_total) == (
        D("3000"),
        D("1500.00") + D("750.00"),
        D("3000.00"),
    )
    assert (licence.partner_margin, licence.partner_margin_pct) == (D("750.00"), D("25.00"))
    assert licence.distributor_margin == D("300.00")
    # 333.33 × 0.75 = 249.9975 → 250.00 per unit; × 0.65 = 216.6645 → 216.66
    assert (support.partner_price, support.distributor_price) == (D("250.00"), D("216.66"))
    assert (support.partner_margin, support.distributor_margin) == (D("166.66"), D("66.68"))
    assert support.partner_margin_pct == D("25.00")  # 166.66 / 666.66
    assert support.to_dict()["customer_total"] == D("666.66")
    no_distributor = run_chain((DealLine(D(10)),), Discounts(D(10))).lines[0]
    assert no_distributor.distributor_total is None and no_distributor.distributor_margin is None


@settings(max_examples=150, deadline=None)
@given(lines=lines_st, a=pcts, b=pcts, with_distributor=st.booleans())
def test_lines_add_up_to_the_deal(lines, a, b, with_distributor) -> None:
    """Per-line totals and margins sum exactly to the deal's (no rounding drift)."""
    d_dist, d_partner = sorted((a, b), reverse=True)
    result = run_chain(lines, Discounts(d_partner, d_dist if with_distributor else None))
    assert sum(line.customer_total for line in result.lines) == result.customer_price
    assert sum(line.partner_margin for line in result.lines) == result.party("partner").margin
    assert sum(line.list_total for line in result.lines) == result.list_total
    if with_distributor:
        distributor = result.party("distributor")
        assert sum(line.distributor_margin for line in result.lines) == distributor.margin
        assert sum(line.distributor_total for line in result.lines) == result.vendor_revenue
