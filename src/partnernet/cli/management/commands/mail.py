"""``partnernet mail parse PATH... [--json]``: read bounces, auto-replies and complaints.

PATH may be a single message file (.eml), a Maildir, an mbox or a directory of such. One result
per message; with ``--json`` the output is a JSON array of objects in the engine's stable shape
(``message``, ``kind``, ``recipients``, ``autoreply``, …). The command writes nothing to the
database: applying results to contacts is the contacts app's job.
"""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext as _

from partnernet.cli.base import PartnernetCommand, dumps
from partnernet.engines.mailfeedback import default_jobs, iter_messages, parse_many, to_json


class Command(PartnernetCommand):
    help = _("Mail feedback: parse bounces, auto-replies and complaints (mail parse PATH...).")

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        parse = sub.add_parser(
            "parse",
            help=_("Parse message files, Maildir directories or mbox files."),
        )
        parse.add_argument(
            "paths",
            nargs="+",
            metavar="PATH",
            help=_("a message file, a Maildir, an mbox or a directory"),
        )
        parse.add_argument(
            "--kind",
            choices=["bounce", "autoreply", "feedback", "other"],
            help=_("show only results of this kind"),
        )
        parse.add_argument(
            "--jobs",
            type=int,
            default=0,
            metavar="N",
            help=_("parse in N processes (default: one per CPU core; 1: in this process)"),
        )
        # Also accepted after the paths; SUPPRESS keeps a --json given before "parse".
        parse.add_argument(
            "--json",
            action="store_true",
            default=argparse.SUPPRESS,
            help=_("print the result as JSON"),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        self.json_output = bool(options.get("json"))
        if not self.json_output:
            self.render(list(self.results(**options)))
            return
        # Streamed: one object at a time, so a 100,000-message Maildir never sits in memory.
        out = self.stdout
        out.write("[", ending="")
        for k, item in enumerate(self.results(**options)):
            out.write(("," if k else "") + "\n" + _indent(dumps(item)), ending="")
        out.write("\n]")

    def run(self, *args: Any, **options: Any) -> Any:
        return list(self.results(**options))

    def results(self, **options: Any) -> Iterator[dict[str, Any]]:
        paths = [Path(p) for p in options["paths"]]
        missing = [str(p) for p in paths if not p.exists()]
        if missing:
            raise CommandError(_("No such file or directory: %s") % ", ".join(missing))
        wanted = options.get("kind")

        def messages() -> Iterator[tuple[str, bytes]]:
            for path in paths:
                yield from iter_messages(path)

        jobs = options.get("jobs") or default_jobs()
        for name, result in parse_many(self.track(messages(), _("Parsing")), jobs=jobs):
            if wanted and result.kind != wanted:
                continue
            yield to_json(result, message=name)

    def render(self, data: Any) -> None:
        from rich.table import Table

        table = Table(
            _("message"), _("kind"), _("recipient / sender"), _("reason / type"), _("details")
        )
        for item in data:
            if item["recipients"]:
                for r in item["recipients"]:
                    table.add_row(
                        item["message"],
                        item["kind"],
                        r["address"],
                        r["reason"],
                        " ".join(filter(None, [r["status"], _("hard") if r["hard"] else ""])),
                    )
            elif item["autoreply"]:
                a = item["autoreply"]
                people = ", ".join(
                    " ".join(filter(None, [c["name"], c["email"]])) for c in a["contacts"]
                )
                details = "; ".join(
                    filter(
                        None,
                        [
                            _("until %s") % a["until"] if a["until"] else "",
                            people,
                            ", ".join(a["phones"]),
                        ],
                    )
                )
                table.add_row(item["message"], item["kind"], a["from"] or "", a["type"], details)
            else:
                table.add_row(item["message"], item["kind"], "", "", "")
        self.console.print(table)


def _indent(text: str) -> str:
    return "\n".join("  " + line for line in text.split("\n"))
