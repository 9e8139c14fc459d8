"""``partnernet program evaluate``: partner-programme levels each partner qualifies for."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import CommandParser
from rich.table import Table

from partnernet.cli.base import CommandError, PartnernetCommand
from partnernet.engines.strategy.program import ProgramError, load_levels, load_partners, report


class Command(PartnernetCommand):
    help = (
        "Evaluate partners against the partner programme: the level each qualifies for, what "
        "it lacks for the next one, and who is due for promotion or demotion. Levels and "
        "partners come from files (YAML, JSON or CSV) or, without --levels/--partners, from the "
        "database; 'load' stores such files in the database (partners matched by INN or company "
        "id)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "action",
            choices=["evaluate", "load"],
            help="evaluate partners, or load levels and partners' facts into the database",
        )
        parser.add_argument(
            "--levels", metavar="FILE", help="programme levels (default: from the database)"
        )
        parser.add_argument(
            "--partners", metavar="FILE", help="partners' facts (default: from the database)"
        )
        parser.add_argument("--as-of", help="evaluation date, YYYY-MM-DD (default today)")
        parser.add_argument("--vendor", help="count only this vendor's certifications")

    def run(self, *args: Any, **options: Any) -> dict[str, Any]:
        try:
            on = date.fromisoformat(options["as_of"]) if options.get("as_of") else None
            if options["action"] == "load":
                return self._load(options)
            if not options.get("levels") and not options.get("partners"):
                from partnernet.apps.strategy.selectors import program_report

                return program_report(on=on, vendor=options.get("vendor"))
            if not (options.get("levels") and options.get("partners")):
                raise CommandError("give both --levels and --partners, or neither (database)")
            levels = load_levels(options["levels"])
            partners = load_partners(options["partners"])
            return report(partners, levels, on=on, vendor=options.get("vendor"))
        except (ProgramError, OSError, ValueError) as exc:
            raise CommandError(str(exc)) from exc

    def _load(self, options: dict[str, Any]) -> dict[str, Any]:
        from django.core.exceptions import ValidationError

        from partnernet.apps.strategy.services import program_load

        levels = load_levels(options["levels"]) if options.get("levels") else []
        partners = load_partners(options["partners"]) if options.get("partners") else []
        if not levels and not partners:
            raise CommandError("load needs --levels and/or --partners")
        try:
            return {"loaded": program_load(levels=levels, partners=partners)}
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from exc

    def render(self, data: dict[str, Any]) -> None:
        if "loaded" in data:
            loaded = data["loaded"]
            self.stdout.write(
                f"levels: {loaded['levels']}, partners: {loaded['partners']}, "
                f"certifications: {loaded['certifications']}, unmatched: {len(loaded['unmatched'])}"
            )
            return
        table = Table("partner", "current", "qualifies", "move", "lacks for next level")
        for ev in data["partners"]:
            lacks = ", ".join(f"{g['requirement']} −{g['shortfall']}" for g in ev["gaps_to_next"])
            table.add_row(
                f"{ev['partner_id']} {ev['partner_name']}".strip(),
                ev["current_level"] or "—",
                ev["qualifying_level"] or "—",
                ev["movement"],
                lacks or "—",
            )
        self.console.print(table)
        self.console.print(
            f"due for promotion: {len(data['due_for_promotion'])}, "
            f"for demotion: {len(data['due_for_demotion'])}"
        )
