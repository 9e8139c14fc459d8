"""Every app's Russian catalogue is complete and its committed .mo is compiled from its .po.

For each app listed below: every message in ``locale/ru/LC_MESSAGES/django.po`` has a
non-empty translation (all four Russian plural forms where the message has a plural), none is
flagged fuzzy (makemessages' guesses are often wrong and gettext ignores them anyway), and the
compiled ``django.mo`` holds exactly those translations. The .mo is compared by content, not by
file time, because git does not keep modification times.

The .po is read with a small parser of our own (the subset makemessages writes) so the test
needs nothing beyond the standard library.
"""

from __future__ import annotations

import ast
import gettext
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest

import partnernet

PACKAGE = Path(partnernet.__file__).parent
CATALOGUE_DIRS = {
    "register": PACKAGE / "apps" / "register",
    "audit": PACKAGE / "apps" / "audit",
    "coverage": PACKAGE / "apps" / "coverage",
    "contacts": PACKAGE / "apps" / "contacts",
    "selection": PACKAGE / "apps" / "selection",
    "strategy": PACKAGE / "apps" / "strategy",
    "mailing": PACKAGE / "apps" / "mailing",
    "web": PACKAGE / "web",
}
RUSSIAN_PLURAL_FORMS = 4


@dataclass
class Entry:
    msgctxt: str | None = None
    msgid: str = ""
    msgid_plural: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    line: int = 0

    @property
    def key(self) -> str:
        return f"{self.msgctxt}\x04{self.msgid}" if self.msgctxt is not None else self.msgid


def _unquote(text: str) -> str:
    return ast.literal_eval(text)  # a PO string is a C string; Python reads the same escapes


def parse_po(text: str) -> list[Entry]:
    """Entries of a .po file (the header and obsolete ``#~`` entries are left out)."""
    entries: list[Entry] = []
    entry = Entry()
    target: tuple[str, int] | None = None  # which field continuation lines extend

    def finish() -> None:
        nonlocal entry
        if entry.msgid or entry.msgstr:
            entries.append(entry)
        entry = Entry()

    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            finish()
            target = None
            continue
        if line.startswith("#,"):
            entry.flags.update(flag.strip() for flag in line[2:].split(","))
            continue
        if line.startswith("#"):
            continue
        keyword, _, rest = line.partition(" ")
        if line.startswith('"'):
            assert target is not None, f"line {number}: string without a keyword"
            name, index = target
            if name == "msgstr":
                entry.msgstr[index] += _unquote(line)
            else:
                setattr(entry, name, (getattr(entry, name) or "") + _unquote(line))
            continue
        plural_form = re.fullmatch(r"msgstr\[(\d+)\]", keyword)
        if keyword in ("msgctxt", "msgid") and (entry.msgstr or entry.msgid):
            finish()
        if keyword in ("msgctxt", "msgid", "msgid_plural"):
            setattr(entry, keyword, _unquote(rest))
            entry.line = entry.line or number
            target = (keyword, 0)
        elif keyword == "msgstr" or plural_form:
            index = int(plural_form.group(1)) if plural_form else 0
            entry.msgstr[index] = _unquote(rest)
            target = ("msgstr", index)
        else:
            raise AssertionError(f"line {number}: unexpected {line!r}")
    finish()
    return [e for e in entries if e.msgid]


def read_po(app: str) -> list[Entry]:
    return parse_po(_po_path(app).read_text(encoding="utf-8"))


def read_mo(app: str) -> dict[object, str]:
    with _po_path(app).with_suffix(".mo").open("rb") as handle:
        return dict(gettext.GNUTranslations(handle)._catalog)  # type: ignore[attr-defined]


def _po_path(app: str) -> Path:
    return CATALOGUE_DIRS[app] / "locale" / "ru" / "LC_MESSAGES" / "django.po"


def test_the_parser_reads_plurals_contexts_flags_and_continuations() -> None:
    text = (
        'msgid ""\nmsgstr ""\n"Language: ru\\n"\n\n'
        "#, fuzzy, python-format\n"
        'msgctxt "menu"\nmsgid "Open %(n)s"\nmsgstr ""\n"Откр"\n"ыть %(n)s"\n\n'
        'msgid "one file"\nmsgid_plural "%(n)s files"\n'
        'msgstr[0] "%(n)s файл"\nmsgstr[1] "%(n)s файла"\nmsgstr[2] ""\n\n'
        '#~ msgid "gone"\n#~ msgstr "ушло"\n'
    )
    first, second = parse_po(text)
    assert first.key == "menu\x04Open %(n)s"
    assert first.msgstr == {0: "Открыть %(n)s"}
    assert first.flags == {"fuzzy", "python-format"}
    assert second.msgid_plural == "%(n)s files"
    assert second.msgstr == {0: "%(n)s файл", 1: "%(n)s файла", 2: ""}
    assert second.flags == set()


@pytest.mark.parametrize("app", sorted(CATALOGUE_DIRS))
def test_every_message_is_translated_and_none_is_fuzzy(app: str) -> None:
    entries = read_po(app)
    assert entries, f"{app}: empty catalogue"
    problems = []
    for entry in entries:
        forms = RUSSIAN_PLURAL_FORMS if entry.msgid_plural else 1
        if "fuzzy" in entry.flags:
            problems.append(f"line {entry.line}: fuzzy {entry.msgid!r}")
        if sorted(entry.msgstr) != list(range(forms)) or not all(entry.msgstr.values()):
            problems.append(f"line {entry.line}: untranslated {entry.msgid!r}")
    assert problems == []


@pytest.mark.parametrize("app", sorted(CATALOGUE_DIRS))
def test_the_header_declares_russian_plurals(app: str) -> None:
    with _po_path(app).with_suffix(".mo").open("rb") as handle:
        header = gettext.GNUTranslations(handle).info()
    assert header["plural-forms"].startswith(f"nplurals={RUSSIAN_PLURAL_FORMS};")


@pytest.mark.parametrize("app", sorted(CATALOGUE_DIRS))
def test_the_compiled_catalogue_is_the_po(app: str) -> None:
    expected: dict[object, str] = {}
    for entry in read_po(app):
        if entry.msgid_plural:
            for index, text in entry.msgstr.items():
                expected[(entry.key, index)] = text
        else:
            expected[entry.key] = entry.msgstr[0]
    compiled = read_mo(app)
    compiled.pop("", None)  # the header
    assert compiled == expected


def test_a_message_has_one_translation_across_catalogues() -> None:
    # Django merges every app's catalogue into one per language: a msgid translated two ways
    # shows the same word everywhere (the first app's), so the apps must agree or use a context.
    seen: dict[object, dict[str, tuple[tuple[int, str], ...]]] = {}
    for app in CATALOGUE_DIRS:
        for entry in read_po(app):
            seen.setdefault((entry.key, entry.msgid_plural), {})[app] = tuple(
                sorted(entry.msgstr.items())
            )
    conflicts = {
        key: translations
        for key, translations in seen.items()
        if len(set(translations.values())) > 1
    }
    assert conflicts == {}
