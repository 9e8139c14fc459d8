"""``partnernet select``: which partners to recruit, by one of the four approaches."""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from rich.table import Table

from partnernet.cli.base import CommandError, PartnernetCommand

APPROACHES = ("regional", "specialisation", "customers", "phased")


class Command(PartnernetCommand):
    help = (
        "Select partners to recruit. regional: quotas per territory and the gap report "
        "(--quota city:1000000:5 [--quota federal_district:20:reseller]); specialisation: a "
        "short list in one niche or vertical (--niche infosec [--sector oil_gas]); customers: "
        "partners ranked by the target customers they serve (--targets FILE [--suppliers FILE]); "
        "phased: the funnel board, with --evaluate the moves its rules propose (--apply applies "
        "them). --save NAME stores the ranked companies as a shortlist."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("approach", choices=APPROACHES, help="the selection approach")
        parser.add_argument(
            "--quota",
            action="append",
            default=[],
            metavar="SPEC",
            help="TYPE[:MIN_POPULATION]:NEED[:KIND], e.g. city:1000000:5 (repeatable)",
        )
        parser.add_argument(
            "--niche", action="append", default=[], help="product direction (repeatable)"
        )
        parser.add_argument(
            "--sector",
            action="append",
            default=[],
            help="customer sector: enterprise, smb, public or a vertical (repeatable)",
        )
        parser.add_argument(
            "--min-size", default="", help="smallest size signal: small, medium, large"
        )
        parser.add_argument(
            "--kind", action="append", default=[], help="partner kind, e.g. integrator"
        )
        parser.add_argument(
            "--top", type=int, default=10, help="regional: candidates per territory (10)"
        )
        parser.add_argument(
            "--limit", type=int, default=25, help="specialisation: length of the list (25)"
        )
        parser.add_argument(
            "--include-recruited",
            action="store_true",
            help="specialisation: list partners already recruited too",
        )
        parser.add_argument("--targets", help="customers: file of target customers to import")
        parser.add_argument("--suppliers", help="customers: file of their known suppliers")
        parser.add_argument(
            "--source", default="", help="customers: where the supplier list came from"
        )
        parser.add_argument(
            "--evaluate", action="store_true", help="phased: propose moves by the rules"
        )
        parser.add_argument("--apply", action="store_true", help="phased: apply the proposed moves")
        parser.add_argument("--save", metavar="NAME", help="store the result as a shortlist")

    def run(self, *args: Any, **options: Any) -> dict[str, Any]:
        from partnernet.apps.selection import selectors, services

        approach = options["approach"]
        try:
            criteria = selectors.fit_criteria(
                niches=options["niche"],
                sectors=options["sector"],
                min_size=options["min_size"],
                kinds=options["kind"],
            )
            imports: dict[str, Any] = {}
            if approach == "regional":
                result = selectors.regional_selection(
                    quotas=options["quota"], criteria=criteria, top=options["top"]
                )
            elif approach == "specialisation":
                result = selectors.specialisation_selection(
                    criteria=criteria,
                    limit=options["limit"],
                    include_recruited=options["include_recruited"],
                )
            elif approach == "customers":
                if options.get("targets"):
                    imports["targets"] = services.target_customers_import(
                        path=options["targets"]
                    ).as_dict()
                if options.get("suppliers"):
                    imports["suppliers"] = services.supply_relations_import(
                        path=options["suppliers"], source=options["source"]
                    ).as_dict()
                result = selectors.customer_selection()
            else:
                evaluate = options["evaluate"] or options["apply"]
                result = selectors.phased_selection(evaluate=evaluate)
                if options["apply"]:
                    moved = services.stage_moves_apply(
                        moves=[(m["id"], m["to_stage"]) for m in result["moves"]]
                    )
                    result["applied"] = moved
            if imports:
                result["imports"] = imports
            if options.get("save"):
                shortlist = services.shortlist_save(
                    name=options["save"],
                    approach=approach,
                    parameters=result["parameters"],
                    entries=result["entries"],
                )
                result["shortlist"] = {
                    "id": shortlist.pk,
                    "name": shortlist.name,
                    "size": shortlist.entries.count(),
                }
        except (selectors.SelectionError, OSError) as exc:
            raise CommandError(str(exc)) from exc
        except Exception as exc:
            from partnernet.engines.sources import SourceFileError

            if isinstance(exc, SourceFileError):
                raise CommandError(str(exc)) from exc
            raise
        return result

    def render(self, data: dict[str, Any]) -> None:
        console = self.console
        approach = data["approach"]
        if approach == "regional":
            for quota in data["quotas"]:
                console.print(
                    f"[bold]{quota['description']}[/bold] — "
                    + _("%(gap)d missing in %(n)d of %(total)d territories")
                    % {
                        "gap": quota["total_gap"],
                        "n": quota["territories_with_gap"],
                        "total": quota["territories"],
                    }
                )
                table = Table(_("territory"), _("have"), _("need"), _("gap"), _("best candidates"))
                for row in quota["gaps"][:40]:
                    names = ", ".join(c["name"] for c in row["candidates"][:3])
                    table.add_row(row["name"], _have(row), str(row["need"]), str(row["gap"]), names)
                console.print(table)
        elif approach == "phased":
            table = Table(_("stage"), _("partners"), _("rules"))
            for stage in data["stages"]:
                table.add_row(stage["name"], str(stage["count"]), "; ".join(stage["rules"]))
            console.print(table)
            for move in data.get("moves", []):
                console.print(
                    f"{move['direction']}: {move['name']} {move['from_stage']} → {move['to_stage']}"
                )
            if "applied" in data:
                console.print(_("%(n)d moves applied") % {"n": data["applied"]})
        elif approach == "customers":
            console.print(
                _("target customers covered by a recruited partner: %(share).0f%%")
                % {"share": 100 * data["covered_share"]}
            )
            table = Table(_("partner"), _("customers"), _("weighted"), _("recruited"))
            for partner in data["partners"][:40]:
                table.add_row(
                    partner["name"],
                    str(partner["customer_count"]),
                    f"{partner['weighted']:g}",
                    "✓" if partner["recruited"] else "",
                )
            console.print(table)
            for customer in data["customers"]:
                if customer["completeness"] != "ok":
                    console.print(f"{customer['name']}: {customer['note']}")
        else:
            table = Table("#", _("company"), _("score"), _("why"), _("warnings"))
            for rank, entry in enumerate(data["entries"], start=1):
                table.add_row(
                    str(rank),
                    entry["name"],
                    f"{entry['score']:g}",
                    "; ".join(entry["reasons"]),
                    "; ".join(entry["warnings"]),
                )
            console.print(table)
        if "shortlist" in data:
            console.print(_("saved as shortlist %(name)s (%(size)d companies)") % data["shortlist"])


def _have(row: dict[str, Any]) -> str:
    """Partners in the territory, and how many of them are counted by a branch office there
    (the same words as the web page)."""
    at_branches = len(row.get("recruited_at_branches") or ())
    if not at_branches:
        return str(row["have"])
    note = ngettext("incl. %(n)s at a branch", "incl. %(n)s at branches", at_branches) % {
        "n": at_branches
    }
    return f"{row['have']} ({note})"
