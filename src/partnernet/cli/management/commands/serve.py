"""Serve the web UI and run background jobs (imports, resolution, mail intake) beside it."""

from __future__ import annotations

import subprocess
import sys
from typing import Any

from django.core.management import call_command
from django.core.management.base import CommandParser

from partnernet.cli.base import PartnernetCommand


class Command(PartnernetCommand):
    help = (
        "Serve the web UI on HOST:PORT (default http://127.0.0.1:8000) with a background-job "
        "worker beside it. For a team server, put a WSGI server (gunicorn, uWSGI) in front of "
        "partnernet.web.wsgi instead; see docs/operations.md."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1", help="address to listen on")
        parser.add_argument("--port", default="8000", help="port to listen on")
        parser.add_argument(
            "--no-worker", action="store_true", help="do not start the background-job worker"
        )

    def run(self, *args: Any, **options: Any) -> dict[str, Any]:
        worker = None
        if not options["no_worker"]:
            # The worker is a separate process so a long import never blocks a page.
            worker = subprocess.Popen(
                [sys.executable, "-m", "partnernet.cli.main", "db_worker", "--interval", "1"]
            )
        address = f"{options['host']}:{options['port']}"
        self.stderr.write(f"partnernet: serving http://{address}/ (Ctrl+C stops)")
        try:
            call_command("runserver", address, insecure_serving=True, use_reloader=False)
        finally:
            if worker is not None:
                worker.terminate()
                worker.wait(timeout=10)
        return {"served": address}
