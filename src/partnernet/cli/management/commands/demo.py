"""Load or remove the demo market."""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandParser

from partnernet.cli.base import PartnernetCommand
from partnernet.web import demo


class Command(PartnernetCommand):
    help = (
        "Load the demo market: 40+ simulated vendor and distributor partner lists, written in "
        "every supported format and imported like your own. --if-empty loads it only into an "
        "empty register; --clear removes the demo sources and the companies only they mention."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        group = parser.add_mutually_exclusive_group()
        group.add_argument("--clear", action="store_true", help="remove the demo market")
        group.add_argument(
            "--if-empty", action="store_true", help="load only when the register is empty"
        )
        parser.add_argument("--seed", type=int, default=demo.DEFAULT_SEED, help="simulator seed")

    def run(self, *args: Any, **options: Any) -> dict[str, Any]:
        if options["clear"]:
            return {"action": "clear", **demo.demo_clear()}
        if options["if_empty"] and not demo.demo_needed():
            return {"action": "skip", "reason": "the register is not empty"}
        self.stderr.write("partnernet: building the demo market (first start takes a minute)…")
        with self.progress("Importing demo lists") as advance:
            report = demo.demo_load(seed=options["seed"], progress=advance)
        return {"action": "load", **report.__dict__}

    def render(self, data: dict[str, Any]) -> None:
        if data["action"] == "clear":
            self.stdout.write(
                f"Demo market removed: {data['sources_removed']} sources, "
                f"{data['companies_removed']} companies."
            )
        elif data["action"] == "skip":
            self.stdout.write("Demo market not loaded: the register is not empty.")
        else:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Demo market loaded: {data['sources']} lists, {data['rows']} rows, "
                    f"{data['companies']} companies in {data['seconds']} s."
                )
            )
