"""Detect the text encoding of a partner list from a sample of its first bytes.

Lists come as UTF-8, UTF-8 with BOM (Excel "CSV UTF-8") or Windows-1251 (Excel's default "CSV"
on a Russian Windows). KOI8-R and DOS cp866 still turn up in old exports. Anything else, or
binary data, is refused with :class:`UnknownEncodingError` instead of importing mojibake.
"""

from __future__ import annotations

import codecs
import math
import re
from pathlib import Path

from .errors import UnknownEncodingError

SAMPLE_BYTES = 256 * 1024
SCORE_BYTES = 64 * 1024
# Mean log frequency of a plausible Russian text sample is about 1.6; mojibake is far lower.
_ACCEPT = 0.6

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# Single-byte Cyrillic code pages we accept, most likely first.
_CYRILLIC_CODEPAGES = ("cp1251", "koi8_r", "cp866")
# Russian letter frequencies (per cent), for telling the Cyrillic code pages apart.
_FREQ = dict(
    zip(
        "оеаинтсрвлкмдпуяыьгзбчйхжшюцщэфъё",
        (
            10.97,
            8.45,
            8.01,
            7.35,
            6.70,
            6.26,
            5.47,
            4.73,
            4.54,
            4.40,
            3.49,
            3.21,
            2.98,
            2.81,
            2.62,
            2.01,
            1.90,
            1.74,
            1.70,
            1.65,
            1.59,
            1.44,
            1.21,
            0.97,
            0.94,
            0.73,
            0.64,
            0.48,
            0.36,
            0.32,
            0.26,
            0.04,
            0.04,
        ),
        strict=True,
    )
)
_LOG_FREQ = {letter: math.log(share) for letter, share in _FREQ.items()}
# Punctuation such as «» № – is common; pseudo-graphics and Latin-1 letters are not.
_LOG_FREQ.update({ch: math.log(1.0) for ch in "«»№–—“”„’…"})
_LOG_OTHER = math.log(0.01)


def read_sample(path: str | Path, size: int = SAMPLE_BYTES) -> bytes:
    with open(path, "rb") as handle:
        return handle.read(size)


def _utf8_ok(sample: bytes, truncated: bool) -> bool:
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        decoder.decode(sample, final=not truncated)
    except UnicodeDecodeError:
        return False
    return True


def _russian_score(text: str) -> float:
    """Mean log letter frequency of the non-ASCII characters, plus a bonus for lower case.

    Decoding with the wrong Cyrillic code page yields pseudo-graphics, rare letters and flipped
    case, so the right code page scores clearly higher even on short upper-case samples.
    """
    count = 0
    total = 0.0
    lower = 0
    for ch in text:
        if ord(ch) <= 127 or ch.isspace():
            continue
        count += 1
        total += _LOG_FREQ.get(ch.lower(), _LOG_OTHER)
        lower += ch in _LOG_FREQ
    if not count:
        return -99.0
    return total / count + 0.5 * lower / count - _INVERTED_WEIGHT * _inverted_share(text)


# Four letters or more: units of price lists ("кВА", "кВ", "мА") are short words shaped
# like a flipped one.
_CYRILLIC_WORD = re.compile(r"[А-Яа-яЁё]{4,}")
# The wrong one of cp1251/KOI8-R flips the case of every letter: "Компания" reads "лПНРБОЙС".
# Real words are lower, upper or title case, almost never a lower-case letter before upper
# ones; upper-case abbreviations ("ООО", "ППФ") alone read as likely lower-case words the
# other way round, so word shape decides where letter frequencies cannot.
_INVERTED_WEIGHT = 3.0


def _inverted_share(text: str) -> float:
    words = _CYRILLIC_WORD.findall(text)
    if not words:
        return 0.0
    inverted = sum(1 for w in words if w[0].islower() and w[1:].isupper())
    return inverted / len(words)


_CLEAN_CP1251 = re.compile(r"[\x00-\x7fА-Яа-яЁё«»№–—“”„’…\xa0]*")


def detect_encoding(sample: bytes, path: str | Path = "", truncated: bool = False) -> str:
    """Return a Python codec name for ``sample`` or raise :class:`UnknownEncodingError`.

    >>> detect_encoding("Компания;ИНН".encode("cp1251"))
    'cp1251'
    >>> detect_encoding("Компания;ИНН".encode("utf-8"))
    'utf-8'
    >>> detect_encoding(codecs.BOM_UTF8 + b"Name")
    'utf-8-sig'
    """
    for bom, name in _BOMS:
        if sample.startswith(bom):
            return name
    if b"\x00" in sample:
        raise UnknownEncodingError(path, "binary data or UTF-16 without a byte-order mark")
    if _utf8_ok(sample, truncated):
        return "utf-8"
    head = sample[:SCORE_BYTES]
    best, best_score = "", -99.0
    for codepage in _CYRILLIC_CODEPAGES:  # ties go to the more common code page
        score = _russian_score(head.decode(codepage, errors="replace"))
        if score > best_score:
            best, best_score = codepage, score
    if best_score >= _ACCEPT:
        return best
    # Little Russian text (Latin names with «» or №): cp1251 when it decodes to nothing odd.
    if _CLEAN_CP1251.fullmatch(head.decode("cp1251", errors="replace")):
        return "cp1251"
    # Not Russian text: ask charset-normalizer, but only accept Latin/Cyrillic code pages that
    # a partner list plausibly uses (a Latin-1 list of European partners, say).
    from charset_normalizer import from_bytes

    match = from_bytes(sample[:65536]).best()
    accepted = {"cp1251", "cp1252", "latin_1", "iso8859_15", "koi8_r", "cp866"}
    if match is not None and match.encoding in accepted and match.chaos <= 0.2:
        return str(match.encoding)
    raise UnknownEncodingError(path, "neither UTF-8 nor a Cyrillic/Latin code page")


def detect_file_encoding(path: str | Path) -> str:
    sample = read_sample(path)
    truncated = Path(path).stat().st_size > len(sample)
    return detect_encoding(sample, path, truncated=truncated)
