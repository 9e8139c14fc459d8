"""Create the first administrator on a fresh database and print its password once."""

from __future__ import annotations

import secrets
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import CommandParser

from partnernet.cli.base import PartnernetCommand


class Command(PartnernetCommand):
    help = (
        "Create an administrator account if the database has no users yet, and print its "
        "password (shown once; change it after the first login)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--username", default="admin", help="login name (default: admin)")

    def run(self, *args: Any, **options: Any) -> dict[str, Any]:
        user_model = get_user_model()
        if user_model.objects.exists():
            return {"created": False, "username": None, "password": None}
        password = secrets.token_urlsafe(12)
        user_model.objects.create_superuser(
            username=options["username"], email="", password=password
        )
        return {"created": True, "username": options["username"], "password": password}

    def render(self, data: dict[str, Any]) -> None:
        if data["created"]:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Administrator created. Log in as '{data['username']}' "
                    f"with password: {data['password']}"
                )
            )
        else:
            self.stdout.write("Users exist already; no administrator created.")
