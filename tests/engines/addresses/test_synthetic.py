"""The benchmark generator: realistic names, companies that follow their own habit."""

from __future__ import annotations

import pytest

from partnernet.engines.addresses.patterns import is_role_mailbox
from partnernet.engines.addresses.synthetic import (
    Person,
    feminine_surname,
    generate_companies,
    patronymic,
    render,
)


@pytest.mark.parametrize(
    ("male", "female"),
    [("Иванов", "Иванова"), ("Новицкий", "Новицкая"), ("Толстой", "Толстая"),
     ("Тарасенко", "Тарасенко"), ("Римский-Корсаков", "Римская-Корсакова"), ("Цой", "Цой")],
)  # fmt: skip
def test_feminine_surnames(male: str, female: str) -> None:
    assert feminine_surname(male) == female


@pytest.mark.parametrize(
    ("father", "son", "daughter"),
    [("Андрей", "Андреевич", "Андреевна"), ("Юрий", "Юрьевич", "Юрьевна"),
     ("Илья", "Ильич", "Ильинична"), ("Игорь", "Игоревич", "Игоревна"),
     ("Иван", "Иванович", "Ивановна"), ("Пётр", "Петрович", "Петровна")],
)  # fmt: skip
def test_patronymics(father: str, son: str, daughter: str) -> None:
    assert (patronymic(father, "m"), patronymic(father, "f")) == (son, daughter)


def test_render_uses_the_habit() -> None:
    person = Person("Щукин", "Евгений", "Алексеевич", "m")
    assert render(person, "{first}.{last}", "icao_doc_9303", False, False) == "evgenii.shchukin"
    assert render(person, "{f}{p}{last}", "mvd_310", True, False) == "eashchukin"
    assert render(person, "{first}", "wikipedia", False, False) == "yevgeny"


def test_companies_are_reproducible_and_mostly_follow_their_pattern() -> None:
    one = generate_companies(40, seed=3)
    assert [c.known for c in one] == [c.known for c in generate_companies(40, seed=3)]
    roles = people = 0
    for company in one:
        assert len(company.held_out) == 2
        for _domain, _name, email in company.known:
            local, domain = email.split("@")
            assert domain == company.domain
            if is_role_mailbox(local):
                roles += 1
            else:
                people += 1
        assert company.known_people == sum(
            not is_role_mailbox(e.split("@")[0]) for _, _, e in company.known
        )
    assert roles > 10 and people > 100


def test_namesakes_never_repeat_the_patronymic_initial() -> None:
    """A company whose pattern carries the patronymic initial tells namesakes apart by a digit."""
    rendered = 0
    for company in generate_companies(400, seed=11002):
        patterns = {company.pattern, company.secondary_pattern} - {None}
        if not any("{p}" in str(p) for p in patterns):
            continue
        for _domain, _name, email in company.known + company.held_out:
            local = email.split("@")[0]
            rendered += 1
            assert local.count(".") <= 2, email
    assert rendered > 50
