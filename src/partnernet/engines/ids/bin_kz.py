"""БИН / ИИН (Kazakhstan business and individual identification number).

Kazakhstan numbers every legal entity with a 12-digit BIN (бизнес-идентификационный номер)
and every person with a 12-digit IIN (индивидуальный идентификационный номер); an
individual entrepreneur trades under the IIN, so both share one namespace and one check
digit. This module validates either and tells which it is (:func:`kind`).

- BIN: ``YYMM`` (year and month of registration), a type digit (``4`` resident legal
  entity, ``5`` non-resident, ``6`` individual entrepreneur in joint venture), an
  attribute digit (``0`` head office, ``1`` branch, ``2`` representative office,
  ``3`` peasant farm), a five-digit serial and the check digit.
- IIN: ``YYMMDD`` (date of birth), a digit for century and sex (``1``–``6``), a
  four-digit serial and the check digit.

Check digit: the first 11 digits weighted 1, 2, …, 11, summed, modulo 11. If that is
10, again with weights 3, 4, …, 11, 1, 2; if that is 10 too the number is never issued.
The eleventh digit's first weight (11) is zero modulo 11, so a typo there usually goes
unnoticed; a typo in any of the first ten digits is caught unless the fallback applies.

>>> validate('971240001315')
'971240001315'
>>> validate('БИН 940 140 000 385')
'940140000385'
>>> kind('971240001315')
'bin'
>>> validate('971240001316')
Traceback (most recent call last):
    ...
partnernet.engines.ids.exceptions.InvalidChecksum: The number's checksum or check digit is invalid.
>>> validate('971340001315')
Traceback (most recent call last):
    ...
partnernet.engines.ids.exceptions.InvalidComponent: One of the parts of the number is invalid.
>>> calc_check_digit('85010230056')
'6'
>>> kind('850102300566')
'iin'
>>> import random
>>> is_valid(generate(random.Random(5)))
True
"""

from __future__ import annotations

import datetime as _dt
import random as _random
from typing import Literal

from partnernet.engines.ids._util import accepts, clean, isdigits
from partnernet.engines.ids.exceptions import (
    InvalidChecksum,
    InvalidComponent,
    InvalidFormat,
    InvalidLength,
)

_LABELS = ("БИН/ИИН", "БИН", "ИИН", "BIN", "IIN")
_FIRST = tuple(range(1, 12))
_SECOND = (3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2)


def compact(number: str) -> str:
    """Strip a ``БИН``/``ИИН`` label, spaces, dashes and dots."""
    return clean(number, _LABELS)


def calc_check_digit(number: str) -> str:
    """Check digit from the first 11 digits; raises InvalidChecksum if none exists."""
    digits = [int(ch) for ch in number[:11]]
    total = sum(w * d for w, d in zip(_FIRST, digits, strict=True)) % 11
    if total == 10:
        total = sum(w * d for w, d in zip(_SECOND, digits, strict=True)) % 11
    if total == 10:
        raise InvalidChecksum()
    return str(total)


def kind(number: str) -> Literal["bin", "iin"] | None:
    """'bin' when the fifth digit is a legal-entity type (4, 5, 6), else 'iin'."""
    number = compact(number)
    if len(number) != 12 or not isdigits(number):
        return None
    return "bin" if number[4] in "456" else "iin"


def _check_components(number: str) -> None:
    month = int(number[2:4])
    if not 1 <= month <= 12:
        raise InvalidComponent()
    if number[4] in "456":
        if number[5] not in "0123":
            raise InvalidComponent()
        return
    # IIN: a real birth date and a century/sex digit; foreigners may have 0 there.
    if number[6] not in "0123456":
        raise InvalidComponent()
    century = {"1": 1800, "2": 1800, "3": 1900, "4": 1900, "5": 2000, "6": 2000}
    base = century.get(number[6], 1900)
    try:
        _dt.date(base + int(number[:2]), month, int(number[4:6]))
    except ValueError:
        raise InvalidComponent() from None


def validate(number: str) -> str:
    """Return the compact BIN/IIN or raise a :class:`ValidationError` subclass."""
    number = compact(number)
    if not isdigits(number):
        raise InvalidFormat()
    if len(number) != 12:
        raise InvalidLength()
    _check_components(number)
    if number[-1] != calc_check_digit(number):
        raise InvalidChecksum()
    return number


def is_valid(number: str) -> bool:
    """True when :func:`validate` accepts the number."""
    return accepts(validate, number)


def format(number: str) -> str:
    """BINs are written without grouping: the compact form."""
    return compact(number)


def generate(rng: _random.Random, kind: Literal["bin", "iin"] = "bin") -> str:
    """A random valid BIN (legal entity, head office) or IIN."""
    while True:
        if kind == "bin":
            yy = rng.randint(0, 25) if rng.random() < 0.7 else rng.randint(95, 99)
            body = (
                f"{yy:02d}{rng.randint(1, 12):02d}4{rng.choice('0001')}{rng.randint(0, 99999):05d}"
            )
        elif kind == "iin":
            born = _dt.date(1950, 1, 1) + _dt.timedelta(days=rng.randint(0, 365 * 55))
            sex = rng.choice("34") if born.year < 2000 else rng.choice("56")
            body = born.strftime("%y%m%d") + sex + f"{rng.randint(0, 9999):04d}"
        else:
            raise ValueError(f"unknown BIN kind {kind!r}")
        try:
            return body + calc_check_digit(body)
        except InvalidChecksum:
            continue
