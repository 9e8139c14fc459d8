"""ИНН (Идентификационный номер налогоплательщика, Russian taxpayer number).

A Russian INN has 10 digits for an organisation and 12 digits for a natural person
(individual entrepreneurs, ИП, use their personal INN). The first two digits are the
region code, the next two the tax office within the region (for organisations the
first four digits together are the tax office that registered it). Check digits are
weighted sums modulo 11, then modulo 10: one for organisations, two for persons.

The checksum is python-stdnum's (``stdnum.ru.inn``); this module adds label and
separator handling, a region check and a generator. A region code ``00`` does not
exist, so such numbers are rejected even if the checksum happens to match (this rules
out ``0000000000``, a common placeholder in exported lists).

>>> compact('ИНН 7707 083 893')
'7707083893'
>>> validate('7707083893')
'7707083893'
>>> validate('500100732259')
'500100732259'
>>> validate('7707083894')
Traceback (most recent call last):
    ...
partnernet.engines.ids.exceptions.InvalidChecksum: The number's checksum or check digit is invalid.
>>> validate('770708389')
Traceback (most recent call last):
    ...
partnernet.engines.ids.exceptions.InvalidLength: The number has an invalid length.
>>> validate('0000000000')
Traceback (most recent call last):
    ...
partnernet.engines.ids.exceptions.InvalidComponent: One of the parts of the number is invalid.
>>> is_valid('77O7083893')
False
>>> kind('7707083893'), kind('500100732259')
('company', 'person')
>>> import random
>>> is_valid(generate(random.Random(1), kind='person'))
True
>>> generate(random.Random(1), region='77')[:2]
'77'
"""

from __future__ import annotations

import random as _random
from typing import Literal

from stdnum.exceptions import InvalidChecksum as _StdnumChecksum
from stdnum.ru import inn as _stdnum_inn

from partnernet.engines.ids._util import accepts, clean, isdigits, kind_by_length
from partnernet.engines.ids.exceptions import (
    InvalidChecksum,
    InvalidComponent,
    InvalidFormat,
    InvalidLength,
)

_LABELS = ("ИНН", "INN", "TIN")

# Region codes in use (01-89 plus 91/92 for Crimea and Sevastopol, 99 for the interregional
# inspection of the largest taxpayers); generate() draws from these.
REGION_CODES: tuple[str, ...] = (
    *(f"{n:02d}" for n in range(1, 90)),
    "91",
    "92",
    "99",
)


def pick_region(rng: _random.Random, region: str | None = None) -> str:
    """``region`` checked (two digits, not ``00``), or a random one of :data:`REGION_CODES`."""
    region = region if region is not None else rng.choice(REGION_CODES)
    if len(region) != 2 or not isdigits(region) or region == "00":
        raise ValueError(f"bad region code {region!r}")
    return region


def compact(number: str) -> str:
    """Strip a leading ``ИНН``/``INN`` label, spaces, dashes and dots."""
    return clean(number, _LABELS)


def calc_company_check_digit(number: str) -> str:
    """Check digit of a 10-digit INN computed from its first nine digits."""
    return _stdnum_inn.calc_company_check_digit(number[:9])


def calc_person_check_digits(number: str) -> str:
    """Both check digits of a 12-digit INN computed from its first ten digits."""
    return _stdnum_inn.calc_personal_check_digits(number[:10])


def validate(number: str) -> str:
    """Return the compact INN or raise a :class:`ValidationError` subclass."""
    number = compact(number)
    if not isdigits(number):
        raise InvalidFormat()
    if len(number) not in (10, 12):
        raise InvalidLength()
    try:
        _stdnum_inn.validate(number)
    except _StdnumChecksum:
        raise InvalidChecksum() from None
    if number[:2] == "00":
        raise InvalidComponent()
    return number


def is_valid(number: str) -> bool:
    """True when :func:`validate` accepts the number."""
    return accepts(validate, number)


def format(number: str) -> str:
    """INNs are written without grouping: the compact form."""
    return compact(number)


def kind(number: str) -> Literal["company", "person"] | None:
    """'company' for 10 digits, 'person' for 12, None otherwise (validity not checked)."""
    return kind_by_length(compact(number), company=10, person=12)


def generate(
    rng: _random.Random,
    kind: Literal["company", "person"] = "company",
    region: str | None = None,
) -> str:
    """A random valid INN; ``region`` fixes the first two digits (e.g. ``'77'``)."""
    region = pick_region(rng, region)
    office = f"{rng.randint(1, 99):02d}"
    if kind == "company":
        body = region + office + f"{rng.randint(0, 99999):05d}"
        return body + calc_company_check_digit(body)
    if kind == "person":
        body = region + office + f"{rng.randint(0, 999999):06d}"
        return body + calc_person_check_digits(body)
    raise ValueError(f"unknown INN kind {kind!r}")
