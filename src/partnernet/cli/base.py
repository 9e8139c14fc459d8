"""Base class of every partnernet command: ``--json`` output and rich progress bars.

A command computes a plain ``dict``/``list`` result and returns it from ``run()``; the base prints
it as JSON with ``--json`` or calls ``render()`` for people. Progress bars go to stderr and are
hidden with ``--json`` so the JSON on stdout stays clean.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any, TypeVar

from django.core.management.base import BaseCommand, CommandError, CommandParser
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

T = TypeVar("T")


def json_default(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, Path):
        return str(value)
    if isinstance(value, set | frozenset | tuple):
        return list(value)
    if hasattr(value, "__dataclass_fields__"):
        from dataclasses import asdict

        return asdict(value)
    raise TypeError(f"cannot serialise {type(value).__name__}")


def dumps(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2, default=json_default)


class PartnernetCommand(BaseCommand):
    """Subclasses implement ``run(**options)`` returning JSON-able data, and ``render(data)``."""

    json_output = False

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> CommandParser:
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        parser.add_argument("--json", action="store_true", help="print the result as JSON")
        return parser

    @property
    def console(self) -> Console:
        return Console(file=self.stdout, soft_wrap=True)  # type: ignore[arg-type]

    def handle(self, *args: Any, **options: Any) -> None:
        self.json_output = bool(options.get("json"))
        data = self.run(*args, **options)
        if self.json_output:
            self.stdout.write(dumps(data))
        else:
            self.render(data)

    def run(self, *args: Any, **options: Any) -> Any:  # pragma: no cover - abstract
        raise NotImplementedError

    def render(self, data: Any) -> None:
        """Default human output: pretty JSON; commands override with rich tables."""
        self.stdout.write(dumps(data))

    @contextmanager
    def progress(self, description: str, total: int | None = None) -> Iterator[Any]:
        """A rich progress bar on stderr, silent under --json or when stderr is not a TTY."""
        disable = self.json_output
        with Progress(
            TextColumn("[bold]{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=Console(stderr=True),
            disable=disable,
            transient=False,
        ) as progress:
            task = progress.add_task(description, total=total)

            def advance(step: int = 1, total: int | None = None) -> None:
                if total is not None:
                    progress.update(task, total=total)
                progress.advance(task, step)

            yield advance

    def track(self, items: Iterable[T], description: str, total: int | None = None) -> Iterator[T]:
        with self.progress(description, total) as advance:
            for item in items:
                yield item
                advance()


__all__ = ["CommandError", "PartnernetCommand", "dumps"]
