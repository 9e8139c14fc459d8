"""The ``partnernet`` command: a thin shell over Django management commands.

``partnernet import PATH --source NAME`` is ``django-admin import PATH --source NAME`` with the
project's settings preselected, so every command is also callable from tests via call_command.
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "partnernet.web.settings")
    from django.core.management import execute_from_command_line

    args = list(sys.argv[1:] if argv is None else argv)
    if args and not args[0].startswith("-"):
        # `partnernet legal-status` runs the command module legal_status.py.
        args[0] = args[0].replace("-", "_")
    execute_from_command_line(["partnernet", *args])


if __name__ == "__main__":
    main()
