"""Transliteration habits: the compiled translator matches iuliia; masks say who spells what."""

from __future__ import annotations

import warnings

import iuliia
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from partnernet.engines.addresses.synthetic import FEMALE_NAMES, MALE_NAMES, SURNAMES
from partnernet.engines.addresses.translit_variants import (
    ALL_HABITS,
    N_HABITS,
    SCHEME_KEYS,
    Habit,
    habit_index,
    habit_of,
    initial_spellings,
    spellings,
    to_az,
    transliterate,
)

WORDS = sorted({n for n, _ in MALE_NAMES + FEMALE_NAMES + SURNAMES})


@pytest.mark.parametrize("scheme", SCHEME_KEYS)
def test_compiled_translator_matches_iuliia(scheme: str) -> None:
    schema = iuliia.schemas.get(scheme)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for word in WORDS:
            plain = word.replace("ё", "е").replace("Ё", "Е")
            expected = to_az(schema.translate(plain))
            assert transliterate(word, Habit(scheme, ks_x=False, yo=False)) == expected, word


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("Евгений", {"evgenii", "evgeniy", "evgeny", "evgenij", "yevgeniy", "yevgeny"}),
        ("Цой", {"tsoi", "tsoy", "tcoi", "coi", "coj", "czoj"}),
        ("Щукин", {"shchukin", "schukin", "shhukin", "scukin"}),
        ("Хабаров", {"khabarov", "habarov", "xabarov"}),
    ],
)
def test_known_ambiguities(word: str, expected: set[str]) -> None:
    assert {s for s, _ in spellings(word)} == expected


def test_ks_as_x_and_yo_are_modelled_both_ways() -> None:
    got = dict(spellings("Алексей"))
    assert "alexey" in got and "aleksey" in got
    icao_x = 1 << habit_index(SCHEME_KEYS.index("icao_doc_9303"), True, False)
    assert got["alexei"] & icao_x
    assert not got["aleksei"] & icao_x
    yo = {s for s, _ in spellings("Семён")}
    assert {"semen", "semyon"} <= yo


def test_tweaks_that_cannot_apply_keep_both_values() -> None:
    # «Тарасенко» has neither кс nor ё: every habit writes it the same.
    assert spellings("Тарасенко") == (("tarasenko", ALL_HABITS),)


def test_latin_words_are_taken_as_written() -> None:
    assert spellings("O'Brien") == (("obrien", ALL_HABITS),)


def test_initials_follow_the_scheme() -> None:
    got = dict(initial_spellings("Юлия"))
    assert set(got) == {"i", "j", "y"}
    icao = 1 << habit_index(SCHEME_KEYS.index("icao_doc_9303"), False, False)
    assert got["i"] & icao


def test_habit_numbering_round_trips() -> None:
    for index in range(N_HABITS):
        assert habit_of(index).index == index


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(WORDS))
def test_masks_partition_the_habits(word: str) -> None:
    # Each habit spells a word exactly one way: the masks are disjoint and cover all habits.
    masks = [mask for _, mask in spellings(word)]
    union = 0
    for mask in masks:
        assert union & mask == 0
        union |= mask
    assert union == ALL_HABITS
    for az, _ in spellings(word):
        assert az and az.isascii() and az.isalpha() and az.islower()
