"""``partnernet pricing``: the margin chain of a deal, and perpetual vs subscription licensing."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.core.management.base import CommandParser
from rich.table import Table

from partnernet.cli.base import CommandError, PartnernetCommand
from partnernet.engines.pricing.chain import (
    DEFAULT_PARTNER_FLOOR_PCT,
    MARGIN_TACTICS,
    STAGES,
    Deal,
    DealLine,
    Discounts,
    Override,
    PricingError,
    price_deal,
    tactic_from_dict,
)
from partnernet.engines.pricing.licensing import PerpetualTerms, SubscriptionTerms, compare
from partnernet.engines.strategy.program import ProgramError, read_records


def _decimal(value: str | None, name: str) -> Decimal | None:
    if value is None:
        return None
    try:
        return Decimal(value.replace(",", ".").replace(" ", ""))
    except InvalidOperation as exc:
        raise CommandError(f"{name}: not a number: {value!r}") from exc


def _pairs(values: list[str], name: str) -> dict[str, str]:
    pairs = {}
    for item in values:
        for part in item.split(","):
            if not part.strip():
                continue
            key, sep, value = part.partition("=")
            if not sep:
                raise CommandError(f"{name}: expected KEY=VALUE, got {part!r}")
            pairs[key.strip()] = value.strip()
    return pairs


class Command(PartnernetCommand):
    help = (
        "'deal': price a deal along vendor → distributor → partner → customer under a margin "
        "tactic (discounts in percent off the list price) and flag margins below the partner's "
        "floor. 'licensing': compare a perpetual licence with a subscription over a horizon."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["deal", "licensing"], help="what to compute")
        deal = parser.add_argument_group("deal")
        deal.add_argument("--list-price", help="list price of one unit, roubles")
        deal.add_argument("--quantity", type=int, default=1, help="units (default 1)")
        deal.add_argument(
            "--lines",
            metavar="FILE",
            help="deal lines: CSV/YAML/JSON with name, list_price, quantity",
        )
        deal.add_argument("--tactic", choices=MARGIN_TACTICS, default="fixed", help="margin tactic")
        deal.add_argument(
            "--distributor-discount",
            help="%% off list for the distributor; omit for no distributor",
        )
        deal.add_argument(
            "--partner-discount",
            help="%% off list for the partner (fixed, inflated, flexible base)",
        )
        deal.add_argument(
            "--customer-discount",
            default="0",
            help="%% off list for the customer; negative = above list",
        )
        deal.add_argument(
            "--status-discount",
            action="append",
            default=[],
            metavar="LEVEL=PCT",
            help="partner discount per status (floating_by_status); repeat or comma-separate",
        )
        deal.add_argument("--status", help="the partner's status (floating_by_status)")
        deal.add_argument(
            "--max-partner-discount", help="full discount (floating_by_participation)"
        )
        deal.add_argument(
            "--stage-discount",
            action="append",
            default=[],
            metavar="STAGE=PCT",
            help=f"points a stage is worth ({', '.join(STAGES)})",
        )
        deal.add_argument(
            "--stage",
            action="append",
            default=[],
            metavar="STAGE=WHO",
            help="who does a stage: partner, distributor or vendor",
        )
        deal.add_argument(
            "--override-partner-discount", help="flexible: the deal's partner discount"
        )
        deal.add_argument(
            "--override-distributor-discount", help="flexible: the deal's distributor discount"
        )
        deal.add_argument("--approved-by", help="flexible: who approved the override")
        deal.add_argument(
            "--floor",
            default=str(DEFAULT_PARTNER_FLOOR_PCT),
            help="partner's margin floor, %% of its selling price (default 20)",
        )
        deal.add_argument("--distributor-floor", help="distributor's margin floor, %%")
        lic = parser.add_argument_group("licensing")
        lic.add_argument("--licence-price", help="perpetual licence list price")
        lic.add_argument("--support-pct", default="20", help="yearly support, %% of licence price")
        lic.add_argument(
            "--support-from-year-one",
            action="store_true",
            help="charge support in year 1 too (default: included in year 1)",
        )
        lic.add_argument("--support-indexation", default="0", help="support growth, %% a year")
        lic.add_argument("--subscription-price", help="subscription list price per year")
        lic.add_argument("--indexation", default="0", help="subscription growth, %% a year")
        lic.add_argument("--horizon", type=int, default=5, help="years to compare (default 5)")
        lic.add_argument("--discount-rate", help="%% a year for present values (optional)")

    def run(self, *args: Any, **options: Any) -> Any:
        self.action = options["action"]
        try:
            if self.action == "deal":
                return self._deal(options)
            return self._licensing(options)
        except (PricingError, ProgramError, KeyError) as exc:
            raise CommandError(str(exc)) from exc

    def _lines(self, options: dict[str, Any]) -> tuple[DealLine, ...]:
        if options.get("lines"):
            rows = read_records(Path(options["lines"]), "lines")
            return tuple(
                DealLine(
                    _decimal(str(row["list_price"]), "list_price") or Decimal(0),
                    int(row.get("quantity") or 1),
                    str(row.get("name") or ""),
                )
                for row in rows
            )
        price = _decimal(options.get("list_price"), "--list-price")
        if price is None:
            raise CommandError("give --list-price or --lines")
        return (DealLine(price, options["quantity"]),)

    def _deal(self, options: dict[str, Any]) -> dict[str, Any]:
        tactic_data: dict[str, Any] = {
            "tactic": options["tactic"],
            "distributor_pct": _decimal(
                options.get("distributor_discount"), "--distributor-discount"
            ),
            "partner_pct": _decimal(options.get("partner_discount"), "--partner-discount"),
        }
        if options["tactic"] == "floating_by_status":
            tactic_data["partner_pct_by_status"] = _pairs(
                options["status_discount"], "--status-discount"
            )
        if options["tactic"] == "floating_by_participation":
            tactic_data["max_partner_pct"] = options.get("max_partner_discount") or options.get(
                "partner_discount"
            )
            tactic_data["stage_pct"] = _pairs(options["stage_discount"], "--stage-discount")
            if tactic_data["max_partner_pct"] is None:
                raise CommandError("floating_by_participation needs --max-partner-discount")
        if options["tactic"] in ("fixed", "flexible") and tactic_data["partner_pct"] is None:
            raise CommandError(f"{options['tactic']} needs --partner-discount")
        if options["tactic"] == "inflated_price_list" and tactic_data["partner_pct"] is None:
            tactic_data.pop("partner_pct")
        override = None
        if options.get("override_partner_discount"):
            override = Override(
                partner_pct=_decimal(
                    options["override_partner_discount"], "--override-partner-discount"
                ),  # type: ignore[arg-type]
                distributor_pct=_decimal(
                    options.get("override_distributor_discount"), "--override-distributor-discount"
                ),
                approved_by=options.get("approved_by"),
            )
        deal = Deal(
            lines=self._lines(options),
            partner_status=options.get("status"),
            stages=_pairs(options["stage"], "--stage"),
            customer_discount_pct=_decimal(options["customer_discount"], "--customer-discount")
            or Decimal(0),
            override=override,
            partner_floor_pct=_decimal(options["floor"], "--floor") or Decimal(0),
            distributor_floor_pct=_decimal(options.get("distributor_floor"), "--distributor-floor"),
        )
        return price_deal(deal, tactic_from_dict(tactic_data)).to_dict()

    def _licensing(self, options: dict[str, Any]) -> dict[str, Any]:
        licence = _decimal(options.get("licence_price"), "--licence-price")
        subscription = _decimal(options.get("subscription_price"), "--subscription-price")
        if licence is None or subscription is None:
            raise CommandError("licensing needs --licence-price and --subscription-price")
        partner = _decimal(options.get("partner_discount"), "--partner-discount") or Decimal(0)
        comparison = compare(
            PerpetualTerms(
                licence,
                support_pct=_decimal(options["support_pct"], "--support-pct") or Decimal(0),
                first_year_support_included=not options["support_from_year_one"],
                support_indexation_pct=_decimal(
                    options["support_indexation"], "--support-indexation"
                )
                or Decimal(0),
            ),
            SubscriptionTerms(
                subscription, _decimal(options["indexation"], "--indexation") or Decimal(0)
            ),
            horizon_years=options["horizon"],
            discounts=Discounts(
                partner,
                _decimal(options.get("distributor_discount"), "--distributor-discount"),
                _decimal(options["customer_discount"], "--customer-discount") or Decimal(0),
            ),
            discount_rate_pct=_decimal(options.get("discount_rate"), "--discount-rate"),
        )
        return comparison.to_dict()

    def render(self, data: Any) -> None:
        if self.action == "deal":
            table = Table("party", "discount %", "buys at", "sells at", "margin", "margin %")
            for party in data["parties"]:
                table.add_row(
                    *(
                        str(party[k]) if party[k] is not None else "—"
                        for k in (
                            "role",
                            "discount_pct",
                            "buys_at",
                            "sells_at",
                            "margin",
                            "margin_pct",
                        )
                    )
                )
            self.console.print(table)
            for warning in data["warnings"]:
                self.console.print(f"[yellow]! {warning['message']['en']}[/yellow]")
            return
        table = Table(
            "year",
            "perpetual: customer",
            "capex",
            "opex",
            "subscription: customer",
            "cumulative perpetual",
            "cumulative subscription",
        )
        for p, s in zip(data["perpetual"]["years"], data["subscription"]["years"], strict=True):
            table.add_row(
                str(p["year"]),
                str(p["customer"]),
                str(p["capex"]),
                str(p["opex"]),
                str(s["customer"]),
                str(p["cumulative_customer"]),
                str(s["cumulative_customer"]),
            )
        self.console.print(table)
        self.console.print(f"break-even year: {data['break_even_year'] or '—'}")
