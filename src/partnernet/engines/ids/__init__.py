"""Tax and registration numbers of Russia, Kazakhstan and Belarus.

One module per identifier, each shaped like a python-stdnum module (``compact``,
``validate``, ``is_valid``, ``format``) plus ``generate(rng, …)`` for the simulator:

- :mod:`.inn` — Russian INN (10 digits organisation, 12 person)
- :mod:`.ogrn` — Russian OGRN (13) and OGRNIP (15)
- :mod:`.kpp` — Russian KPP (9, no check digit)
- :mod:`.bin_kz` — Kazakhstan BIN / IIN (12)
- :mod:`.unp_by` — Belarus UNP (9)

:func:`classify` tells what a raw string from a partner list is;
:func:`find_identifiers` picks every identifier out of free text.

>>> classify('ИНН 7707083893')  # doctest: +NORMALIZE_WHITESPACE
IdentifierMatch(kind='inn', compact='7707083893', valid=True, country='RU',
                holder='company', error=None)
>>> classify('308575323743421').kind
'ogrnip'
>>> m = classify('971240001315')
>>> m.kind, m.valid, m.country, m.holder
('bin', True, 'KZ', 'company')
>>> classify('100582333', country='BY').kind
'unp'
>>> classify('773601001').kind
'kpp'
>>> classify('7707083894').error
'InvalidChecksum'
>>> classify('Ромашка') is None
True
>>> [(m.kind, m.compact) for m in find_identifiers('ИНН/КПП 7707083893/773601001')]
[('inn', '7707083893'), ('kpp', '773601001')]
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from partnernet.engines.ids import bin_kz, inn, kpp, ogrn, unp_by
from partnernet.engines.ids._util import clean, isdigits
from partnernet.engines.ids.exceptions import (
    InvalidChecksum,
    InvalidComponent,
    InvalidFormat,
    InvalidLength,
    ValidationError,
)

Kind = Literal["inn", "ogrn", "ogrnip", "kpp", "bin", "unp"]

_COUNTRY: dict[str, str] = {
    "inn": "RU",
    "ogrn": "RU",
    "ogrnip": "RU",
    "kpp": "RU",
    "bin": "KZ",
    "unp": "BY",
}
_MODULE = {
    "inn": inn,
    "ogrn": ogrn,
    "ogrnip": ogrn,
    "kpp": kpp,
    "bin": bin_kz,
    "unp": unp_by,
}
# A label in front of the number settles the kind (longest labels first).
_LABEL_KIND: tuple[tuple[str, Kind], ...] = (
    ("ОГРНИП", "ogrnip"),
    ("OGRNIP", "ogrnip"),
    ("ОГРН", "ogrn"),
    ("OGRN", "ogrn"),
    ("PSRN", "ogrn"),
    ("ИНН", "inn"),
    ("INN", "inn"),
    ("TIN", "inn"),
    ("КПП", "kpp"),
    ("KPP", "kpp"),
    ("БИН", "bin"),
    ("ИИН", "bin"),
    ("BIN", "bin"),
    ("IIN", "bin"),
    ("УНП", "unp"),
    ("UNP", "unp"),
)
_ALL_LABELS = tuple(label for label, _ in _LABEL_KIND)
# KPP reason codes of Russian organisations are 01-50 and serials are small; a nine-digit
# number that does not look like that is more likely a Belarusian UNP.
_KPP_REASONS = frozenset(f"{n:02d}" for n in range(1, 51))


@dataclass(frozen=True)
class IdentifierMatch:
    """What a raw identifier string is.

    ``kind`` is one of inn, ogrn, ogrnip, kpp, bin, unp (a Kazakh IIN is reported as
    ``bin``: they share one namespace); ``compact`` the normalised form; ``valid`` whether
    it passes every check; ``country`` RU, KZ or BY; ``holder`` 'company' or 'person'
    where the number tells (12-digit INN, OGRNIP, IIN and letter UNPs are persons);
    ``error`` the name of the failed check (``InvalidChecksum`` …) or None.
    """

    kind: Kind
    compact: str
    valid: bool
    country: str
    holder: Literal["company", "person"] | None = None
    error: str | None = None


def _label_kind(value: str) -> Kind | None:
    upper = value.strip().upper()
    for label, kind in _LABEL_KIND:
        if upper.startswith(label):
            return kind
    return None


def _holder(kind: Kind, number: str) -> Literal["company", "person"] | None:
    if kind == "inn":
        return inn.kind(number)
    if kind == "ogrn":
        return "company"
    if kind == "ogrnip":
        return "person"
    if kind == "kpp":
        return "company"
    if kind == "bin":
        return "company" if bin_kz.kind(number) == "bin" else "person"
    return unp_by.kind(number)


def _match(kind: Kind, number: str) -> IdentifierMatch:
    module = _MODULE[kind]
    error: str | None = None
    try:
        module.validate(number)  # type: ignore[attr-defined]
    except ValidationError as exc:
        error = type(exc).__name__
    return IdentifierMatch(
        kind=kind,
        compact=number,
        valid=error is None,
        country=_COUNTRY[kind],
        holder=_holder(kind, number),
        error=error,
    )


def _guess_kind(number: str, country: str | None) -> Kind | None:
    n = len(number)
    if isdigits(number):
        if n == 10:
            return "inn"
        if n == 13:
            return "ogrn"
        if n == 15:
            return "ogrnip"
        if n == 12:
            if country == "KZ":
                return "bin"
            if country == "RU":
                return "inn"
            inn_ok, bin_ok = inn.is_valid(number), bin_kz.is_valid(number)
            if bin_ok and not inn_ok:
                return "bin"
            return "inn"
        if n == 9:
            if country == "BY":
                return "unp"
            if country == "RU":
                return "kpp"
            kpp_like = number[4:6] in _KPP_REASONS and number[6] == "0"
            if unp_by.is_valid(number) and not kpp_like:
                return "unp"
            return "kpp"
        return None
    if n == 9 and number.isascii() and number.isalnum():
        if isdigits(number[:4]) and isdigits(number[6:]):
            return "kpp"
        if number[:2].isalpha() and isdigits(number[2:]):
            return "unp"
    return None


def classify(value: str, country: str | None = None) -> IdentifierMatch | None:
    """Tell which identifier ``value`` is; None when it has the shape of none of them.

    A label (``ИНН``, ``ОГРН``, ``КПП``, ``БИН``, ``УНП`` …) settles the kind. Otherwise the
    length decides: 10 → INN, 13 → OGRN, 15 → OGRNIP. Twelve digits are a Russian
    person's INN or a Kazakh BIN/IIN: ``country`` decides; without it the one whose
    checksum passes wins, Russia when both do. Nine characters are a Russian KPP or a
    Belarusian UNP: ``country`` decides; without it a number with a valid UNP check digit
    that does not look like a KPP (reason 01–50, serial 0xx) is a UNP. Pass the
    country whenever the source tells it.
    """
    if not value or not value.strip():
        return None
    country = country.upper() if country else None
    number = clean(value, _ALL_LABELS)
    kind = _label_kind(value)
    if kind == "ogrn" and len(number) == 15:
        kind = "ogrnip"
    elif kind == "ogrnip" and len(number) == 13:
        kind = "ogrn"
    if kind is None:
        kind = _guess_kind(number, country)
    if kind is None:
        return None
    return _match(kind, number)


_CANDIDATE = re.compile(
    r"(?:(?P<label>ОГРНИП|ОГРН|ИНН|КПП|БИН|ИИН|УНП|OGRNIP|OGRN|INN|KPP|BIN|IIN|UNP)"
    r"[\s:№]*)?"
    r"(?<![\w])(?P<number>[0-9A-ZА-Я][0-9A-ZА-Я \-]{7,18}[0-9])(?![\w])",
    re.IGNORECASE,
)


_INN_KPP_PAIR = re.compile(
    r"(?:ИНН|INN)\s*/\s*(?:КПП|KPP)[\s:№]*([0-9 ]{10,14})\s*/\s*([0-9A-ZА-Я ]{9,12})",
    re.IGNORECASE,
)


def find_identifiers(text: str, country: str | None = None) -> list[IdentifierMatch]:
    """Every identifier in free ``text``, in order of appearance.

    Labelled numbers (``ИНН 7707083893``, ``ИНН/КПП 7707083893/773601001``) are returned
    even when invalid (``valid=False``); unlabelled ones only when they are a run of
    characters without separators and pass every check, so phone numbers and dates are
    not mistaken for identifiers.
    """
    text = _INN_KPP_PAIR.sub(r"ИНН \1, КПП \2", text)
    found: list[IdentifierMatch] = []
    for chunk in re.split(r"[/,;|()\n]+", text):
        for m in _CANDIDATE.finditer(chunk):
            token, label = m.group("number"), m.group("label")
            if label:
                match = classify(f"{label} {token}", country)
            elif re.fullmatch(r"[0-9A-Z]+", token):
                match = classify(token, country)
                if match is not None and not match.valid:
                    match = None
            else:
                match = None
            if match is not None:
                found.append(match)
    return found


__all__ = [
    "IdentifierMatch",
    "InvalidChecksum",
    "InvalidComponent",
    "InvalidFormat",
    "InvalidLength",
    "ValidationError",
    "bin_kz",
    "classify",
    "find_identifiers",
    "inn",
    "kpp",
    "ogrn",
    "unp_by",
]
