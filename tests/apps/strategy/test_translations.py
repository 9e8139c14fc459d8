"""Every string the strategy app shows has a Russian translation in the app's own compiled
catalogue (locale/ru/LC_MESSAGES/django.mo), and the .mo is compiled from the current .po."""

from __future__ import annotations

import ast
import gettext
import re
from pathlib import Path

import pytest

import partnernet.apps.strategy as app

APP = Path(app.__file__).parent
MO = APP / "locale" / "ru" / "LC_MESSAGES" / "django.mo"
PO = MO.with_suffix(".po")
GETTEXT_NAMES = {"_", "gettext", "gettext_lazy", "_lazy"}
TEMPLATE_STRING = re.compile(r"""{%\s*translate\s+(?:"([^"]+)"|'([^']+)')""")


@pytest.fixture(scope="module")
def catalogue() -> dict[str, str]:
    with MO.open("rb") as handle:
        translations = gettext.GNUTranslations(handle)
    return {k: v for k, v in translations._catalog.items() if isinstance(k, str)}  # type: ignore[attr-defined]


def python_strings() -> set[str]:
    found = set()
    for path in APP.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id in GETTEXT_NAMES
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)
            ):
                found.add(node.args[0].value)
    return found


def template_strings() -> set[str]:
    found = set()
    for path in (APP / "templates").rglob("*.html"):
        for match in TEMPLATE_STRING.finditer(path.read_text(encoding="utf-8")):
            # the translate tag looks strings up with percent signs doubled
            found.add((match.group(1) or match.group(2)).replace("%", "%%"))
    return found


def test_the_scan_finds_the_ui_strings() -> None:
    assert "Targets on real data" in template_strings()
    assert "The contact belongs to another company." in python_strings()


def test_every_ui_string_is_translated(catalogue) -> None:
    missing = sorted(s for s in python_strings() | template_strings() if not catalogue.get(s))
    assert missing == []


def test_the_compiled_catalogue_matches_the_po() -> None:
    text = PO.read_text(encoding="utf-8")
    assert "#, fuzzy" not in text
    msgids = set(re.findall(r'^msgid "(.+)"$', text, flags=re.MULTILINE))
    with MO.open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)._catalog  # type: ignore[attr-defined]
    keys = {k if isinstance(k, str) else k[0] for k in compiled}
    assert msgids <= keys
