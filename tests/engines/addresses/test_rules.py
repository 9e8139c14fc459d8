"""Per-rule spellings: every scheme's spelling is reachable; by-ear ones carry their choices."""

from __future__ import annotations

import pytest

from partnernet.engines.addresses.rules import RULE_NAMES, RULE_OPTIONS, rule_spellings, slots
from partnernet.engines.addresses.synthetic import (
    BY_EAR_RULES,
    FEMALE_NAMES,
    MALE_NAMES,
    SURNAMES,
    spell_by_ear,
)
from partnernet.engines.addresses.translit_variants import spellings


def choices(word: str, spelling: str) -> list[tuple[str, str]]:
    return [(RULE_NAMES[r], RULE_OPTIONS[r][k]) for r, k in rule_spellings(word)[spelling]]


def test_by_ear_spellings_no_scheme_gives() -> None:
    assert "yulia" not in dict(spellings("Юлия"))
    assert choices("Юлия", "yulia") == [("ю", "yu"), ("-ия", "a")]
    assert choices("Наталья", "natalia") == [("ья", "ia")]
    assert choices("Дмитрий", "dmitriy") == [("-ий", "iy")]
    assert choices("Хабаров", "habarov") == [("х", "h")]


def test_latin_words_have_no_rules() -> None:
    assert rule_spellings("Ivanov") == {}
    assert slots("Ivanov") == ("ivanov",)


def test_almost_every_scheme_spelling_is_a_rule_spelling() -> None:
    words = [name for name, _ in MALE_NAMES + FEMALE_NAMES + SURNAMES]
    total = missing = 0
    for word in words:
        by_rule = rule_spellings(word)
        for spelling, _mask in spellings(word):
            total += 1
            missing += spelling not in by_rule
    # Only the rare ones escape (MVD 782's ьи as yi, ICAO's ъ as ie).
    assert missing / total < 0.01


@pytest.mark.parametrize("seed", range(5))
def test_the_generators_by_ear_typist_is_covered(seed: int) -> None:
    """Every option the benchmark's typist uses but «tz» for ц is one the engine knows."""
    import random

    rng = random.Random(seed)
    typist = {rule: rng.choice([o for o, _ in options]) for rule, options in BY_EAR_RULES}
    typist["ts"] = "ts"
    for word in ("Юлия", "Евгений", "Наталья", "Щукин", "Хабарова", "Цветков", "Аксёнов", "Жуков"):
        assert spell_by_ear(word, typist) in rule_spellings(word), (word, typist)


def test_an_initial_shows_the_choice_of_its_first_letter() -> None:
    from partnernet.engines.addresses.rules import initial_choices

    def shown(word: str, letter: str) -> list[tuple[str, str]]:
        return [(RULE_NAMES[r], RULE_OPTIONS[r][k]) for r, k in initial_choices(word)[letter]]

    assert shown("Юлия", "y") == [("ю", "yu")]
    assert shown("Евгений", "y") == [("е-", "ye")]
    assert shown("Евгений", "e") == [("е-", "e")]
    assert shown("Ксения", "x") == [("кс", "x")]
    # ц as ts and as tc both start with t: the initial tells nothing; a plain letter neither.
    assert "t" not in initial_choices("Цветков")
    assert initial_choices("Иван") == {}
    assert initial_choices("Ivan") == {}
