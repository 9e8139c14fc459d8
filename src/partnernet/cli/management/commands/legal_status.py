"""``partnernet legal-status check [--company ID | --all-flagged]`` — is the partner still alive?"""

from __future__ import annotations

import argparse
from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext as _

from partnernet.cli.base import PartnernetCommand


class Command(PartnernetCommand):
    help = _("Check companies' legal status by INN in DaData (key in PARTNERNET_DADATA_API_KEY).")

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        check = sub.add_parser("check", help=_("Ask the register and store the answers."))
        which = check.add_mutually_exclusive_group(required=True)
        which.add_argument("--company", type=int, action="append", help=_("company id"))
        which.add_argument(
            "--all-flagged",
            action="store_true",
            help=_("every company with an open company check task"),
        )
        check.add_argument(
            "--website",
            action="store_true",
            help=_("also check that the company's website answers"),
        )
        check.add_argument(
            "--json",
            action="store_true",
            default=argparse.SUPPRESS,
            help=_("print the result as JSON"),
        )

    def run(self, *args: Any, **options: Any) -> Any:
        from partnernet.apps.contacts.legal import (
            companies_flagged,
            company_website_check,
            legal_status_check,
            legal_status_provider,
        )
        from partnernet.apps.register.models import Company
        from partnernet.engines.legalstatus import RegisterError, RegisterUnavailable

        try:
            provider = legal_status_provider()
        except RegisterError as exc:
            raise CommandError(str(exc)) from exc
        if options.get("all_flagged"):
            companies = list(companies_flagged())
        else:
            companies = list(Company.objects.filter(pk__in=options["company"]))
            missing = set(options["company"]) - {c.pk for c in companies}
            if missing:
                raise CommandError(_("No company with id %(ids)s") % {"ids": sorted(missing)})
        results = []
        for company in self.track(companies, _("checking"), len(companies)):
            row: dict[str, Any] = {"company": company.pk, "name": company.display_name}
            try:
                check = legal_status_check(company=company, provider=provider, user="cli")
            except RegisterUnavailable as exc:
                # The register is down: stop, nothing false was stored.
                raise CommandError(str(exc)) from exc
            except (RegisterError, ValueError) as exc:
                row["error"] = str(exc)
            else:
                row.update(
                    {
                        "tax_id": check.tax_id,
                        "status": check.status,
                        "register_name": check.name,
                        "liquidated_on": check.liquidated_on,
                        "provider": check.provider,
                    }
                )
            if options.get("website"):
                row["website"] = company_website_check(company=company, user="cli")
            results.append(row)
        return results

    def render(self, data: Any) -> None:
        from rich.table import Table

        table = Table(_("Company"), _("INN"), _("Status"), _("Note"))
        for row in data:
            table.add_row(
                row["name"], row.get("tax_id", ""), row.get("status", ""), row.get("error", "")
            )
        self.console.print(table)
