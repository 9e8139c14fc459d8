"""``partnernet strategy``: example strategies, checks, and export to Markdown, DOCX or PDF."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml
from django.core.management.base import CommandParser

from partnernet.cli.base import CommandError, PartnernetCommand
from partnernet.engines.strategy.catalogue import (
    LANGUAGES,
    Catalogue,
    CatalogueError,
    load,
    merge,
    text,
)
from partnernet.engines.strategy.compose import (
    Strategy,
    check,
    strategy_from_dict,
    strategy_to_dict,
)
from partnernet.engines.strategy.examples import examples
from partnernet.engines.strategy.render import FORMATS, render


def _stored_strategy(ref: str) -> Strategy | None:
    """A strategy stored in the database (phase 2 app), or None when that app is not there."""
    try:
        from partnernet.apps.strategy import selectors  # type: ignore[attr-defined]
    except ImportError:
        return None
    getter = getattr(selectors, "strategy_as_engine", None)
    if getter is None:
        return None
    result: Strategy | None = getter(strategy_id=int(ref))
    return result


def _base_catalogue(ref: str | None) -> Catalogue:
    """For a stored strategy the catalogue includes the tactics users added in the database."""
    if ref and ref.isdigit():
        try:
            from partnernet.apps.strategy import selectors  # type: ignore[attr-defined]
        except ImportError:
            return load()
        return selectors.catalogue()
    return load()


def merge_user_files(catalogue: Catalogue, paths: list[str]) -> Catalogue:
    for path in paths:
        with open(path, encoding="utf-8") as handle:
            catalogue = merge(catalogue, yaml.safe_load(handle) or {})
    return catalogue


def resolve(ref: str) -> Strategy:
    """A strategy by database id (digits), example key, or path of a YAML/JSON file."""
    if ref.isdigit():
        stored = _stored_strategy(ref)
        if stored is None:
            raise CommandError(f"no stored strategy {ref}")
        return stored
    if ref in examples():
        return examples()[ref]
    path = Path(ref)
    if path.is_file():
        raw = path.read_text(encoding="utf-8")
        data = json.loads(raw) if path.suffix.lower() == ".json" else yaml.safe_load(raw)
        try:
            return strategy_from_dict(data or {})
        except (KeyError, ValueError, TypeError) as exc:
            raise CommandError(f"{path}: {exc}") from exc
    known = ", ".join(examples())
    raise CommandError(f"{ref!r} is neither a stored strategy id, an example ({known}) nor a file")


class Command(PartnernetCommand):
    help = (
        "Channel strategies. 'example --list' lists the book's worked strategies; "
        "'example KEY' shows one with its warnings; 'check REF' lists warnings; "
        "'export REF --format md|docx|pdf|html -o PATH' writes a document. REF is a stored "
        "strategy id, an example key or a YAML/JSON strategy file; 'import REF' stores an example "
        "or a file in the database."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "action", choices=["example", "check", "export", "import"], help="what to do"
        )
        parser.add_argument("ref", nargs="?", help="strategy id, example key or strategy file")
        parser.add_argument("--list", action="store_true", help="with 'example': list examples")
        parser.add_argument("--format", choices=FORMATS, default="md", help="export format")
        parser.add_argument("-o", "--output", help="export: file to write (default: stdout for md)")
        parser.add_argument("--lang", choices=LANGUAGES, default="ru", help="document language")
        parser.add_argument(
            "--catalogue",
            action="append",
            default=[],
            metavar="FILE",
            help="a user catalogue (YAML) to merge; may be repeated",
        )

    def run(self, *args: Any, **options: Any) -> Any:
        self.lang = options["lang"]
        try:
            catalogue = merge_user_files(_base_catalogue(options.get("ref")), options["catalogue"])
        except (CatalogueError, OSError) as exc:
            raise CommandError(str(exc)) from exc
        action = options["action"]
        if action == "example" and (options["list"] or not options.get("ref")):
            return {
                "examples": [
                    {
                        "key": key,
                        "title": dict(s.title),
                        "role": s.role,
                        "goal": strategy_to_dict(s)["goal"],
                    }
                    for key, s in examples().items()
                ]
            }
        if not options.get("ref"):
            raise CommandError(f"'{action}' needs a strategy id, example key or file")
        strategy = resolve(options["ref"])
        if action in ("example", "check"):
            return self._described(strategy, catalogue)
        if action == "import":
            from partnernet.apps.strategy.services import strategy_import
            from partnernet.engines.strategy.compose import strategy_to_dict as to_dict

            stored = strategy_import(data=to_dict(strategy), lang=options["lang"])
            return {"imported": stored.pk, "title": stored.title}
        return self._export(strategy, catalogue, options)

    def _described(self, strategy: Strategy, catalogue: Catalogue) -> dict[str, Any]:
        return {
            "strategy": strategy_to_dict(strategy),
            "findings": [f.to_dict() for f in check(strategy, catalogue)],
        }

    def _export(self, strategy: Strategy, catalogue: Catalogue, options: dict[str, Any]) -> Any:
        fmt = options["format"]
        content = render(strategy, fmt, lang=options["lang"], catalogue=catalogue)
        output = options.get("output")
        if not output:
            if fmt in ("docx", "pdf"):
                raise CommandError(f"--format {fmt} needs -o PATH")
            return {"format": fmt, "path": None, "bytes": len(content), "content": content.decode()}
        path = Path(output)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
        return {"format": fmt, "path": str(path), "bytes": len(content)}

    def render(self, data: Any) -> None:
        lang = getattr(self, "lang", "ru")
        if "examples" in data:
            for item in data["examples"]:
                self.stdout.write(f"{item['key']}\t{item['role']}\t{text(item['title'], lang)}")
        elif "findings" in data:
            self.stdout.write(text(data["strategy"]["title"], lang))
            for finding in data["findings"]:
                self.stdout.write(f"  [{finding['severity']}] {text(finding['message'], lang)}")
            if not data["findings"]:
                self.stdout.write("  OK")
        elif "imported" in data:
            self.stdout.write(f"stored as strategy {data['imported']}: {data['title']}")
        elif data.get("content") is not None:
            self.stdout.write(data["content"])
        else:
            self.stdout.write(f"{data['path']} ({data['bytes']} bytes)")
