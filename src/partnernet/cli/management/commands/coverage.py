"""``partnernet coverage``: how big the partner market is and how much of it the lists cover."""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandParser
from django.utils.translation import gettext as _
from rich.table import Table

from partnernet.cli.base import CommandError, PartnernetCommand


class Command(PartnernetCommand):
    help = (
        "Estimate the size of the partner market from the overlap of partner lists "
        "(capture-recapture): unique companies, how many lists each is on, the accumulation "
        "curve, what the next list would add, and population estimates with 95% ranges. By "
        "default every vendor and distributor partner-locator source is a list."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        from partnernet.apps.register.coverage_selectors import BY_FIELDS

        parser.add_argument(
            "--by",
            choices=BY_FIELDS,
            help="repeat the analysis for each value of this company field",
        )
        parser.add_argument(
            "--sources",
            nargs="+",
            metavar="SOURCE",
            help="the sources (names or ids) that count as lists (default: partner locators)",
        )
        parser.add_argument(
            "--min-companies",
            type=int,
            default=50,
            help="with --by: groups with fewer companies get no model fit (default 50)",
        )

    def run(self, *args: Any, **options: Any) -> dict[str, Any]:
        from partnernet.apps.register.coverage_selectors import coverage_report

        try:
            return coverage_report(
                source_names=options.get("sources"),
                by=options.get("by"),
                min_companies=options["min_companies"],
            )
        except ValueError as exc:
            raise CommandError(str(exc)) from exc

    def render(self, data: dict[str, Any]) -> None:
        console = self.console
        rec = data["recommended"]
        console.print(
            _("%(lists)d lists, %(unique)d unique companies; next list adds about %(new).0f")
            % {
                "lists": len(data["lists"]),
                "unique": data["unique"],
                "new": data["next_list_expected_new"],
            }
        )
        console.print(_("Companies on exactly k lists: %s") % data["frequency"])
        low, high = rec["ci95"]
        span = f"{low:,.0f}–{high:,.0f}" if high is not None else f"≥ {low:,.0f}"
        if rec["lower_bound"]:
            headline = _("at least %(n)s (a lower bound; model range %(span)s, %(method)s)")
        else:
            headline = _("%(n)s (95%% range %(span)s, %(method)s)")
        console.print(
            f"[bold]{_('Estimated market')}:[/bold] "
            + headline
            % {"n": f"{rec['population'] or 0:,.0f}", "span": span, "method": rec["method"]}
        )
        console.print(rec["reason"])
        table = Table(_("method"), _("estimate"), _("95% range"), "AIC")
        for e in data["estimates"]:
            lo, hi = e["ci95"]
            table.add_row(
                e["method"],
                f"{e['population']:,.0f}" if e["population"] is not None else "—",
                f"{lo:,.0f}–{hi:,.0f}" if hi is not None and lo is not None else "—",
                f"{e['aic']:,.1f}" if e.get("aic") is not None else "",
            )
        console.print(table)
        for warning in data["warnings"]:
            console.print(f"[yellow]{warning}[/yellow]")
        if "by" in data:
            groups = Table(data["by"]["field"], _("unique"), _("estimate"), _("lower bound"))
            for name, group in data["by"]["groups"].items():
                g = group["recommended"]
                groups.add_row(
                    name,
                    str(group["unique"]),
                    f"{g['population']:,.0f}" if g["population"] is not None else "—",
                    _("yes") if g["lower_bound"] else "",
                )
            console.print(groups)
