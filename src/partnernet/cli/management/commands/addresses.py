"""``partnernet addresses guess|patterns``: guess corporate e-mail addresses from known ones.

``guess --known KNOWN.csv --names NAMES.csv [--top K] [--format csv|json|table]``
    KNOWN has columns domain, full_name, email (the company's known addresses); NAMES has
    domain, full_name (the people to guess). Prints domain, full_name, rank, email, confidence,
    pattern and an explanation per candidate.
``patterns --known KNOWN.csv [--domain D]``
    What was learned per domain: patterns and transliteration habits with their evidence.

CSV files may be UTF-8 or Windows-1251, comma- or semicolon-separated (Excel's Russian export).
Nothing is sent anywhere: guesses are confirmed only by the user's own mailings.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext as _

from partnernet.cli.base import PartnernetCommand, dumps
from partnernet.engines.addresses import AddressModel
from partnernet.engines.sources.encoding import detect_file_encoding
from partnernet.engines.sources.readers import sniff_delimiter

# Header spellings people use for the three columns, folded to lower case.
_COLUMNS = {
    "domain": ("domain", "домен", "site", "сайт", "website"),
    "full_name": ("full_name", "name", "fio", "фио", "имя", "full name", "person", "контакт"),
    "email": ("email", "e-mail", "mail", "почта", "адрес", "электронная почта"),
}
OUTPUT_FIELDS = ("domain", "full_name", "rank", "email", "confidence", "pattern", "explanation")


def read_table(path: Path, needed: tuple[str, ...]) -> list[dict[str, str]]:
    """Rows of a CSV file as dicts with the canonical column names in ``needed``."""
    if not path.exists():
        raise CommandError(_("No such file: %s") % path)
    encoding = detect_file_encoding(path)
    text = path.read_text(encoding=encoding)
    delimiter = sniff_delimiter(text[:8192])
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    rows = [row for row in reader if any(cell.strip() for cell in row)]
    if not rows:
        return []
    header = [cell.strip().lower().lstrip("\ufeff") for cell in rows[0]]
    index: dict[str, int] = {}
    for column in needed:
        for alias in _COLUMNS[column]:
            if alias in header:
                index[column] = header.index(alias)
                break
    if len(index) < len(needed):
        if any(alias in header for aliases in _COLUMNS.values() for alias in aliases):
            missing = ", ".join(c for c in needed if c not in index)
            raise CommandError(
                _("%(path)s lacks the column(s): %(missing)s")
                % {
                    "path": path,
                    "missing": missing,
                }
            )
        # No header row: the columns come in the documented order.
        index = {column: i for i, column in enumerate(needed)}
        body = rows
    else:
        body = rows[1:]
    out = []
    for row in body:
        out.append({c: (row[i].strip() if i < len(row) else "") for c, i in index.items()})
    return out


class Command(PartnernetCommand):
    help = _("Guess corporate e-mail addresses from a company's known addresses.")

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        guess = sub.add_parser("guess", help=_("Propose addresses for people without one."))
        guess.add_argument(
            "--known",
            required=True,
            type=Path,
            help=_("CSV of known addresses: domain, full_name, email"),
        )
        guess.add_argument(
            "--names", required=True, type=Path, help=_("CSV of people to guess: domain, full_name")
        )
        guess.add_argument("--top", type=int, default=3, help=_("candidates per person"))
        guess.add_argument(
            "--format",
            choices=["csv", "json", "table"],
            default="csv",
            help=_("output format (default csv)"),
        )
        guess.add_argument(
            "--json",
            action="store_true",
            default=argparse.SUPPRESS,
            help=_("print the result as JSON"),
        )
        patterns = sub.add_parser("patterns", help=_("Show what was learned for each domain."))
        patterns.add_argument(
            "--known",
            required=True,
            type=Path,
            help=_("CSV of known addresses: domain, full_name, email"),
        )
        patterns.add_argument(
            "--domain", action="append", default=[], help=_("only this domain (repeatable)")
        )
        patterns.add_argument(
            "--json",
            action="store_true",
            default=argparse.SUPPRESS,
            help=_("print the result as JSON"),
        )

    def run(self, *args: Any, **options: Any) -> Any:
        self.action = options["action"]
        self.format = options.get("format", "table")
        if options.get("top", 1) < 1:
            raise CommandError(_("--top must be at least 1"))
        known = read_table(options["known"], ("domain", "full_name", "email"))
        model = AddressModel.learn(
            (r["domain"], r["full_name"], r["email"]) for r in known if r.get("email")
        )
        if self.action == "patterns":
            domains = options["domain"] or model.domains()
            return [_summary_json(model, d) for d in domains]
        names = read_table(options["names"], ("domain", "full_name"))
        out: list[dict[str, Any]] = []
        for row in self.track(names, _("Guessing"), total=len(names)):
            for candidate in model.guess(row["domain"], row["full_name"], top=options["top"]):
                out.append(
                    {
                        "domain": row["domain"],
                        "full_name": row["full_name"],
                        "rank": candidate.rank,
                        "email": candidate.email,
                        "confidence": candidate.confidence,
                        "pattern": candidate.pattern,
                        "explanation": candidate.explanation,
                    }
                )
        return out

    def render(self, data: Any) -> None:
        if self.action == "patterns" or self.format == "table":
            self._table(data)
        elif self.format == "json":
            self.stdout.write(dumps(data))
        else:
            buffer = io.StringIO()
            writer = csv.DictWriter(buffer, fieldnames=OUTPUT_FIELDS, lineterminator="\n")
            writer.writeheader()
            writer.writerows(data)
            self.stdout.write(buffer.getvalue(), ending="")

    def _table(self, data: Any) -> None:
        from rich.table import Table

        if self.action == "patterns":
            table = Table(_("domain"), _("known"), _("patterns"), _("transliteration"))
            for item in data:
                patterns = ", ".join(
                    f"{p['pattern']} {p['probability']:.0%}" for p in item["patterns"][:3]
                )
                schemes = ", ".join(
                    f"{s['scheme']} {s['probability']:.0%}" for s in item["schemes"][:3]
                )
                table.add_row(item["domain"], str(item["known"]), patterns, schemes)
        else:
            table = Table(_("domain"), _("person"), "#", _("address"), _("confidence"), _("why"))
            for row in data:
                table.add_row(
                    row["domain"],
                    row["full_name"],
                    str(row["rank"]),
                    row["email"],
                    f"{row['confidence']:.0%}",
                    row["explanation"],
                )
        self.console.print(table)


def _summary_json(model: AddressModel, domain: str) -> dict[str, Any]:
    summary = model.summary(domain)
    return json.loads(
        json.dumps(
            {
                "domain": summary.domain,
                "known": summary.known,
                "role_mailboxes": summary.role_mailboxes,
                "unexplained": summary.unexplained,
                "patterns": [
                    {"pattern": p, "probability": share, "seen": seen}
                    for p, share, seen in summary.patterns
                ],
                "schemes": [{"scheme": s, "probability": share} for s, share in summary.schemes],
                "ks_x": summary.ks_x,
                "yo": summary.yo,
            }
        )
    )
