"""``partnernet export companies|matches``: the register or the row→company links as a file."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import CommandParser

from partnernet.apps.register.exports import (
    company_export_table,
    match_export_table,
    write_table,
)
from partnernet.apps.register.selectors import company_list
from partnernet.cli.base import CommandError, PartnernetCommand


class Command(PartnernetCommand):
    help = (
        "Export the register. 'companies': one line per company with identifiers, location, "
        "domains, phones, vendors and counts. 'matches': source,row,company_id — one line per "
        "source row (source = the name given at import, row = 1-based data-row number). "
        "Writes to standard output unless -o is given (XLSX needs -o)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("what", choices=["companies", "matches"], help="what to export")
        parser.add_argument(
            "--format", choices=["csv", "xlsx", "json"], default="csv", help="file format"
        )
        parser.add_argument("-o", "--output", help="file to write (default: standard output)")

    def run(self, *args: Any, **options: Any) -> dict[str, Any] | None:
        fmt = options["format"]
        output = options.get("output")
        if fmt == "xlsx" and not output:
            raise CommandError("XLSX needs an output file: add -o PATH")
        if options["what"] == "companies":
            headers, rows = company_export_table(company_list())
        else:
            headers, rows = match_export_table()
        if output:
            path = Path(output)
            with open(path, "wb") as handle:
                count = write_table(handle, fmt, headers, rows)
            return {"what": options["what"], "format": fmt, "path": str(path), "rows": count}
        stream = sys.stdout.buffer if self.stdout._out is sys.stdout else None  # type: ignore[attr-defined]
        if stream is None:
            import io

            buffer = io.BytesIO()
            write_table(buffer, fmt, headers, rows)
            self.stdout.write(buffer.getvalue().decode("utf-8"), ending="")
        else:
            try:
                write_table(stream, fmt, headers, rows)
                stream.flush()
            except BrokenPipeError:
                # The reader stopped early (``| head``): not an error for an export.
                import os

                os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return None

    def handle(self, *args: Any, **options: Any) -> None:
        self.json_output = bool(options.get("json"))
        data = self.run(*args, **options)
        if data is None:
            return  # the export itself went to standard output
        if self.json_output:
            from partnernet.cli.base import dumps

            self.stdout.write(dumps(data))
        else:
            self.render(data)

    def render(self, data: dict[str, Any]) -> None:
        self.stdout.write(f"{data['rows']} {data['what']} written to {data['path']}")
