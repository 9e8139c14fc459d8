"""УНП (Учётный номер плательщика, Belarus payer number).

A UNP has nine characters. Organisations have nine digits; the first is the region of
registration (``1`` Brest, ``2`` Vitebsk, ``3`` Gomel, ``4`` Grodno, ``5`` Minsk region,
``6`` Mogilev, ``7`` Minsk city). Individuals (and individual entrepreneurs) have two
Latin letters and seven digits; the first letter is the region (``A B C E H K M`` in the
same order) and the second one of ``A B C E H K M O P T``.

Check digit (the ninth character): the first eight characters weighted 29, 23, 19, 17,
13, 7, 5, 3 and summed modulo 11; a result of 10 is never issued. A digit counts as
itself; a letter in the first position counts as its place in the alphanumeric alphabet
(A = 10, B = 11, …, M = 22) and in the second position as its index in ``ABCEHKMOPT``.
Every weight is non-zero modulo 11, so changing any one *digit* always breaks the check
(two first-position letters whose values differ by 11, such as B and M, do not).

Cyrillic look-alike letters (``А В С Е Н К М О Р Т``) are read as Latin.

>>> validate('100582333')
'100582333'
>>> validate('УНП 190542056')
'190542056'
>>> validate('MA1953684')
'MA1953684'
>>> validate('МА1953684')  # typed in Cyrillic
'MA1953684'
>>> validate('100582334')
Traceback (most recent call last):
    ...
partnernet.engines.ids.exceptions.InvalidChecksum: The number's checksum or check digit is invalid.
>>> validate('900582333')
Traceback (most recent call last):
    ...
partnernet.engines.ids.exceptions.InvalidComponent: One of the parts of the number is invalid.
>>> validate('10058233')
Traceback (most recent call last):
    ...
partnernet.engines.ids.exceptions.InvalidLength: The number has an invalid length.
>>> kind('100582333'), kind('MA1953684')
('company', 'person')
"""

from __future__ import annotations

import random as _random
import string
from typing import Literal

from partnernet.engines.ids._util import accepts, clean, isdigits
from partnernet.engines.ids.exceptions import (
    InvalidChecksum,
    InvalidComponent,
    InvalidFormat,
    InvalidLength,
)

_LABELS = ("УНП", "UNP")
_WEIGHTS = (29, 23, 19, 17, 13, 7, 5, 3)
_ALNUM = string.digits + string.ascii_uppercase
_COMPANY_REGIONS = "1234567"
_PERSON_REGIONS = "ABCEHKM"
_SECOND_LETTERS = "ABCEHKMOPT"


def compact(number: str) -> str:
    """Strip a ``УНП`` label and separators; upper-case; Cyrillic look-alikes to Latin."""
    return clean(number, _LABELS)


def _value(position: int, ch: str) -> int:
    if "0" <= ch <= "9":
        return int(ch)
    if position == 0:
        return _ALNUM.index(ch)
    return _SECOND_LETTERS.index(ch)


def calc_check_digit(number: str) -> str:
    """Check digit from the first eight characters; InvalidChecksum if none exists."""
    total = sum(
        w * _value(i, ch) for i, (w, ch) in enumerate(zip(_WEIGHTS, number[:8], strict=False))
    )
    total %= 11
    if total == 10:
        raise InvalidChecksum()
    return str(total)


def kind(number: str) -> Literal["company", "person"] | None:
    """'company' for all digits, 'person' for the two-letter form; validity not checked."""
    number = compact(number)
    if len(number) != 9:
        return None
    if isdigits(number):
        return "company"
    if isdigits(number[2:]) and number[:2].isalpha():
        return "person"
    return None


def validate(number: str) -> str:
    """Return the compact UNP or raise a :class:`ValidationError` subclass."""
    number = compact(number)
    if len(number) != 9:
        raise InvalidLength()
    if not isdigits(number[2:]):
        raise InvalidFormat()
    head = number[:2]
    if isdigits(head):
        if head[0] not in _COMPANY_REGIONS:
            raise InvalidComponent()
    elif head[0] in _PERSON_REGIONS and head[1] in _SECOND_LETTERS:
        pass
    elif head.isascii() and head.isalpha():
        raise InvalidComponent()
    else:
        raise InvalidFormat()
    if number[-1] != calc_check_digit(number):
        raise InvalidChecksum()
    return number


def is_valid(number: str) -> bool:
    """True when :func:`validate` accepts the number."""
    return accepts(validate, number)


def format(number: str) -> str:
    """UNPs are written without grouping: the compact form."""
    return compact(number)


def generate(rng: _random.Random, kind: Literal["company", "person"] = "company") -> str:
    """A random valid UNP of an organisation (nine digits) or an individual."""
    while True:
        if kind == "company":
            body = rng.choice(_COMPANY_REGIONS) + f"{rng.randint(0, 9999999):07d}"
        elif kind == "person":
            body = (
                rng.choice(_PERSON_REGIONS)
                + rng.choice(_SECOND_LETTERS)
                + f"{rng.randint(0, 999999):06d}"
            )
        else:
            raise ValueError(f"unknown UNP kind {kind!r}")
        try:
            return body + calc_check_digit(body)
        except InvalidChecksum:
            continue
