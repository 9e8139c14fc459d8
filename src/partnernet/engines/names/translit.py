"""Transliteration of Russian names and a transliteration-insensitive key.

:func:`to_latin` writes Cyrillic in Latin with one of iuliia's schemes (``wikipedia`` by
default; ``ё`` is read as ``е`` first, as Russian business text mostly writes it).

:func:`latin_key` is for *comparing* names, not for showing them. The same Russian word
reaches a partner list in many Latin spellings ("Инфосистемы" → "Infosistemy",
"Infosystemy", "Infosystems"; "Джет" → "Dzhet", "Djet", "Jet"). The key transliterates
Cyrillic with a fixed table and then folds both the result and any Latin input to one
skeleton, word by word:

1. keyboard-layout mix-ups are undone (:func:`fix_lookalikes`); case-fold; ``ё``→``е``;
   every non-alphanumeric character separates words;
   Cyrillic letters are mapped by a table built for folding, not for reading:
   ``ж``→zh, ``х``→h, ``ц``→ts, ``ч``→ch, ``ш``/``щ``→sh, ``ы``/``й``→i, ``ю``→iu,
   ``я``→ia, ``ь``/``ъ`` dropped, ``дж``→j, ``кс``→ks;
2. English and alternative spellings are undone (on transliterated Cyrillic too): ``tech``→teh,
   ``ck``→k, ``ph``→f, ``w``→v, ``q``→k, ``x``→ks, ``ou``→u, a hard ``c`` (before a, o,
   u, a consonant or at the end) →k, final ``ce``→s ("Alliance"→allians), ``shch``/``sch``→sh,
   ``kh``→h, ``dzh``/``dj``→j, ``yo`` after a consonant→e ("Fyodorov"→fedorov);
   ``j`` after a vowel→i (Majkop, Sergej); apostrophes and primes (``ʹ`` for ``ь``) vanish;
3. then, for both: ``ts``/``tz``/``tc``/``cz``→c, ``y``→i, doubled letters collapse
   (``ii``→i, ``ll``→l), ``ie``→e (Yekaterinburg → ekaterinburg);
4. a few English forms map to the Russian stem (``center``/``centre``→centr);
5. grammatical endings are dropped: trailing vowels and ``s`` go while the word is longer
   than four letters ("sistemy", "systems" → sistem; "tekhnologii", "technologies" →
   tehnolog; "gruppa", "group" → grup).

Words keep their order (callers sort them when order should not matter); digits stay.
The key is lossy by design: different words can share a key ("Сервис"/"Service" →
servis, but also "Servise"); use it for blocking and scoring, never as an identity.

>>> latin_key("Инфосистемы Джет") == latin_key("Infosistemy Jet") == latin_key("Infosystems Jet")
True
>>> latin_key("Инфосистемы Джет")
'infosistem jet'
>>> latin_key("Технологии") == latin_key("Technologies") == latin_key("Tekhnologii")
True
>>> latin_key("Альянс") == latin_key("Alliance")
True
>>> latin_key("Екатеринбург") == latin_key("Yekaterinburg") == latin_key("Ekaterinburg")
True
>>> latin_key("Группа Компаний") == latin_key("Gruppa Kompaniy")
True
>>> to_latin("Щёлково")
'Shchelkovo'
>>> script_of("Ромашка"), script_of("Romashka"), script_of("IT-Ромашка"), script_of("1234")
('cyrillic', 'latin', 'mixed', 'other')
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Literal

import iuliia

_CYR_FOLD = {
    "а": "a",
    "б": "b",
    "в": "v",
    "г": "g",
    "д": "d",
    "е": "e",
    "ё": "e",
    "ж": "zh",
    "з": "z",
    "и": "i",
    "й": "i",
    "к": "k",
    "л": "l",
    "м": "m",
    "н": "n",
    "о": "o",
    "п": "p",
    "р": "r",
    "с": "s",
    "т": "t",
    "у": "u",
    "ф": "f",
    "х": "h",
    "ц": "ts",
    "ч": "ch",
    "ш": "sh",
    "щ": "sh",
    "ъ": "",
    "ы": "i",
    "ь": "",
    "э": "e",
    "ю": "iu",
    "я": "ia",
    # Ukrainian, Belarusian and Kazakh letters that turn up in CIS lists
    "і": "i",
    "ї": "i",
    "є": "e",
    "ґ": "g",
    "ў": "u",
    "ә": "a",
    "ғ": "g",
    "қ": "k",
    "ң": "n",
    "ө": "o",
    "ұ": "u",
    "ү": "u",
    "һ": "h",
}
_LATIN_STEPS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), repl)
    for pattern, repl in (
        (r"shch", "sh"),
        (r"sch", "sh"),
        (r"tch", "ch"),
        (r"(?<=[b-df-hj-np-tv-z])yo", "e"),
        (r"dzh|dj", "j"),
        (r"(?<=[aeiouy])j", "i"),
        (r"tech", "teh"),
        (r"kh", "h"),
        (r"ck", "k"),
        (r"ph", "f"),
        (r"ce$", "s"),
        (r"c(?=[aoulrkt]|$)", "k"),
        (r"ou", "u"),
        (r"w", "v"),
        (r"qu", "kv"),
        (r"q", "k"),
        (r"x", "ks"),
    )
)
_COMMON_STEPS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), repl)
    for pattern, repl in (
        (r"ts|tz|tc|cz", "c"),
        (r"y", "i"),
        (r"([a-z])\1+", r"\1"),
        (r"ie", "e"),
        (r"([a-z])\1+", r"\1"),
    )
)
_ENGLISH_FORMS = {"center": "centr", "centre": "centr", "centers": "centr"}
_ENDINGS = "aeiouys"
_WORD = re.compile(r"[^\W_]+")
# Apostrophes, the prime some schemes write for ь and BGN/PCGN's middle dot ("Brat·sk")
# are not word breaks.
_APOSTROPHES = re.compile(r"['ʹʼ’‘`´″ʺ·]")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")


@lru_cache(maxsize=100_000)
def _fold_word(word: str) -> str:
    if _CYRILLIC.search(word):
        word = word.replace("дж", "j")
        word = "".join(_CYR_FOLD.get(ch, ch) for ch in word)
    # The Latin steps run on transliterated Cyrillic too, so that "сч", "тч", "оу" fold
    # exactly like their Latin spellings.
    for pattern, repl in _LATIN_STEPS:
        word = pattern.sub(repl, word)
    for pattern, repl in _COMMON_STEPS:
        word = pattern.sub(repl, word)
    word = _ENGLISH_FORMS.get(word, word)
    while len(word) > 4 and word[-1] in _ENDINGS:
        word = word[:-1]
    return word


_NEEDS_ACCENT_STRIP = re.compile(r"[^\x00-\x7f\u0400-\u04ff]")


def _strip_accents(text: str) -> str:
    # "Café" → "Cafe", but keep Cyrillic letters whole (й and ё decompose in NFD).
    if not _NEEDS_ACCENT_STRIP.search(text):
        return text
    out = []
    for ch in text:
        if "a" <= ch.lower() <= "z" or _CYRILLIC.match(ch):
            out.append(ch)
            continue
        base = unicodedata.normalize("NFD", ch)[0]
        out.append(base if base.isascii() and base.isalpha() else ch)
    return "".join(out)


_LAT_TO_CYR = str.maketrans("aAeEoOpPcCxXyKkMHTB", "аАеЕоОрРсСхХуКкМНТВ")
_CYR_TO_LAT = str.maketrans("аАеЕоОрРсСхХуКкМНТВ", "aAeEoOpPcCxXyKkMHTB")
_MIXED_WORD = re.compile(r"[^\W\d_]+")
_ANY_LATIN = re.compile(r"[A-Za-z]")


def _fix_word(match: re.Match[str]) -> str:
    word = match.group(0)
    cyr = len(_CYRILLIC.findall(word))
    lat = sum(1 for ch in word if "a" <= ch.lower() <= "z")
    if not cyr or not lat:
        return word
    fixed = word.translate(_LAT_TO_CYR) if cyr >= lat else word.translate(_CYR_TO_LAT)
    # Only if that made the word one script: "IT-Ромашка" style compounds stay as they are.
    if _CYRILLIC.search(fixed) and any("a" <= ch.lower() <= "z" for ch in fixed):
        return word
    return fixed


def fix_lookalikes(text: str) -> str:
    """Undo keyboard-layout mix-ups inside words: Latin letters that look Cyrillic in a
    mostly Cyrillic word (and vice versa) are replaced by their twins ("TимCeкьюp" →
    "ТимСекьюр"). Words that cannot be made single-script are left alone.

    >>> fix_lookalikes("OOO Pомашка"), fix_lookalikes("Sоft"), fix_lookalikes("IT-Ромашка")
    ('OOO Ромашка', 'Soft', 'IT-Ромашка')
    """
    if not (_CYRILLIC.search(text) and _ANY_LATIN.search(text)):
        return text  # one script only: nothing to fix (the common case)
    return _MIXED_WORD.sub(_fix_word, text)


@lru_cache(maxsize=200_000)
def latin_key(name: str) -> str:
    """A transliteration-insensitive key of ``name``: folded words joined by spaces."""
    text = fix_lookalikes(name).casefold().replace("ё", "е")
    text = _strip_accents(_APOSTROPHES.sub("", text))
    words = []
    for raw in _WORD.findall(text):
        # A word mixing scripts ("IT-Ромашка" is split by '-', but "ITРомашка" is not) is
        # folded per script run.
        parts = re.findall(r"[\u0400-\u04ff]+|[^\u0400-\u04ff]+", raw)
        folded = "".join(_fold_word(part) for part in parts)
        if folded:
            words.append(folded)
    return " ".join(words)


def to_latin(text: str, scheme: str = "wikipedia") -> str:
    """Cyrillic → Latin with the named iuliia scheme (``ё`` read as ``е``)."""
    schema = iuliia.schemas.get(scheme)
    if schema is None:
        raise ValueError(f"unknown transliteration scheme {scheme!r}")
    return schema.translate(text.replace("ё", "е").replace("Ё", "Е"))


def script_of(text: str) -> Literal["cyrillic", "latin", "mixed", "other"]:
    """Which script the letters of ``text`` are in; digits and punctuation do not count."""
    cyrillic = latin = other = 0
    for ch in text:
        if not ch.isalpha():
            continue
        if _CYRILLIC.match(ch):
            cyrillic += 1
        elif ch.isascii() or unicodedata.name(ch, "").startswith("LATIN"):
            latin += 1
        else:
            other += 1
    if cyrillic and latin:
        return "mixed"
    if cyrillic and not other:
        return "cyrillic"
    if latin and not other:
        return "latin"
    return "other"
