"""``partnernet contacts import|export|erase|freshness|guess|tasks``: the contacts base from a
shell."""

from __future__ import annotations

import argparse
import io
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext as _

from partnernet.cli.base import PartnernetCommand


def _json_flag(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--json", action="store_true", default=argparse.SUPPRESS, help=_("print the result as JSON")
    )


EXPORT_COLUMNS = [
    "id",
    "full_name",
    "surname",
    "first_name",
    "patronymic",
    "position",
    "company",
    "company_inn",
    "status",
    "on_leave_until",
    "left_on",
    "emails",
    "phones",
    "legal_basis",
    "source",
    "first_seen",
    "last_confirmed",
]


class Command(PartnernetCommand):
    help = _(
        "Contacts: import, export, erase one person's data, measure freshness, guess addresses."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        imp = sub.add_parser("import", help=_("Import contacts from a CSV/XLSX file."))
        imp.add_argument("path", type=Path, help=_("the file"))
        imp.add_argument("--source", required=True, help=_("where the list came from"))
        imp.add_argument(
            "--legal-basis",
            default="legitimate_interest",
            choices=["consent", "legitimate_interest", "contract", "public_source"],
            help=_("legal basis for rows that do not name one"),
        )
        _json_flag(imp)
        exp = sub.add_parser("export", help=_("Export every contact."))
        exp.add_argument(
            "--format", choices=["csv", "xlsx", "json"], default="csv", help=_("file format")
        )
        exp.add_argument("-o", "--output", type=Path, help=_("file to write (default: stdout)"))
        _json_flag(exp)
        erase = sub.add_parser(
            "erase", help=_("Erase the personal data of the owner of an address.")
        )
        erase.add_argument("email", help=_("an address of the person"))
        erase.add_argument("--reason", default="", help=_("why (e.g. the request's date)"))
        _json_flag(erase)
        fresh = sub.add_parser(
            "freshness", help=_("Measured yearly decay and the stalest contacts.")
        )
        fresh.add_argument("--limit", type=int, default=20, help=_("how many stalest records"))
        _json_flag(fresh)
        guess = sub.add_parser(
            "guess", help=_("Guess addresses for contacts without one (stored as guesses).")
        )
        guess.add_argument("--company", type=int, help=_("only this company's contacts"))
        guess.add_argument("--top", type=int, default=3, help=_("guesses per person"))
        _json_flag(guess)
        tasks = sub.add_parser(
            "tasks",
            help=_("Open the due re-verify and verify-guess tasks (run it from cron)."),
        )
        tasks.add_argument(
            "--months", type=int, help=_("re-verify contacts not confirmed for this many months")
        )
        tasks.add_argument(
            "--days", type=int, help=_("verify guesses no mailing settled in this many days")
        )
        _json_flag(tasks)

    def run(self, *args: Any, **options: Any) -> Any:
        action = options["action"]
        return getattr(self, f"do_{action}")(**options)

    # import ----------------------------------------------------------------------------------

    def do_import(self, **options: Any) -> Any:
        from partnernet.apps.contacts.imports import contacts_import
        from partnernet.engines.sources import SourceFileError

        try:
            return contacts_import(
                path=options["path"],
                source=options["source"],
                legal_basis=options["legal_basis"],
                user="cli",
            )
        except SourceFileError as exc:
            raise CommandError(str(exc)) from exc

    # export ----------------------------------------------------------------------------------

    def _rows(self) -> Any:
        from partnernet.apps.contacts.models import Person

        # Merged duplicates are hidden records: their data lives on in the survivor.
        people = (
            Person.objects.filter(merged_into__isnull=True)
            .select_related("company")
            .prefetch_related("emails", "phones")
        )
        for p in people.order_by("id").iterator(chunk_size=2000):
            yield [
                p.pk,
                p.full_name,
                p.surname,
                p.first_name,
                p.patronymic,
                p.position,
                p.company.display_name if p.company else "",
                p.company.inn if p.company else "",
                p.status,
                p.on_leave_until.isoformat() if p.on_leave_until else "",
                p.left_on.isoformat() if p.left_on else "",
                "; ".join(f"{e.address} ({e.status})" for e in p.emails.all()),
                "; ".join(ph.number for ph in p.phones.all()),
                p.legal_basis,
                p.source,
                p.first_seen.date().isoformat(),
                p.last_confirmed.date().isoformat(),
            ]

    def do_export(self, **options: Any) -> Any:
        from partnernet.apps.register.exports import write_table
        from partnernet.cli.base import dumps

        fmt = options["format"]
        output: Path | None = options.get("output")
        if fmt == "json" or (self.json_output and output is None):
            data = [dict(zip(EXPORT_COLUMNS, row, strict=True)) for row in self._rows()]
            if output is None:
                return data
            output.write_text(dumps(data), encoding="utf-8")
            return {"written": str(output), "rows": len(data), "format": "json"}
        if fmt == "xlsx" and output is None:
            raise CommandError(_("XLSX needs an output file: -o contacts.xlsx"))
        buffer = io.BytesIO()
        count = write_table(buffer, fmt, EXPORT_COLUMNS, self._rows(), sheet_title="contacts")
        if output is None:
            sys.stdout.write(buffer.getvalue().decode("utf-8"))
            self._printed = True
            return {"rows": count}
        output.write_bytes(buffer.getvalue())
        return {"written": str(output), "rows": count, "format": fmt}

    # erase -----------------------------------------------------------------------------------

    def do_erase(self, **options: Any) -> Any:
        from partnernet.apps.contacts.models import Person
        from partnernet.apps.contacts.services import normalise_email, person_erase

        address = normalise_email(options["email"])
        people = list(Person.objects.filter(emails__address=address).distinct())
        if not people:
            raise CommandError(_("No contact has the address %(address)s") % {"address": address})
        results = [
            person_erase(person=p, user="cli", reason=options.get("reason", "")) for p in people
        ]
        return {"address_hash_kept": True, "erased": results}

    # freshness -------------------------------------------------------------------------------

    def do_freshness(self, **options: Any) -> Any:
        from partnernet.apps.contacts.selectors import freshness_report

        report = freshness_report(limit=options["limit"])
        est = report["estimate"]
        return {
            "today": report["today"],
            "contacts": est.contacts,
            "departures": est.departures,
            "person_years": est.person_years,
            "yearly_decay": est.yearly_decay,
            "ci95": est.ci95,
            "book_range": list(report["book_range"]),
            "compared_to_book": est.compared_to_book,
            "by_age": report["by_age"],
            "stalest_people": [
                {
                    "id": p.pk,
                    "name": p.full_name,
                    "company": p.company.display_name if p.company else None,
                    "days_since_confirmed": days,
                }
                for p, days in report["stalest_people"]
            ],
            "stalest_companies": [
                {"id": c.pk, "name": c.display_name, "days_since_confirmed": days}
                for c, days in report["stalest_companies"]
            ],
        }

    # guess -----------------------------------------------------------------------------------

    def do_guess(self, **options: Any) -> Any:
        from partnernet.apps.contacts.guesses import address_model_build, person_guess_addresses
        from partnernet.apps.contacts.models import Person

        people = Person.objects.filter(company__isnull=False).exclude(status="left")
        if options.get("company"):
            people = people.filter(company_id=options["company"])
        model = address_model_build()
        out = []
        for person in self.track(list(people), _("guessing")):
            for email in person_guess_addresses(
                person=person, top=options["top"], model=model, user="cli"
            ):
                out.append(
                    {
                        "person": person.pk,
                        "name": person.full_name,
                        "email": email.address,
                        "confidence": email.confidence,
                        "explanation": email.guess_explanation,
                    }
                )
        return out

    # tasks -----------------------------------------------------------------------------------

    def do_tasks(self, **options: Any) -> Any:
        from partnernet.apps.contacts.services import tasks_open_due

        return tasks_open_due(months=options.get("months"), days=options.get("days"), user="cli")

    # output ----------------------------------------------------------------------------------

    def render(self, data: Any) -> None:
        if getattr(self, "_printed", False):
            return
        from rich.table import Table

        if isinstance(data, dict) and "yearly_decay" in data:
            decay = data["yearly_decay"]
            self.console.print(
                _("Contacts: %(n)d, found gone: %(d)d, person-years: %(y).1f")
                % {"n": data["contacts"], "d": data["departures"], "y": data["person_years"]}
            )
            if decay is None:
                self.console.print(_("Yearly decay: not enough history yet"))
            else:
                low, high = data["ci95"]
                self.console.print(
                    _("Yearly decay: %(v).1f%% (95%%: %(l).1f–%(h).1f%%); the book says 5–10%%")
                    % {"v": decay * 100, "l": low * 100, "h": high * 100}
                )
            table = Table(_("Stalest contacts"), _("Company"), _("Days"))
            for row in data["stalest_people"]:
                table.add_row(row["name"], row["company"] or "—", str(row["days_since_confirmed"]))
            self.console.print(table)
            return
        super().render(data)
