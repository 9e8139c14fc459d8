"""Per-rule transliteration: the spellings of a name when each contested letter is chosen alone.

Published schemes fix every letter at once (ICAO writes Юлия ``iuliia``, MVD 310 ``yuliya``), but
an admin typing by ear chooses letter by letter: ``yulia`` (ю as yu, -ия as ia), ``tatiana`` next
to ``sergey``, ``dmitriy`` next to ``natalia``. A *rule* is one contested letter in one context
(«я» after «ь», «-ий» at the end of a word, «х» anywhere); its *options* are the ways people write
it. A word splits into fixed letters and rule slots; every combination of options is a spelling,
and the rule choices behind a spelling are what a company's known addresses teach about it.

>>> sorted(rule_spellings("Юлия"))[:4]
['iulia', 'iuliia', 'iulija', 'iuliya']
>>> [(RULE_NAMES[r], RULE_OPTIONS[r][k]) for r, k in rule_spellings("Юлия")["yulia"]]
[('ю', 'yu'), ('-ия', 'a')]
"""

from __future__ import annotations

import re
from functools import lru_cache
from itertools import product

#: (rule, options, most usual first). The options come from the published schemes and from the
#: by-ear spellings common in Russian address books (-ия as ia, ц as c or tz, щ as sch).
RULES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("е-", ("e", "ye", "je", "ie")),  # е at the start, after a vowel, ь or ъ
    ("ё", ("e", "yo", "jo", "io", "ye")),
    ("ж", ("zh", "j", "z")),
    ("й", ("y", "i", "j")),  # й other than in a final -ий/-ый
    ("-ий", ("iy", "y", "ii", "i", "ij")),
    ("-ый", ("y", "iy", "yi", "yj")),
    ("х", ("kh", "h", "x")),
    ("ц", ("ts", "c", "tc", "cz", "tz")),
    ("ч", ("ch", "c")),
    ("ш", ("sh", "s")),
    ("щ", ("shch", "sch", "shh", "sc", "sh")),
    ("ю", ("yu", "iu", "ju")),
    ("я", ("ya", "ia", "ja")),
    ("-ия", ("ya", "a", "ia", "ja")),  # the я of a final -ия (the и is written i)
    ("ья", ("ya", "ia", "ja")),  # ья, ъя
    ("кс", ("ks", "x")),
)
RULE_NAMES: tuple[str, ...] = tuple(name for name, _ in RULES)
RULE_OPTIONS: tuple[tuple[str, ...], ...] = tuple(options for _, options in RULES)
N_RULES = len(RULES)
_RULE = {name: i for i, name in enumerate(RULE_NAMES)}
_PLAIN = dict(zip("абвгдезиклмнопрстуфыэ", "abvgdeziklmnoprstufye", strict=True))
_VOWELS = frozenset("аеёиоуыэюя")
_SINGLE = {"ж": "ж", "й": "й", "х": "х", "ц": "ц", "ч": "ч", "ш": "ш", "щ": "щ", "ю": "ю"}
_CYRILLIC = re.compile(r"[а-яё]")
_MAX_SPELLINGS = 512  # a word with more combinations keeps only its rules' usual options

#: A word's slots: a fixed Latin text, or a rule index.
Slot = str | int
#: The rule choices behind a spelling: ((rule, option index), …) in the word's order.
Choices = tuple[tuple[int, int], ...]


@lru_cache(maxsize=50_000)
def slots(word: str) -> tuple[Slot, ...]:
    """A word (hyphens and spaces joined) as fixed text and rule slots.

    >>> [s if isinstance(s, str) else RULE_NAMES[s] for s in slots("Наталья")]
    ['natal', 'ья']
    """
    out: list[Slot] = []
    text: list[str] = []

    def rule(name: str) -> None:
        if text:
            out.append("".join(text))
            text.clear()
        out.append(_RULE[name])

    for part in re.split(r"[\s\-]+", word.lower()):
        i, n = 0, len(part)
        while i < n:
            cur, nxt = part[i], part[i + 1 : i + 2]
            prev = part[i - 1] if i else ""
            if cur == "к" and nxt == "с":
                rule("кс")
                i += 2
                continue
            if cur in "иы" and nxt == "й" and i + 2 == n:
                text.append("")
                rule("-ий" if cur == "и" else "-ый")
                i += 2
                continue
            if cur in "ьъ" and nxt == "я":
                rule("ья")
                i += 2
                continue
            if cur in "ьъ":
                i += 1
                continue
            if cur == "я" and prev == "и" and i + 1 == n:
                rule("-ия")
            elif cur == "е":
                if not prev or prev in _VOWELS or prev in "ьъ":
                    rule("е-")
                else:
                    text.append("e")
            elif cur == "ё":
                rule("ё")
            elif cur == "я":
                rule("я")
            elif cur in _SINGLE:
                rule(_SINGLE[cur])
            elif cur in _PLAIN:
                text.append(_PLAIN[cur])
            elif "a" <= cur <= "z":
                text.append(cur)
            i += 1
    if text:
        out.append("".join(text))
    return tuple(s for s in out if s != "")


@lru_cache(maxsize=50_000)
def rule_spellings(word: str) -> dict[str, Choices]:
    """Every spelling of a Cyrillic word under per-rule choices, with the choices behind it.

    Latin-script words have none (their spelling is what is written).
    """
    if not _CYRILLIC.search(word.lower()):
        return {}
    parts = slots(word)
    options: list[list[tuple[str, tuple[int, int] | None]]] = []
    total = 1
    for slot in parts:
        if isinstance(slot, str):
            options.append([(slot, None)])
        else:
            options.append([(o, (slot, k)) for k, o in enumerate(RULE_OPTIONS[slot])])
            total *= len(RULE_OPTIONS[slot])
    if total > _MAX_SPELLINGS:
        options = [opts[:2] for opts in options]
    out: dict[str, Choices] = {}
    for combo in product(*options):
        spelling = "".join(text for text, _ in combo)
        if spelling:
            out.setdefault(spelling, tuple(c for _, c in combo if c is not None))
    return out


@lru_cache(maxsize=50_000)
def initial_choices(word: str) -> dict[str, Choices]:
    """The rule choice a word's initial letter shows, by that letter.

    ``y.ivanova`` for Юлия says ю was written with a y (``yu``), ``i`` says ``iu``; an initial
    shared by several options (ц as ``ts`` or ``tc``, ч as ``ch`` or ``c``) or a plain first
    letter shows nothing and maps to no choice.

    >>> {k: [(RULE_NAMES[r], RULE_OPTIONS[r][o]) for r, o in v]
    ...  for k, v in sorted(initial_choices("Юлия").items())}
    {'i': [('ю', 'iu')], 'j': [('ю', 'ju')], 'y': [('ю', 'yu')]}
    """
    parts = slots(word) if _CYRILLIC.search(word.lower()) else ()
    if not parts or not isinstance(parts[0], int):
        return {}
    rule = parts[0]
    by_letter: dict[str, list[int]] = {}
    for k, option in enumerate(RULE_OPTIONS[rule]):
        by_letter.setdefault(option[0], []).append(k)
    return {letter: ((rule, ks[0]),) for letter, ks in by_letter.items() if len(ks) == 1}


@lru_cache(maxsize=50_000)
def rule_slots(word: str) -> tuple[int, ...]:
    """The rules a word's spelling depends on, in order (a rule may repeat)."""
    if not _CYRILLIC.search(word.lower()):
        return ()
    return tuple(s for s in slots(word) if isinstance(s, int))


__all__ = [
    "N_RULES",
    "RULES",
    "RULE_NAMES",
    "RULE_OPTIONS",
    "Choices",
    "initial_choices",
    "rule_slots",
    "rule_spellings",
    "slots",
]
