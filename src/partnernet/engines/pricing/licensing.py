"""Perpetual licence vs subscription over a horizon: CAPEX vs OPEX and yearly cash flows.

Book §5.7: a perpetual licence is a large, roughly one-off payment (the customer's capital
budget, CAPEX) plus yearly support; a subscription is a smaller payment every year (operating
budget, OPEX) that makes later years' business predictable. This module lays both out year by
year for the customer and for each party of the chain.

Model (our decisions, see docs/pricing.md):
- perpetual: year 1 the licence price (CAPEX); support is ``support_pct`` of the licence price a
  year (OPEX), from year 1 unless ``first_year_support_included`` (then from year 2), growing by
  ``support_indexation_pct`` a year;
- subscription: ``yearly_price`` every year (OPEX), growing by ``indexation_pct`` a year;
- every payment passes through the same chain discounts (:class:`~.chain.Discounts`), so each
  party's yearly margin follows from :func:`~.chain.run_chain`;
- the break-even year is the first year in which the subscription's cumulative cost exceeds the
  perpetual one's; an optional ``discount_rate_pct`` gives present values too.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from partnernet.engines.pricing.chain import (
    HUNDRED,
    DealLine,
    Discounts,
    PricingError,
    money,
    run_chain,
)


@dataclass(frozen=True)
class PerpetualTerms:
    licence_price: Decimal
    support_pct: Decimal = Decimal(20)
    first_year_support_included: bool = True
    support_indexation_pct: Decimal = Decimal(0)


@dataclass(frozen=True)
class SubscriptionTerms:
    yearly_price: Decimal
    indexation_pct: Decimal = Decimal(0)


@dataclass(frozen=True)
class YearFlow:
    year: int
    capex: Decimal  # customer's capital payment this year
    opex: Decimal  # customer's operating payment this year
    customer: Decimal  # capex + opex
    vendor: Decimal
    distributor: Decimal | None  # margin
    partner: Decimal  # margin
    cumulative_customer: Decimal

    def to_dict(self) -> dict[str, Any]:
        return {
            "year": self.year,
            "capex": self.capex,
            "opex": self.opex,
            "customer": self.customer,
            "vendor": self.vendor,
            "distributor": self.distributor,
            "partner": self.partner,
            "cumulative_customer": self.cumulative_customer,
        }


@dataclass(frozen=True)
class ModelFlows:
    model: str  # perpetual | subscription
    years: tuple[YearFlow, ...]
    present_value: Decimal | None

    def total(self, field_name: str) -> Decimal | None:
        values = [getattr(y, field_name) for y in self.years]
        if any(v is None for v in values):
            return None
        return sum(values, Decimal(0))

    def to_dict(self) -> dict[str, Any]:
        return {
            "model": self.model,
            "years": [y.to_dict() for y in self.years],
            "totals": {
                name: self.total(name)
                for name in ("capex", "opex", "customer", "vendor", "distributor", "partner")
            },
            "present_value": self.present_value,
        }


@dataclass(frozen=True)
class LicensingComparison:
    horizon_years: int
    perpetual: ModelFlows
    subscription: ModelFlows
    break_even_year: int | None  # first year subscription costs the customer more, cumulatively

    def to_dict(self) -> dict[str, Any]:
        return {
            "horizon_years": self.horizon_years,
            "perpetual": self.perpetual.to_dict(),
            "subscription": self.subscription.to_dict(),
            "break_even_year": self.break_even_year,
        }


def _grown(amount: Decimal, pct: Decimal, years: int) -> Decimal:
    """``amount`` after ``years`` of ``pct`` yearly growth, in kopecks."""
    return money(amount * ((HUNDRED + pct) / HUNDRED) ** years)


def _flows(
    model: str,
    payments: list[tuple[Decimal, Decimal]],
    discounts: Discounts,
    discount_rate_pct: Decimal | None,
) -> ModelFlows:
    years = []
    cumulative = Decimal(0)
    present = Decimal(0)
    for index, (capex_list, opex_list) in enumerate(payments, start=1):
        capex = opex = vendor = partner = Decimal("0.00")
        distributor: Decimal | None = None if discounts.distributor_pct is None else Decimal("0.00")
        for amount, is_capex in ((capex_list, True), (opex_list, False)):
            if amount == 0:
                continue
            result = run_chain([DealLine(amount)], discounts, partner_floor_pct=None)
            if is_capex:
                capex += result.customer_price
            else:
                opex += result.customer_price
            vendor += result.vendor_revenue
            partner_result = result.party("partner")
            assert partner_result is not None and partner_result.margin is not None
            partner += partner_result.margin
            dist_result = result.party("distributor")
            if (
                distributor is not None
                and dist_result is not None
                and dist_result.margin is not None
            ):
                distributor += dist_result.margin
        customer = capex + opex
        cumulative += customer
        if discount_rate_pct is not None:
            present += customer / ((HUNDRED + discount_rate_pct) / HUNDRED) ** (index - 1)
        years.append(
            YearFlow(index, capex, opex, customer, vendor, distributor, partner, cumulative)
        )
    return ModelFlows(
        model, tuple(years), money(present) if discount_rate_pct is not None else None
    )


def compare(
    perpetual: PerpetualTerms,
    subscription: SubscriptionTerms,
    *,
    horizon_years: int,
    discounts: Discounts,
    discount_rate_pct: Decimal | None = None,
) -> LicensingComparison:
    """Year-by-year cash flows of both licence models over ``horizon_years`` (list prices in)."""
    if horizon_years < 1:
        raise PricingError("horizon_years must be at least 1")
    if perpetual.licence_price < 0 or subscription.yearly_price < 0:
        raise PricingError("prices must not be negative")
    support = money(perpetual.licence_price * perpetual.support_pct / HUNDRED)
    perpetual_payments = []
    for year in range(1, horizon_years + 1):
        capex = perpetual.licence_price if year == 1 else Decimal(0)
        support_years = year - 2 if perpetual.first_year_support_included else year - 1
        opex = (
            Decimal(0)
            if support_years < 0
            else _grown(support, perpetual.support_indexation_pct, support_years)
        )
        perpetual_payments.append((capex, opex))
    subscription_payments = [
        (Decimal(0), _grown(subscription.yearly_price, subscription.indexation_pct, year - 1))
        for year in range(1, horizon_years + 1)
    ]
    perpetual_flows = _flows("perpetual", perpetual_payments, discounts, discount_rate_pct)
    subscription_flows = _flows("subscription", subscription_payments, discounts, discount_rate_pct)
    break_even = next(
        (
            s.year
            for p, s in zip(perpetual_flows.years, subscription_flows.years, strict=True)
            if s.cumulative_customer > p.cumulative_customer
        ),
        None,
    )
    return LicensingComparison(horizon_years, perpetual_flows, subscription_flows, break_even)
