"""ОГРН / ОГРНИП (Основной государственный регистрационный номер, Russian registration number).

The OGRN of a legal entity has 13 digits: a sign digit (``1`` or ``5``; other signs
belong to record numbers, ГРН, that are not an OGRN), two digits of the year of the
registration record, two of the region, two of the tax office, a five-digit serial and
a check digit: the first 12 digits as an integer, modulo 11, modulo 10.

The OGRNIP of an individual entrepreneur has 15 digits, sign ``3``, a seven-digit
serial and a check digit: the first 14 digits as an integer, modulo 13, *then modulo
10*. python-stdnum (``stdnum.ru.ogrn``, checked with 2.2) compares the remainder modulo
13 without the final modulo 10, so it rejects every OGRNIP whose remainder is 10, 11 or
12 (about 3 in 13 real numbers). This module checks 15-digit numbers itself and uses
stdnum for the 13-digit ones.

>>> validate('1027700132195')
'1027700132195'
>>> validate('ОГРН 1027700229193')
'1027700229193'
>>> validate('308575323743421')
'308575323743421'
>>> from stdnum.ru import ogrn as stdnum_ogrn
>>> stdnum_ogrn.is_valid('308575323743421')  # the stdnum defect this module works around
False
>>> validate('1027700132196')
Traceback (most recent call last):
    ...
partnernet.engines.ids.exceptions.InvalidChecksum: The number's checksum or check digit is invalid.
>>> validate('2027700132190')
Traceback (most recent call last):
    ...
partnernet.engines.ids.exceptions.InvalidComponent: One of the parts of the number is invalid.
>>> validate('10277001321')
Traceback (most recent call last):
    ...
partnernet.engines.ids.exceptions.InvalidLength: The number has an invalid length.
>>> kind('1027700132195'), kind('308575323743421')
('company', 'person')
>>> import random
>>> len(generate(random.Random(7), kind='person'))
15
"""

from __future__ import annotations

import random as _random
from typing import Literal

from stdnum.exceptions import InvalidChecksum as _StdnumChecksum
from stdnum.ru import ogrn as _stdnum_ogrn

from partnernet.engines.ids._util import accepts, clean, isdigits, kind_by_length
from partnernet.engines.ids.exceptions import (
    InvalidChecksum,
    InvalidComponent,
    InvalidFormat,
    InvalidLength,
)
from partnernet.engines.ids.inn import pick_region

_LABELS = ("ОГРНИП", "ОГРН", "OGRNIP", "OGRN", "PSRN")


def compact(number: str) -> str:
    """Strip a leading ``ОГРН``/``ОГРНИП`` label, spaces, dashes and dots."""
    return clean(number, _LABELS)


def calc_check_digit(number: str) -> str:
    """Check digit computed from the first 12 (OGRN) or 14 (OGRNIP) digits.

    >>> calc_check_digit('30857532374342')
    '1'
    """
    if len(number) in (12, 13):
        return str(int(number[:12]) % 11 % 10)
    if len(number) in (14, 15):
        return str(int(number[:14]) % 13 % 10)
    raise InvalidLength()


def validate(number: str) -> str:
    """Return the compact OGRN/OGRNIP or raise a :class:`ValidationError` subclass."""
    number = compact(number)
    if not isdigits(number):
        raise InvalidFormat()
    if len(number) == 13:
        if number[0] not in "15":
            raise InvalidComponent()
        try:
            _stdnum_ogrn.validate(number)
        except _StdnumChecksum:
            raise InvalidChecksum() from None
    elif len(number) == 15:
        if number[0] != "3":
            raise InvalidComponent()
        if number[-1] != calc_check_digit(number):
            raise InvalidChecksum()
    else:
        raise InvalidLength()
    if number[3:5] == "00":
        raise InvalidComponent()
    return number


def is_valid(number: str) -> bool:
    """True when :func:`validate` accepts the number."""
    return accepts(validate, number)


def format(number: str) -> str:
    """OGRNs are written without grouping: the compact form."""
    return compact(number)


def kind(number: str) -> Literal["company", "person"] | None:
    """'company' for 13 digits (OGRN), 'person' for 15 (OGRNIP); validity not checked."""
    return kind_by_length(compact(number), company=13, person=15)


def generate(
    rng: _random.Random,
    kind: Literal["company", "person"] = "company",
    region: str | None = None,
    year: int | None = None,
) -> str:
    """A random valid OGRN (``kind='company'``) or OGRNIP (``kind='person'``)."""
    region = pick_region(rng, region)
    yy = f"{(year if year is not None else rng.randint(2002, 2025)) % 100:02d}"
    office = f"{rng.randint(1, 99):02d}"
    if kind == "company":
        body = rng.choice("15") + yy + region + office + f"{rng.randint(0, 99999):05d}"
    elif kind == "person":
        body = "3" + yy + region + office + f"{rng.randint(0, 9999999):07d}"
    else:
        raise ValueError(f"unknown OGRN kind {kind!r}")
    return body + calc_check_digit(body)
