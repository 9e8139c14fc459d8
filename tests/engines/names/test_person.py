"""Person-name parsing: every order, initials, double surnames, Latin script, gender."""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from partnernet.engines.addresses.synthetic import (
    FATHER_NAMES,
    FEMALE_NAMES,
    MALE_NAMES,
    SURNAMES,
    Person,
    feminine_surname,
    patronymic,
)
from partnernet.engines.names.person import (
    PersonName,
    infer_gender,
    parse_person_name,
    surname_gender,
)


@pytest.mark.parametrize(
    ("text", "last", "first", "patr"),
    [
        ("Тарасенко Андрей Викторович", "Тарасенко", "Андрей", "Викторович"),
        ("Андрей Викторович Тарасенко", "Тарасенко", "Андрей", "Викторович"),
        ("Андрей Тарасенко", "Тарасенко", "Андрей", None),
        ("Тарасенко Андрей", "Тарасенко", "Андрей", None),
        ("ТАРАСЕНКО АНДРЕЙ ВИКТОРОВИЧ", "Тарасенко", "Андрей", "Викторович"),
        ("Римский-Корсаков Николай Андреевич", "Римский-Корсаков", "Николай", "Андреевич"),
        ("Петрович Иван Сергеевич", "Петрович", "Иван", "Сергеевич"),
        ("Ильич Надежда Ильинична", "Ильич", "Надежда", "Ильинична"),
        ("Цой Виктор Робертович", "Цой", "Виктор", "Робертович"),
        ("Andrey Tarasenko", "Tarasenko", "Andrey", None),
        ("Tarasenko Andrey", "Tarasenko", "Andrey", None),
        ("Ivanov, Petr", "Ivanov", "Petr", None),
        ("Yulia  Ivanova", "Ivanova", "Yulia", None),
    ],
)
def test_orders(text: str, last: str, first: str, patr: str | None) -> None:
    name = parse_person_name(text)
    assert name is not None
    assert (name.last, name.first, name.patronymic) == (last, first, patr)
    assert name.first_initial == first[0]


@pytest.mark.parametrize(
    ("text", "last", "fi", "pi"),
    [
        ("Тарасенко А.В.", "Тарасенко", "А", "В"),
        ("Тарасенко А. В.", "Тарасенко", "А", "В"),
        ("А.В. Тарасенко", "Тарасенко", "А", "В"),
        ("А. Тарасенко", "Тарасенко", "А", None),
        ("Шинкарев Б.", "Шинкарев", "Б", None),
    ],
)
def test_initials(text: str, last: str, fi: str, pi: str | None) -> None:
    name = parse_person_name(text)
    assert name is not None
    assert (name.last, name.first, name.first_initial, name.patronymic_initial) == (
        last,
        None,
        fi,
        pi,
    )


def test_first_name_with_patronymic_initial() -> None:
    name = parse_person_name("Тарасенко Андрей В.")
    assert name is not None
    assert (name.first, name.patronymic, name.patronymic_initial) == ("Андрей", None, "В")


@pytest.mark.parametrize(
    ("text", "gender"),
    [
        ("Иванова Мария", "f"),
        ("Тарасенко Андрей Викторович", "m"),
        ("Тарасенко Алла Викторовна", "f"),
        ("Тарасенко А.В.", None),  # an invariant surname and initials say nothing
        ("Иванова А.В.", "f"),
        ("Новицкий А.", "m"),
        ("Ким Алла", "f"),
        ("Yulia Ivanova", "f"),
    ],
)
def test_gender(text: str, gender: str | None) -> None:
    name = parse_person_name(text)
    assert name is not None
    assert name.gender == gender


def test_surname_gender_endings() -> None:
    assert surname_gender("Римская-Корсакова") == "f"
    assert surname_gender("Толстая") == "f"
    assert surname_gender("Толстой") == "m"
    assert surname_gender("Шевченко") is None
    assert surname_gender("Ivanova") == "f"


def test_patronymic_outweighs_first_name_for_gender() -> None:
    # Саша is either; the patronymic settles it.
    assert infer_gender(PersonName(last="Ким", first="Саша", patronymic="Петровна")) == "f"


def test_nothing_to_parse() -> None:
    assert parse_person_name("") is None
    assert parse_person_name("  ,. ") is None
    assert parse_person_name("12345") is None


def test_lone_first_name_is_not_a_surname() -> None:
    name = parse_person_name("Андрей")
    assert name is not None
    assert (name.last, name.first) == ("", "Андрей")


def test_key_ignores_case_and_yo() -> None:
    a = parse_person_name("Семёнов Пётр")
    b = parse_person_name("СЕМЕНОВ ПЕТР")
    assert a is not None and b is not None
    assert a.key == b.key


def _weighted(table: tuple[tuple[str, float], ...]) -> st.SearchStrategy[str]:
    return st.sampled_from([name for name, _ in table])


@st.composite
def people(draw: st.DrawFn) -> Person:
    gender = draw(st.sampled_from(["m", "f"]))
    first = draw(_weighted(MALE_NAMES if gender == "m" else FEMALE_NAMES))
    last = draw(_weighted(SURNAMES))
    if gender == "f":
        last = feminine_surname(last)
    return Person(last, first, patronymic(draw(_weighted(FATHER_NAMES)), gender), gender)


@settings(max_examples=300, deadline=None)
@given(people(), st.sampled_from(["LFP", "FPL", "FL", "LF", "L_init"]))
def test_realistic_names_in_every_order(person: Person, style: str) -> None:
    name = parse_person_name(person.written(style))
    assert name is not None
    assert name.last == person.last
    assert name.first_initial == person.first[0]
    if style != "L_init":
        assert name.first == person.first
    if style in ("LFP", "FPL"):
        assert name.patronymic == person.patronymic
        assert name.gender == person.gender
    # Gender is never wrong; with initials and an invariant surname it may be unknown.
    assert name.gender in (person.gender, None)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=40))
def test_any_text_parses_or_gives_none(text: str) -> None:
    name = parse_person_name(text)
    if name is not None:
        assert name.last or name.first
        assert name.gender in ("m", "f", None)


def test_full_form_round_trips() -> None:
    rng = random.Random(5)
    for _ in range(50):
        gender = rng.choice("mf")
        first = rng.choice([n for n, _ in (MALE_NAMES if gender == "m" else FEMALE_NAMES)])
        text = f"Соколов{'а' if gender == 'f' else ''} {first} {patronymic('Андрей', gender)}"
        name = parse_person_name(text)
        assert name is not None
        again = parse_person_name(name.full)
        assert again == name
