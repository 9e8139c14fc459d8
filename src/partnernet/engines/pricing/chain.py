"""The margin chain vendor → distributor → partner → customer, in Decimal roubles and kopecks.

Every discount is a percentage **off the list price** (the way Russian channel price lists are
quoted): the distributor buys at ``list × (1 − d_dist)``, the partner at ``list × (1 − d_partner)``
and the customer pays ``list × (1 − d_customer)`` (a negative customer discount means the partner
sells above the list, which a closed price list allows). Unit prices are rounded to kopecks
half-up, as on an invoice; line totals are unit price × quantity, so totals are exact.

A party's margin is what it sells for minus what it pays; its margin percent is that margin over
its selling price (the "share of the contract" large integrators compare with their 20–30% floor).

What always holds (tested with hypothesis): when ``d_dist ≥ d_partner ≥ d_customer`` no party
pays less than the party it buys from, so every margin is ≥ 0; and for any discounts the margins
of the distributor and the partner add up exactly to the spread ``customer price − vendor's
revenue``. Violations of the order are reported as warnings, not hidden.

A margin *tactic* (book §5.6) decides the discounts for one deal: :class:`FixedMargin`,
:class:`StatusMargin`, :class:`ParticipationMargin`, :class:`InflatedListMargin`,
:class:`FlexibleMargin`; :func:`price_deal` runs the chain under one of them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Protocol

KOPECK = Decimal("0.01")
PERCENT_STEP = Decimal("0.01")
HUNDRED = Decimal(100)
DEFAULT_PARTNER_FLOOR_PCT = Decimal(20)  # bottom of the 20–30% large Russian integrators require
STAGES = ("presale", "pilot", "implementation")
PERFORMERS = ("partner", "distributor", "vendor")
INFLATED_RANGE = (Decimal(50), Decimal(70))


class PricingError(ValueError):
    """Inputs that cannot be priced (unknown status, negative price, discount ≥ 100%…)."""


def money(value: Decimal) -> Decimal:
    """Round to kopecks, half-up."""
    return value.quantize(KOPECK, rounding=ROUND_HALF_UP)


def percent(part: Decimal, whole: Decimal) -> Decimal | None:
    """``part`` as a percentage of ``whole``, to 0.01; None when ``whole`` is zero."""
    if whole == 0:
        return None
    return (part * HUNDRED / whole).quantize(PERCENT_STEP, rounding=ROUND_HALF_UP)


def _dec(value: Any, name: str) -> Decimal:
    if isinstance(value, float):
        # floats carry binary noise (0.1 + 0.2); go through their shortest repr instead.
        value = repr(value)
    try:
        result = Decimal(str(value))
    except Exception as exc:
        raise PricingError(f"{name}: not a number: {value!r}") from exc
    if not result.is_finite():
        raise PricingError(f"{name}: not a finite number")
    return result


def price_after(list_price: Decimal, discount_pct: Decimal) -> Decimal:
    """Unit price after ``discount_pct`` off ``list_price``, in kopecks."""
    return money(list_price * (HUNDRED - discount_pct) / HUNDRED)


# --- inputs --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DealLine:
    list_price: Decimal  # per unit, roubles
    quantity: int = 1
    name: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "list_price", _dec(self.list_price, "list_price"))
        if self.list_price < 0:
            raise PricingError("list_price must not be negative")
        if self.quantity < 1:
            raise PricingError("quantity must be at least 1")


@dataclass(frozen=True)
class Discounts:
    """Percent off list for each buyer; ``distributor_pct=None`` = no distributor in the chain."""

    partner_pct: Decimal
    distributor_pct: Decimal | None = None
    customer_pct: Decimal = Decimal(0)

    def __post_init__(self) -> None:
        object.__setattr__(self, "partner_pct", _dec(self.partner_pct, "partner_pct"))
        object.__setattr__(self, "customer_pct", _dec(self.customer_pct, "customer_pct"))
        if self.distributor_pct is not None:
            object.__setattr__(
                self, "distributor_pct", _dec(self.distributor_pct, "distributor_pct")
            )
        for name in ("partner_pct", "distributor_pct", "customer_pct"):
            value = getattr(self, name)
            if value is not None and value >= HUNDRED:
                raise PricingError(f"{name} must be below 100%")
        for name in ("partner_pct", "distributor_pct"):
            value = getattr(self, name)
            if value is not None and value < 0:
                raise PricingError(f"{name} must not be negative")


@dataclass(frozen=True)
class Override:
    """A per-deal change of discounts under the flexible tactic, and who approved it."""

    partner_pct: Decimal
    distributor_pct: Decimal | None = None
    approved_by: str | None = None
    reason: str = ""


@dataclass(frozen=True)
class Deal:
    lines: tuple[DealLine, ...]
    partner_status: str | None = None
    # stage → who does it: "partner" (default), "distributor" or "vendor"
    stages: Mapping[str, str] = field(default_factory=dict)
    customer_discount_pct: Decimal = Decimal(0)
    override: Override | None = None
    partner_floor_pct: Decimal = DEFAULT_PARTNER_FLOOR_PCT
    distributor_floor_pct: Decimal | None = None
    partner_name: str = ""


@dataclass(frozen=True)
class PriceWarning:
    code: str
    message: Mapping[str, str]
    party: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"code": self.code, "party": self.party, "message": dict(self.message)}


# --- margin tactics (book §5.6) ------------------------------------------------------------------


class MarginTactic(Protocol):
    @property
    def key(self) -> str: ...

    def discounts(self, deal: Deal) -> tuple[Discounts, list[PriceWarning]]: ...


@dataclass(frozen=True)
class FixedMargin:
    """One discount for every partner and deal."""

    partner_pct: Decimal
    distributor_pct: Decimal | None = None
    key: str = "fixed"

    def discounts(self, deal: Deal) -> tuple[Discounts, list[PriceWarning]]:
        return Discounts(self.partner_pct, self.distributor_pct, deal.customer_discount_pct), []


@dataclass(frozen=True)
class StatusMargin:
    """The partner's discount is set by its level in the partner programme."""

    partner_pct_by_status: Mapping[str, Decimal]
    distributor_pct: Decimal | None = None
    key: str = "floating_by_status"

    def discounts(self, deal: Deal) -> tuple[Discounts, list[PriceWarning]]:
        status = deal.partner_status
        if status is None or status not in self.partner_pct_by_status:
            known = ", ".join(self.partner_pct_by_status)
            raise PricingError(f"partner status {status!r} has no discount; known: {known}")
        pct = self.partner_pct_by_status[status]
        return Discounts(pct, self.distributor_pct, deal.customer_discount_pct), []


@dataclass(frozen=True)
class ParticipationMargin:
    """The full discount when the partner does presale, pilot and implementation itself.

    Each stage taken over by someone else costs the partner ``stage_pct[stage]`` points. If the
    distributor does it, the distributor keeps those points (it buys at the same price and sells
    to the partner dearer). If the vendor does it, the vendor keeps them: the distributor's
    discount drops by the same points, so the distributor's margin is untouched by work it did
    not do. Without a distributor the vendor keeps the points either way.
    """

    max_partner_pct: Decimal
    stage_pct: Mapping[str, Decimal]
    distributor_pct: Decimal | None = None
    key: str = "floating_by_participation"

    def discounts(self, deal: Deal) -> tuple[Discounts, list[PriceWarning]]:
        partner = _dec(self.max_partner_pct, "max_partner_pct")
        distributor = (
            None if self.distributor_pct is None else _dec(self.distributor_pct, "distributor_pct")
        )
        for stage, performer in deal.stages.items():
            if stage not in self.stage_pct:
                raise PricingError(f"unknown stage {stage!r}; known: {', '.join(self.stage_pct)}")
            if performer not in PERFORMERS:
                raise PricingError(f"stage {stage}: performer must be one of {PERFORMERS}")
            if performer == "partner":
                continue
            if performer == "distributor" and distributor is None:
                raise PricingError(f"stage {stage}: done by a distributor, but the chain has none")
            points = _dec(self.stage_pct[stage], f"stage_pct[{stage}]")
            partner -= points
            if performer == "vendor" and distributor is not None:
                distributor -= points
        warnings = []
        if partner < 0 or (distributor is not None and distributor < 0):
            raise PricingError("stage deductions exceed the discount they are taken from")
        if partner < self.max_partner_pct:
            warnings.append(
                PriceWarning(
                    "participation_reduced",
                    {
                        "ru": (
                            f"Скидка партнёра снижена до {partner}% за работы, выполненные не им."
                        ),
                        "en": f"Partner discount reduced to {partner}% for work others did.",
                    },
                    "partner",
                )
            )
        return Discounts(partner, distributor, deal.customer_discount_pct), warnings


@dataclass(frozen=True)
class InflatedListMargin:
    """A deliberately high list price with a 50–70% default partner discount."""

    partner_pct: Decimal = Decimal(60)
    distributor_pct: Decimal | None = None
    key: str = "inflated_price_list"

    def discounts(self, deal: Deal) -> tuple[Discounts, list[PriceWarning]]:
        warnings = []
        pct = _dec(self.partner_pct, "partner_pct")
        low, high = INFLATED_RANGE
        if not low <= pct <= high:
            warnings.append(
                PriceWarning(
                    "outside_inflated_range",
                    {
                        "ru": f"Скидка партнёра {pct}% вне обычных для этой тактики 50–70%.",
                        "en": (
                            f"Partner discount {pct}% is outside the 50–70% usual for this tactic."
                        ),
                    },
                    "partner",
                )
            )
        return Discounts(pct, self.distributor_pct, deal.customer_discount_pct), warnings


@dataclass(frozen=True)
class FlexibleMargin:
    """A base tactic whose discounts a deal may override; raising a discount needs approval."""

    base: MarginTactic
    key: str = "flexible"

    def discounts(self, deal: Deal) -> tuple[Discounts, list[PriceWarning]]:
        base, warnings = self.base.discounts(deal)
        override = deal.override
        if override is None:
            return base, warnings
        distributor = (
            base.distributor_pct if override.distributor_pct is None else override.distributor_pct
        )
        result = Discounts(override.partner_pct, distributor, base.customer_pct)
        raises = result.partner_pct > base.partner_pct or (
            result.distributor_pct is not None
            and base.distributor_pct is not None
            and result.distributor_pct > base.distributor_pct
        )
        if raises and not override.approved_by:
            warnings.append(
                PriceWarning(
                    "override_not_approved",
                    {
                        "ru": "Повышенная скидка по сделке ещё не согласована.",
                        "en": "The raised deal discount is not approved yet.",
                    },
                )
            )
        return result, warnings


# --- the chain -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class PartyResult:
    role: str  # vendor | distributor | partner | customer
    discount_pct: Decimal | None  # off list; the vendor's is the discount it grants its buyer
    buys_at: Decimal | None  # deal total the party pays
    sells_at: Decimal | None  # deal total the party receives
    margin: Decimal | None
    margin_pct: Decimal | None  # margin over selling price, %

    def to_dict(self) -> dict[str, Any]:
        return {
            "role": self.role,
            "discount_pct": self.discount_pct,
            "buys_at": self.buys_at,
            "sells_at": self.sells_at,
            "margin": self.margin,
            "margin_pct": self.margin_pct,
        }


@dataclass(frozen=True)
class LineResult:
    """One deal line: unit prices in kopecks and, as properties, the line's totals and margins
    (unit price × quantity, so the lines add up exactly to the deal's totals)."""

    name: str
    quantity: int
    list_price: Decimal
    distributor_price: Decimal | None
    partner_price: Decimal
    customer_price: Decimal

    @property
    def list_total(self) -> Decimal:
        return self.list_price * self.quantity

    @property
    def distributor_total(self) -> Decimal | None:
        return None if self.distributor_price is None else self.distributor_price * self.quantity

    @property
    def partner_total(self) -> Decimal:
        return self.partner_price * self.quantity

    @property
    def customer_total(self) -> Decimal:
        return self.customer_price * self.quantity

    @property
    def distributor_margin(self) -> Decimal | None:
        dist = self.distributor_total
        return None if dist is None else self.partner_total - dist

    @property
    def partner_margin(self) -> Decimal:
        return self.customer_total - self.partner_total

    @property
    def partner_margin_pct(self) -> Decimal | None:
        return percent(self.partner_margin, self.customer_total)

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "quantity": self.quantity,
            "list_price": self.list_price,
            "distributor_price": self.distributor_price,
            "partner_price": self.partner_price,
            "customer_price": self.customer_price,
            "list_total": self.list_total,
            "distributor_total": self.distributor_total,
            "partner_total": self.partner_total,
            "customer_total": self.customer_total,
            "distributor_margin": self.distributor_margin,
            "partner_margin": self.partner_margin,
            "partner_margin_pct": self.partner_margin_pct,
        }


@dataclass(frozen=True)
class ChainResult:
    tactic: str
    discounts: Discounts
    list_total: Decimal
    vendor_revenue: Decimal
    customer_price: Decimal
    parties: tuple[PartyResult, ...]
    lines: tuple[LineResult, ...]
    warnings: tuple[PriceWarning, ...]

    @property
    def spread(self) -> Decimal:
        return self.customer_price - self.vendor_revenue

    def party(self, role: str) -> PartyResult | None:
        return next((p for p in self.parties if p.role == role), None)

    def waterfall(self) -> list[dict[str, Any]]:
        """Steps from the list total down to the vendor's revenue, for a waterfall chart.

        list total − customer discount = customer price; − partner margin − distributor margin =
        vendor revenue. Each step has ``label``, ``amount`` (signed) and ``kind``.
        """
        steps: list[dict[str, Any]] = [
            {"label": "list_total", "amount": self.list_total, "kind": "total"},
            {
                "label": "customer_discount",
                "amount": self.customer_price - self.list_total,
                "kind": "step",
            },
            {"label": "customer_price", "amount": self.customer_price, "kind": "total"},
        ]
        for role in ("partner", "distributor"):
            party = self.party(role)
            if party is not None and party.margin is not None:
                steps.append({"label": f"{role}_margin", "amount": -party.margin, "kind": "step"})
        steps.append({"label": "vendor_revenue", "amount": self.vendor_revenue, "kind": "total"})
        return steps

    def to_dict(self) -> dict[str, Any]:
        return {
            "tactic": self.tactic,
            "discounts": {
                "distributor_pct": self.discounts.distributor_pct,
                "partner_pct": self.discounts.partner_pct,
                "customer_pct": self.discounts.customer_pct,
            },
            "list_total": self.list_total,
            "customer_price": self.customer_price,
            "vendor_revenue": self.vendor_revenue,
            "spread": self.spread,
            "parties": [p.to_dict() for p in self.parties],
            "lines": [line.to_dict() for line in self.lines],
            "warnings": [w.to_dict() for w in self.warnings],
            "waterfall": self.waterfall(),
        }


def run_chain(
    lines: Iterable[DealLine],
    discounts: Discounts,
    *,
    tactic: str = "",
    partner_floor_pct: Decimal | None = DEFAULT_PARTNER_FLOOR_PCT,
    distributor_floor_pct: Decimal | None = None,
    warnings: Iterable[PriceWarning] = (),
) -> ChainResult:
    """Price ``lines`` through the chain with fixed ``discounts``."""
    lines = tuple(lines)
    if not lines:
        raise PricingError("a deal needs at least one line")
    has_distributor = discounts.distributor_pct is not None
    results = []
    list_total = distributor_total = partner_total = customer_total = Decimal(0)
    for line in lines:
        dist_pct = discounts.distributor_pct
        dist_unit = None if dist_pct is None else price_after(line.list_price, dist_pct)
        partner_unit = price_after(line.list_price, discounts.partner_pct)
        customer_unit = price_after(line.list_price, discounts.customer_pct)
        q = line.quantity
        list_total += line.list_price * q
        if dist_unit is not None:
            distributor_total += dist_unit * q
        partner_total += partner_unit * q
        customer_total += customer_unit * q
        results.append(
            LineResult(line.name, q, line.list_price, dist_unit, partner_unit, customer_unit)
        )
    list_total = money(list_total)

    parties: list[PartyResult] = []
    vendor_revenue = distributor_total if has_distributor else partner_total
    parties.append(
        PartyResult(
            "vendor",
            discounts.distributor_pct if has_distributor else discounts.partner_pct,
            None,
            vendor_revenue,
            None,
            None,
        )
    )
    if has_distributor:
        margin = partner_total - distributor_total
        parties.append(
            PartyResult(
                "distributor",
                discounts.distributor_pct,
                distributor_total,
                partner_total,
                margin,
                percent(margin, partner_total),
            )
        )
    partner_margin = customer_total - partner_total
    parties.append(
        PartyResult(
            "partner",
            discounts.partner_pct,
            partner_total,
            customer_total,
            partner_margin,
            percent(partner_margin, customer_total),
        )
    )
    parties.append(
        PartyResult("customer", discounts.customer_pct, customer_total, None, None, None)
    )

    found = list(warnings)
    found += _margin_warnings(parties, partner_floor_pct, distributor_floor_pct)
    return ChainResult(
        tactic=tactic,
        discounts=discounts,
        list_total=list_total,
        vendor_revenue=vendor_revenue,
        customer_price=customer_total,
        parties=tuple(parties),
        lines=tuple(results),
        warnings=tuple(found),
    )


_ROLE_RU = {"distributor": "дистрибьютора", "partner": "партнёра"}


def _margin_warnings(
    parties: list[PartyResult], partner_floor: Decimal | None, distributor_floor: Decimal | None
) -> list[PriceWarning]:
    found = []
    floors = {"partner": partner_floor, "distributor": distributor_floor}
    for party in parties:
        if party.margin is None:
            continue
        if party.margin < 0:
            found.append(
                PriceWarning(
                    "negative_margin",
                    {
                        "ru": f"Маржа {_ROLE_RU[party.role]} отрицательна: {party.margin} ₽.",
                        "en": f"The {party.role}'s margin is negative: {party.margin} RUB.",
                    },
                    party.role,
                )
            )
            continue
        floor = floors.get(party.role)
        if floor is not None and party.margin_pct is not None and party.margin_pct < floor:
            found.append(
                PriceWarning(
                    f"below_{party.role}_floor",
                    {
                        "ru": (
                            f"Маржа {_ROLE_RU[party.role]} {party.margin_pct}% ниже порога "
                            f"{floor}%."
                        ),
                        "en": (
                            f"The {party.role}'s margin {party.margin_pct}% is below its {floor}% "
                            "floor."
                        ),
                    },
                    party.role,
                )
            )
    return found


def price_deal(deal: Deal, tactic: MarginTactic) -> ChainResult:
    """Resolve the tactic's discounts for ``deal`` and run the chain."""
    discounts, warnings = tactic.discounts(deal)
    return run_chain(
        deal.lines,
        discounts,
        tactic=tactic.key,
        partner_floor_pct=deal.partner_floor_pct,
        distributor_floor_pct=deal.distributor_floor_pct,
        warnings=warnings,
    )


MARGIN_TACTICS = (
    "fixed",
    "floating_by_status",
    "floating_by_participation",
    "inflated_price_list",
    "flexible",
)


def tactic_from_dict(data: Mapping[str, Any]) -> MarginTactic:
    """Build a margin tactic from plain data, e.g. ``{"tactic": "fixed", "partner_pct": 25}``."""
    kind = data.get("tactic")
    dist = data.get("distributor_pct")
    dist_dec = None if dist is None else _dec(dist, "distributor_pct")
    if kind == "fixed":
        return FixedMargin(_dec(data["partner_pct"], "partner_pct"), dist_dec)
    if kind == "floating_by_status":
        levels = {
            str(k): _dec(v, f"status {k}")
            for k, v in (data.get("partner_pct_by_status") or {}).items()
        }
        if not levels:
            raise PricingError("floating_by_status needs partner_pct_by_status")
        return StatusMargin(levels, dist_dec)
    if kind == "floating_by_participation":
        stages = {str(k): _dec(v, f"stage {k}") for k, v in (data.get("stage_pct") or {}).items()}
        return ParticipationMargin(
            _dec(data["max_partner_pct"], "max_partner_pct"), stages, dist_dec
        )
    if kind == "inflated_price_list":
        return InflatedListMargin(_dec(data.get("partner_pct", 60), "partner_pct"), dist_dec)
    if kind == "flexible":
        base = data.get("base") or {
            "tactic": "fixed",
            "partner_pct": data.get("partner_pct"),
            "distributor_pct": dist,
        }
        if base.get("tactic") == "flexible":
            raise PricingError("a flexible tactic cannot be based on another flexible one")
        return FlexibleMargin(tactic_from_dict(base))
    raise PricingError(
        f"unknown margin tactic {kind!r}; expected one of {', '.join(MARGIN_TACTICS)}"
    )
