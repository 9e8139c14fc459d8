"""Helpers shared by the identifier modules."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Literal

# Separators people type inside tax numbers: spaces (incl. no-break and thin), dashes, dots,
# slashes are NOT included (they separate INN/KPP pairs and must stay visible to callers).
_SEPARATORS = re.compile(r"[\s\u00a0\u2007\u202f\-\u2010-\u2015._]+")

# What may stand between a label and the number: ':' and a number sign.
_NUMBER_SIGN = re.compile(r"^(?:[\s:]|№|N°|#|No\.)*")

# Cyrillic letters that look like Latin capitals; people type them in KPP and UNP.
_CYR_TO_LAT = str.maketrans("АВСЕНКМОРТХ", "ABCEHKMOPTX")


def strip_label(number: str, labels: tuple[str, ...]) -> str:
    """Drop a leading label such as ``ИНН:`` or ``№`` (case-insensitive).

    Returns the rest upper-cased, with Cyrillic look-alikes mapped to Latin.
    """
    text = number.strip().upper().translate(_CYR_TO_LAT)
    for label in labels:
        if text.startswith(label.upper().translate(_CYR_TO_LAT)):
            text = text[len(label) :]
            break
    return _NUMBER_SIGN.sub("", text).strip()


def clean(number: str, labels: tuple[str, ...] = ()) -> str:
    """Remove labels and every separator; map Cyrillic look-alikes to Latin capitals.

    Repeated until nothing changes, so the result is a fixed point (compact() idempotent).
    """
    text = number
    while True:
        step = strip_label(text, labels) if labels else text
        step = _SEPARATORS.sub("", step).upper().translate(_CYR_TO_LAT)
        if step == text:
            return step
        text = step


def isdigits(text: str) -> bool:
    """True for a non-empty string of ASCII digits (``str.isdigit`` accepts '²' etc.)."""
    return bool(text) and all("0" <= ch <= "9" for ch in text)


def accepts(validate: Callable[[str], str], number: str) -> bool:
    """True when ``validate`` returns for the number instead of raising ``ValueError``."""
    try:
        return bool(validate(number))
    except ValueError:
        return False


def kind_by_length(number: str, company: int, person: int) -> Literal["company", "person"] | None:
    """'company' or 'person' for an all-digit number of that length, None otherwise."""
    if isdigits(number):
        if len(number) == company:
            return "company"
        if len(number) == person:
            return "person"
    return None
