"""``partnernet tactics list``: the channel-strategy tactics catalogue (book chapter 5)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandParser
from rich.table import Table

from partnernet.cli.base import CommandError, PartnernetCommand
from partnernet.engines.strategy.catalogue import LANGUAGES, ROLES, CatalogueError, load, text


class Command(PartnernetCommand):
    help = (
        "List the dimensions and tactics of channel strategy, optionally only those a vendor, "
        "distributor or partner decides on; --catalogue merges a user catalogue (YAML)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["list"], help="what to do: list")
        parser.add_argument(
            "--role", choices=ROLES, help="only dimensions and tactics of this role"
        )
        parser.add_argument("--dimension", help="only this dimension (key, e.g. margin)")
        parser.add_argument(
            "--catalogue",
            action="append",
            default=[],
            metavar="FILE",
            help="a user catalogue (YAML) to merge; may be repeated",
        )
        parser.add_argument("--lang", choices=LANGUAGES, default="ru", help="language for people")

    def run(self, *args: Any, **options: Any) -> dict[str, Any]:
        self.lang = options["lang"]
        try:
            catalogue = load(options["catalogue"])
        except (CatalogueError, OSError) as exc:
            raise CommandError(str(exc)) from exc
        role = options.get("role")
        dimensions = []
        for dim in catalogue.dimensions:
            if options.get("dimension") and dim.key != options["dimension"]:
                continue
            if role and not dim.applies_to(role):
                continue
            data = dim.to_dict()
            if role:
                data["tactics"] = [t for t in data["tactics"] if role in t["roles"]]
            dimensions.append(data)
        if options.get("dimension") and not dimensions and not role:
            raise CommandError(f"no dimension {options['dimension']!r}")
        return {"dimensions": dimensions}

    def render(self, data: dict[str, Any]) -> None:
        lang = getattr(self, "lang", "ru")
        table = Table("dimension", "#", "tactic", "name", "roles", show_lines=False)
        for dim in data["dimensions"]:
            mark = " *" if dim["reconstructed"] else ""
            section = f"§{dim['section']} " if dim["section"] else ""
            table.add_section()
            for tactic in dim["tactics"]:
                table.add_row(
                    f"{section}{text(dim['name'], lang)}{mark}",
                    str(tactic["number"] or ""),
                    f"{dim['key']}.{tactic['key']}",
                    text(tactic["name"], lang),
                    ", ".join(tactic["roles"]),
                )
                section, mark = "", ""
        self.console.print(table)
