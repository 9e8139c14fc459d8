from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from partnernet.engines.sources.vocabulary import (
    SECTORS,
    SPECIALISATIONS,
    level_rank,
    sector_keys,
    specialisation_keys,
)


@pytest.mark.parametrize(
    ("level", "rank"),
    [
        ("Platinum", 5),
        ("Платиновый партнёр", 5),
        ("Gold Partner", 4),
        ("Золотой", 4),
        ("Silver", 3),
        ("Серебряный партнер", 3),
        ("Bronze", 2),
        ("Авторизованный партнёр", 2),
        ("Registered", 1),
        ("Зарегистрированный", 1),
        ("Tier 1", 5),
        ("Tier 3", 3),
        ("Уровень 2", 4),
        ("", 0),
        ("неизвестно", 0),
    ],
)
def test_level_rank(level: str, rank: int) -> None:
    assert level_rank(level) == rank


@given(st.text(max_size=40))
def test_level_rank_is_total_and_bounded(text: str) -> None:
    assert 0 <= level_rank(text) <= 5


def test_every_seeded_specialisation_is_recognised_by_its_own_names() -> None:
    for key, (name_ru, name_en, _) in SPECIALISATIONS.items():
        assert key in specialisation_keys(name_ru)[0], name_ru
        assert key in specialisation_keys(name_en)[0], name_en


def test_every_seeded_sector_is_recognised_by_its_own_names() -> None:
    for key, (_, name_ru, name_en, _) in SECTORS.items():
        assert key in sector_keys(name_ru)[0], name_ru
        assert key in sector_keys(name_en)[0], name_en


def test_unknown_parts_are_returned() -> None:
    found, unknown = specialisation_keys("Виртуализация; Гончарное дело")
    assert found == ["virtualisation"]
    assert unknown == ["Гончарное дело"]
