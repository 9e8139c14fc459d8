"""Transliteration habits: every way a company's mail admin may have spelled a Russian name.

A *habit* is one iuliia scheme plus two ad-hoc tweaks people apply on top of any scheme:

* ``ks_x`` — «кс» written as ``x`` (Aleksandr → Alexandr, Maksim → Maxim);
* ``yo`` — «ё» spelled the scheme's own way (yo/e/ë) instead of being read as «е» first, the way
  most documents (and so most admins) treat it. Both readings are modelled.

Schemes that write ь/ъ as apostrophes lose them automatically: an address keeps only ``a``–``z``.
Habits are numbered 0..N_HABITS-1 (``scheme * 4 + ks_x * 2 + yo``) so that the set of habits
producing one spelling is a bit mask, and "which habits explain this address" is a bitwise AND.

iuliia's schemes are read from its JSON definitions and compiled into a lower-case translator
that follows iuliia's rules exactly (letter, previous-letter, next-letter and two-letter ending
mappings) but runs several times faster, because guessing transliterates every name under every
scheme. A test checks the compiled translator against ``iuliia`` on the name lists.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache

import iuliia

#: (iuliia name, how the habit is described to a user)
SCHEMES: tuple[tuple[str, str], ...] = (
    ("icao_doc_9303", "like passports since 2014 (ICAO Doc 9303)"),
    ("mvd_310", "like older passports (MVD order 310)"),
    ("gost_52535", "like passports of 2010-2013 (GOST R 52535.1)"),
    ("mvd_782", "MVD order 782"),
    ("bgn_pcgn", "BGN/PCGN"),
    ("wikipedia", "like English Wikipedia"),
    ("yandex_maps", "like Yandex.Maps"),
    ("yandex_money", "like Yandex.Money"),
    ("mosmetro", "like Moscow metro signs"),
    ("telegram", "telegram-style (c for ц, h for х)"),
    ("gost_779_alt", "GOST 7.79 system B (cz for ц, x for х)"),
    ("scientific", "scientific (diacritics dropped)"),
)
SCHEME_KEYS: tuple[str, ...] = tuple(key for key, _ in SCHEMES)
SCHEME_LABELS: dict[str, str] = dict(SCHEMES)
N_SCHEMES = len(SCHEMES)
N_HABITS = N_SCHEMES * 4
ALL_HABITS = (1 << N_HABITS) - 1

_CYRILLIC = re.compile(r"[а-яё]")
_NON_AZ = re.compile(r"[^a-z]")


@dataclass(frozen=True, slots=True)
class Habit:
    scheme: str
    ks_x: bool
    yo: bool

    @property
    def index(self) -> int:
        return habit_index(SCHEME_KEYS.index(self.scheme), self.ks_x, self.yo)

    def describe(self) -> str:
        text = SCHEME_LABELS[self.scheme]
        if self.ks_x:
            text += ", x for кс"
        if self.yo:
            text += ", ё kept as yo"
        return text


def habit_index(scheme: int, ks_x: bool, yo: bool) -> int:
    return scheme * 4 + (2 if ks_x else 0) + (1 if yo else 0)


def habit_of(index: int) -> Habit:
    return Habit(SCHEME_KEYS[index // 4], bool(index & 2), bool(index & 1))


def habits_in(mask: int) -> list[int]:
    return [i for i in range(N_HABITS) if mask >> i & 1]


class _CompiledScheme:
    """A lower-case, single-word translator following iuliia's mapping rules."""

    def __init__(self, name: str) -> None:
        schema = iuliia.schemas.get(name)
        with open(schema.path, encoding="utf-8") as fh:  # type: ignore[attr-defined]
            spec = json.load(fh)
        self.name = name

        # Some schemes write ё as Cyrillic ё, standing for Latin ë: an address has e there.
        def latin(table: dict[str, str] | None) -> dict[str, str]:
            return {key: value.replace("ё", "e") for key, value in (table or {}).items()}

        self.map = latin(spec.get("mapping"))
        self.prev = latin(spec.get("prev_mapping"))
        self.next = latin(spec.get("next_mapping"))
        self.ending = latin(spec.get("ending_mapping"))
        self.map.setdefault("ё", self.map.get("е", "e"))

    def _letters(self, word: str) -> str:
        out = []
        n = len(word)
        for i, cur in enumerate(word):
            prev = word[i - 1] if i else ""
            nxt = word[i + 1] if i + 1 < n else ""
            # An empty neighbour matters: a one-letter key marks the start or end of the word.
            letter = self.prev.get(prev + cur)
            if letter is None:
                letter = self.next.get(cur + nxt)
            if letter is None:
                letter = self.map.get(cur, cur)
            out.append(letter)
        return "".join(out)

    def word(self, word: str) -> str:
        if len(word) > 2:
            ending = self.ending.get(word[-2:])
            if ending is not None:
                return self._letters(word[:-2]) + ending
        return self._letters(word)


@cache
def _compiled() -> tuple[_CompiledScheme, ...]:
    return tuple(_CompiledScheme(key) for key in SCHEME_KEYS)


def to_az(text: str) -> str:
    """Lower-case ``a``–``z`` only: accents dropped, apostrophes and hyphens removed."""
    text = unicodedata.normalize("NFKD", text.lower())
    return _NON_AZ.sub("", "".join(ch for ch in text if not unicodedata.combining(ch)))


def transliterate(word: str, habit: Habit) -> str:
    """One word under one habit, reduced to ``a``–``z`` (hyphenated words are spelled joined).

    >>> transliterate("Александр", Habit("icao_doc_9303", ks_x=True, yo=False))
    'alexandr'
    >>> transliterate("Семён", Habit("wikipedia", ks_x=False, yo=True))
    'semyon'
    >>> transliterate("Семён", Habit("wikipedia", ks_x=False, yo=False))
    'semen'
    """
    scheme = _compiled()[SCHEME_KEYS.index(habit.scheme)]
    return to_az("".join(scheme.word(part) for part in _prepare(word, habit.ks_x, habit.yo)))


def _prepare(word: str, ks_x: bool, yo: bool) -> list[str]:
    low = word.lower()
    if not yo:
        low = low.replace("ё", "е")
    if ks_x:
        low = low.replace("кс", "x")
    return [part for part in re.split(r"[\s\-]+", low) if part]


@lru_cache(maxsize=100_000)
def spellings(word: str) -> tuple[tuple[str, int], ...]:
    """Every distinct ``a``–``z`` spelling of a name part with the mask of habits producing it.

    Latin-script parts have one spelling, shared by all habits.

    >>> sorted(s for s, _ in spellings("Юлия"))
    ['iuliia', 'julija', 'yuliya']
    >>> sorted(s for s, _ in spellings("Андрей"))
    ['andrei', 'andrej', 'andrey']
    """
    if not word:
        return ()
    if not _CYRILLIC.search(word.lower()):
        az = to_az(word)
        return ((az, ALL_HABITS),) if az else ()
    masks: dict[str, int] = {}
    variants: dict[tuple[bool, bool], list[str]] = {}
    low = word.lower()
    has_ks = "кс" in low.replace("ё", "е")
    has_yo = "ё" in low
    for ks_x in (False, True):
        for yo in (False, True):
            if (ks_x and not has_ks) or (yo and not has_yo):
                continue
            variants[(ks_x, yo)] = _prepare(word, ks_x, yo)
    for s, scheme in enumerate(_compiled()):
        for (ks_x, yo), parts in variants.items():
            az = to_az("".join(scheme.word(p) for p in parts))
            if not az:
                continue
            bits = 0
            # A tweak that cannot apply to this word is consistent with both of its values.
            for k in (False, True) if not has_ks else (ks_x,):
                for y in (False, True) if not has_yo else (yo,):
                    bits |= 1 << habit_index(s, k, y)
            masks[az] = masks.get(az, 0) | bits
    return tuple(sorted(masks.items()))


@lru_cache(maxsize=100_000)
def initial_spellings(word: str) -> tuple[tuple[str, int], ...]:
    """First letters of a part's spellings (Юлия → i/y/j/u…) with their habit masks."""
    masks: dict[str, int] = {}
    for az, mask in spellings(word):
        masks[az[0]] = masks.get(az[0], 0) | mask
    return tuple(sorted(masks.items()))


def all_spellings(word: str) -> list[str]:
    """Just the spellings, most habits first."""
    return [az for az, mask in sorted(spellings(word), key=lambda s: -s[1].bit_count())]


__all__ = [
    "ALL_HABITS",
    "N_HABITS",
    "N_SCHEMES",
    "SCHEMES",
    "SCHEME_KEYS",
    "SCHEME_LABELS",
    "Habit",
    "all_spellings",
    "habit_index",
    "habit_of",
    "habits_in",
    "initial_spellings",
    "spellings",
    "to_az",
    "transliterate",
]
