"""КПП (Код причины постановки на учёт, Russian tax registration reason code).

A KPP has nine characters ``NNNNPPXXX``: the four-digit code of the tax office where the
organisation is registered (its first two digits are the region), a two-character reason
code (``01`` for the organisation's own location, ``43`` for a branch, ``45`` for a separate
subdivision, …; since 2013 the two positions may also hold Latin capitals A–Z), and a
three-digit serial of registrations for that reason. A KPP has no check digit, so
validation checks the format and that the region and tax office are not ``00``.
Cyrillic look-alike letters (``А``, ``В``, ``Е``…) are read as their Latin twins.

A company's main KPP is usually its INN's first four digits + ``01001``; companies
registered with the inspectorate of the largest taxpayers have KPPs starting ``99``.

>>> validate('773601001')
'773601001'
>>> validate('КПП 7736-01-001')
'773601001'
>>> validate('7736AB001')
'7736AB001'
>>> validate('7736АВ001')  # Cyrillic А and В
'7736AB001'
>>> validate('77360100')
Traceback (most recent call last):
    ...
partnernet.engines.ids.exceptions.InvalidLength: The number has an invalid length.
>>> validate('0036010O1')
Traceback (most recent call last):
    ...
partnernet.engines.ids.exceptions.InvalidFormat: The number has an invalid format.
>>> validate('003601001')
Traceback (most recent call last):
    ...
partnernet.engines.ids.exceptions.InvalidComponent: One of the parts of the number is invalid.
>>> is_main_office('773601001'), is_main_office('773643001')
(True, False)
>>> import random
>>> generate(random.Random(3), inn='7707083893')
'770701001'
"""

from __future__ import annotations

import random as _random
import re

from partnernet.engines.ids._util import accepts, clean, isdigits
from partnernet.engines.ids.exceptions import (
    InvalidComponent,
    InvalidFormat,
    InvalidLength,
)
from partnernet.engines.ids.inn import pick_region

_LABELS = ("КПП", "KPP")
_SHAPE = re.compile(r"[0-9]{4}[0-9A-Z]{2}[0-9]{3}")

# Reason codes seen on organisations' own registrations (the main office and, for the
# largest taxpayers, the inspectorate that serves them); used by generate().
MAIN_REASON_CODES = ("01", "50")


def compact(number: str) -> str:
    """Strip a ``КПП`` label and separators; upper-case; Cyrillic look-alikes to Latin."""
    return clean(number, _LABELS)


def validate(number: str) -> str:
    """Return the compact KPP or raise a :class:`ValidationError` subclass."""
    number = compact(number)
    if len(number) != 9:
        raise InvalidLength()
    if not _SHAPE.fullmatch(number):
        raise InvalidFormat()
    if number[:2] == "00" or number[2:4] == "00":
        raise InvalidComponent()
    return number


def is_valid(number: str) -> bool:
    """True when :func:`validate` accepts the number."""
    return accepts(validate, number)


def format(number: str) -> str:
    """KPPs are written without grouping: the compact form."""
    return compact(number)


def is_main_office(number: str) -> bool:
    """True for reason code ``01`` (registered at the organisation's own location)."""
    number = compact(number)
    return len(number) == 9 and number[4:6] == "01"


def generate(
    rng: _random.Random,
    inn: str | None = None,
    region: str | None = None,
    reason: str | None = None,
) -> str:
    """A random valid KPP.

    With ``inn`` (a 10-digit organisation INN) the tax office is the INN's first four
    digits, the reason ``01`` and the serial ``001`` — the KPP such a company almost always
    has. Otherwise ``region`` (two digits) or a random region, with a random tax office.
    """
    if inn is not None:
        office = clean(inn)[:4]
        if len(office) != 4 or not isdigits(office):
            raise ValueError(f"bad INN {inn!r}")
        return office + (reason or "01") + "001"
    region = pick_region(rng, region)
    office = region + f"{rng.randint(1, 99):02d}"
    reason = reason or rng.choice(("01", "01", "01", "43", "45"))
    return office + reason + f"{rng.randint(1, 3):03d}"
