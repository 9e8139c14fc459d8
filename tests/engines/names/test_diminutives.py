"""Short first names join records only with the full names they stand for."""

from __future__ import annotations

import pytest

from partnernet.engines.names.diminutives import _SHORT_FORMS, full_forms, same_first_name


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Саша", "Александр"),
        ("Саша", "Александра"),
        ("Шура", "Саша"),
        ("Алёша", "Алексей"),
        ("Сережа", "Сергей"),
        ("Слава", "Ярослав"),
        ("ЖЕНЯ", "евгения"),
        ("Ольга", "Ольга"),
    ],
)
def test_short_and_full_forms_of_one_name_match(a: str, b: str) -> None:
    assert same_first_name(a, b)


@pytest.mark.parametrize(
    ("a", "b"),
    [("Вячеслав", "Ярослав"), ("Дима", "Вадим"), ("Саша", "Алексей"), ("Катя", "Ксения")],
)
def test_different_people_stay_apart(a: str, b: str) -> None:
    assert not same_first_name(a, b)


def test_the_table_is_written_as_name_keys() -> None:
    # Lower case and е for ё, so a form from a name key finds its entry.
    for full, shorts in _SHORT_FORMS.items():
        for word in (full, *shorts):
            assert word == word.lower() and "ё" not in word
        assert full not in shorts
    assert full_forms("Федя") == {"федя", "федор"}
