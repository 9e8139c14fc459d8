"""``partnernet import PATH --source NAME``: import a partner list into the register."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import CommandParser
from rich.table import Table

from partnernet.apps.register.models import SourceKind
from partnernet.apps.register.services import source_import
from partnernet.cli.base import CommandError, PartnernetCommand
from partnernet.engines.sources import MappingError, SourceFileError

PROBLEMS_SHOWN = 20


def _linker(name: str) -> Any:
    if name == "deterministic":
        from partnernet.engines.resolution.deterministic import DeterministicLinker

        return DeterministicLinker()
    if name == "model":
        from partnernet.apps.register.resolution_linking import ModelLinker

        return ModelLinker()
    return None  # the import's own rule


class Command(PartnernetCommand):
    help = (
        "Import a partner list (CSV/TSV in UTF-8 or cp1251, XLSX, saved HTML page, JSON array) "
        "as a source and link its rows into the register. Importing the same file again "
        "changes nothing; a new version of the list updates the source."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="the file to import")
        parser.add_argument(
            "--source", required=True, help="name of the source (unique; reuse it for updates)"
        )
        parser.add_argument(
            "--vendor",
            help="the vendor whose partners the list shows (implies --kind vendor_locator)",
        )
        parser.add_argument(
            "--kind", choices=SourceKind.values, help="kind of source (default: own_research)"
        )
        parser.add_argument(
            "--linker",
            choices=["auto", "model", "deterministic"],
            default="auto",
            help="how rows link to known companies: auto (the Splink model when the register "
            "has companies, else the deterministic rules), model, or deterministic (for a "
            "bulk load of many lists: run 'partnernet resolve' once afterwards)",
        )
        parser.add_argument(
            "--map",
            action="append",
            default=[],
            metavar="HEADER=FIELD",
            help="map a column header to a field (name, inn, city, …) or 'ignore'; repeatable",
        )

    def run(self, *args: Any, **options: Any) -> dict[str, Any]:
        path = Path(options["path"])
        if not path.exists():
            raise CommandError(f"{path}: no such file")
        size = path.stat().st_size
        try:
            with self.progress(f"import {path.name}") as advance:
                report = source_import(
                    path=path,
                    source_name=options["source"],
                    vendor=options.get("vendor"),
                    kind=options.get("kind"),
                    mapping=options["map"],
                    progress=advance,
                    linker=_linker(options.get("linker") or "auto"),
                )
        except (SourceFileError, MappingError, ValueError) as exc:
            raise CommandError(str(exc)) from exc
        data = report.as_dict()
        data["file_size"] = size
        return data

    def render(self, data: dict[str, Any]) -> None:
        console = self.console
        if data["unchanged"]:
            console.print(
                f"[bold]{data['source']}[/]: the same file was imported before; nothing changed "
                f"({data['rows']} rows)."
            )
            return
        table = Table(title=f"{data['source']} ← {data['file']}", show_header=False)
        table.add_row("format", f"{data['format']} {data['encoding']} {data['delimiter']!r}")
        table.add_row("linking", data["linker"])
        for label, key in [
            ("rows in the source", "rows"),
            ("new rows", "new_rows"),
            ("unchanged rows", "unchanged_rows"),
            ("rows no longer listed", "removed_rows"),
            ("new companies", "new_companies"),
            ("linked to known companies", "linked"),
            ("pairs queued for review", "queued_for_review"),
            ("rows with errors", "errors"),
            ("warnings", "warnings"),
            ("seconds", "seconds"),
        ]:
            table.add_row(label, str(data[key]))
        console.print(table)
        unmapped = [header for header, field in data["columns"] if not field]
        if unmapped:
            console.print(f"columns not used: {', '.join(unmapped)} (map them with --map)")
        for title, key in [("errors", "problems"), ("warnings", "warning_list")]:
            items = data[key]
            if not items:
                continue
            console.print(f"[bold]{title}[/]:")
            for item in items[:PROBLEMS_SHOWN]:
                console.print(f"  row {item['row']} ({item['location']}): {item['message']}")
            if len(items) > PROBLEMS_SHOWN:
                console.print(f"  … and {len(items) - PROBLEMS_SHOWN} more (see --json)")
        for notice in data["notices"]:
            console.print(f"  note: {notice['location']}: {notice['message']}")
