"""Phone numbers of Russia, Kazakhstan and Belarus in E.164.

:func:`normalise_phone` reads one phone cell of a partner list and returns the first
number in it as E.164 (``+74951234567``), dropping any extension ("доб. 123", "ext. 12",
"вн. 5"). It uses phonenumbers with ``region`` for numbers written without a country
code, so "8 (495) 123-45-67" is Moscow, "8 (727) 244-11-22" is Almaty (Kazakhstan shares
+7; phonenumbers tells the two apart by the area code) and, with ``region='BY'``,
"8 017 123 45 67" is Minsk (+375). A Belarusian number written the Belarusian domestic
way ("8 029 …", "80 29 …") is recognised under any region, since no Russian or Kazakh
number starts with 8 0.

A number must be *possible* (right length for its country); numbers phonenumbers also
deems *valid* are preferred when a cell holds several. Text that labels a tax number
(ИНН, ОГРН, КПП, БИН, УНП…) is never read as a phone: "ИНН 7707083893" gives None.

>>> normalise_phone('8 (495) 123-45-67')
'+74951234567'
>>> normalise_phone('+7 495 1234567 доб. 123')
'+74951234567'
>>> normalise_phone('8-800-555-35-35')
'+78005553535'
>>> normalise_phone('+7 (701) 123-45-67')
'+77011234567'
>>> normalise_phone('8 017 123 45 67', region='BY')
'+375171234567'
>>> normalise_phone('+375 29 123-45-67')
'+375291234567'
>>> normalise_phone('тел.: 8 (495) 123-45-67, 8 (495) 765-43-21')
'+74951234567'
>>> normalise_phone('ИНН 7707083893') is None
True
>>> normalise_phone('123-45-67') is None
True
"""

from __future__ import annotations

import re
from functools import lru_cache

import phonenumbers
from phonenumbers import NumberParseException, PhoneNumberFormat

from partnernet.engines import ids

_ID_LABEL = re.compile(
    r"(?<![^\W\d_])(?:ИНН|ОГРН|ОГРНИП|КПП|БИН|ИИН|УНП|INN|OGRN|KPP|BIN|UNP)(?![^\W\d_])",
    re.IGNORECASE,
)
# "00" is the international prefix almost everywhere but Russia (810); people use it anyway.
_DOUBLE_ZERO = re.compile(r"^\s*00(?=[1-9])")
# Several numbers in one cell are separated by these.
_SPLIT = re.compile(r"[,;\n]|\s(?:или|or|и)\s|\s/\s", re.IGNORECASE)
_BY_DOMESTIC = re.compile(r"^\D*8\D*0\D*(?:1[5-7]|2[1-5]|29|33|44|25)")


def _parse(chunk: str, region: str) -> phonenumbers.PhoneNumber | None:
    digits = re.sub(r"\D", "", chunk)
    if len(digits) < 7:
        return None
    chunk = _DOUBLE_ZERO.sub("+", chunk)
    if region != "BY" and _BY_DOMESTIC.match(chunk) and not chunk.lstrip().startswith("+"):
        region = "BY"
    try:
        number = phonenumbers.parse(chunk, region)
    except NumberParseException:
        match = next(iter(phonenumbers.PhoneNumberMatcher(chunk, region, leniency=0)), None)
        if match is None:
            return None
        number = match.number
    # A number without its area code ("123-45-67") is only "possible locally": not enough.
    reason = phonenumbers.is_possible_number_with_reason(number)
    if reason != phonenumbers.ValidationResult.IS_POSSIBLE:
        return None
    return number


@lru_cache(maxsize=200_000)
def normalise_phone(text: str, region: str = "RU") -> str | None:
    """The first phone number in ``text`` as E.164, without extension; None if there is none."""
    if not text or not text.strip() or _ID_LABEL.search(text):
        return None
    region = (region or "RU").upper()
    possible: phonenumbers.PhoneNumber | None = None
    for chunk in _SPLIT.split(text):
        number = _parse(chunk, region)
        if number is None:
            continue
        if phonenumbers.is_valid_number(number):
            return phonenumbers.format_number(number, PhoneNumberFormat.E164)
        possible = possible or number
    if possible is None:
        return None
    return phonenumbers.format_number(possible, PhoneNumberFormat.E164)


def find_phones(text: str, region: str = "RU") -> list[str]:
    """Every valid phone number in free text (a signature, an auto-reply) as E.164.

    Digit runs that are valid tax identifiers (INN, OGRN, BIN…) written without separators
    are skipped, and so is anything right after an identifier label.
    """
    found: list[str] = []
    for match in phonenumbers.PhoneNumberMatcher(text, (region or "RU").upper()):
        raw = match.raw_string
        before = text[max(0, match.start - 12) : match.start]
        if _ID_LABEL.search(before):
            continue
        if re.fullmatch(r"\d{9,15}", raw.strip()):
            ident = ids.classify(raw.strip())
            if ident is not None and ident.valid:
                continue
        e164 = phonenumbers.format_number(match.number, PhoneNumberFormat.E164)
        if e164 not in found:
            found.append(e164)
    return found
