"""``partnernet resolve``: re-run entity resolution over the whole register."""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandParser

from partnernet.apps.register.resolution_linking import model_resolver
from partnernet.apps.register.resolution_services import resolution_run
from partnernet.cli.base import PartnernetCommand
from partnernet.engines.resolution.linker import SplinkResolver


class Command(PartnernetCommand):
    help = (
        "Re-run entity resolution (Splink model) over every current source row: merge the "
        "companies the model puts together, queue uncertain pairs for review, and print what "
        "changed (merged, splits suggested, queued). Decisions taken in the review queue are "
        "respected. --dry-run computes without changing anything."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="report what would change, change nothing"
        )
        parser.add_argument(
            "--model",
            help="a Splink model JSON file (default: the model last re-trained on this "
            "register, else the one shipped with partnernet)",
        )

    def run(self, *args: Any, **options: Any) -> dict[str, Any]:
        # An explicit file, else the model re-trained on this register, else the shipped one.
        model = options.get("model")
        resolver = SplinkResolver(model) if model else model_resolver()
        with self.progress("resolve", total=None) as advance:
            return resolution_run(
                apply=not options["dry_run"],
                resolver=resolver,
                progress=lambda n: advance(n),
            )

    def render(self, data: dict[str, Any]) -> None:
        verb = "merged" if data["applied"] else "would merge"
        self.console.print(
            f"{data['rows']} source rows of {data['companies_before']} companies → "
            f"{data['clusters']} clusters in {data['seconds']} s\n"
            f"{verb}: {data['merged']} companies; splits suggested: {data['split_suggested']}; "
            f"queued for review: {data['queued_for_review']}"
        )
