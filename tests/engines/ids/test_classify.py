from __future__ import annotations

import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from partnernet.engines.ids import bin_kz, classify, find_identifiers, inn, kpp, ogrn, unp_by
from tests.engines.ids._mutation import rng, seeds


@pytest.mark.parametrize(
    ("raw", "country", "kind", "valid", "where"),
    [
        ("7707083893", None, "inn", True, "RU"),
        ("ИНН 7707083894", None, "inn", False, "RU"),
        ("1027700132195", None, "ogrn", True, "RU"),
        ("308575323743421", None, "ogrnip", True, "RU"),
        ("ОГРН 308575323743421", None, "ogrnip", True, "RU"),
        ("773601001", None, "kpp", True, "RU"),
        ("971240001315", None, "bin", True, "KZ"),
        ("БИН 971240001315", None, "bin", True, "KZ"),
        ("100582333", "BY", "unp", True, "BY"),
        ("УНП 100582333", None, "unp", True, "BY"),
        ("MA1953684", None, "unp", True, "BY"),
        ("7736AB001", None, "kpp", True, "RU"),
    ],
)
def test_classify(raw: str, country: str | None, kind: str, valid: bool, where: str) -> None:
    match = classify(raw, country)
    assert match is not None
    assert (match.kind, match.valid, match.country) == (kind, valid, where)


@pytest.mark.parametrize("raw", ["", "  ", "Ромашка", "12345", "+7 (495) 123-45-67", "1234567"])
def test_not_an_identifier(raw: str) -> None:
    assert classify(raw) is None


def test_error_names_the_failed_check() -> None:
    match = classify("7707083894")
    assert match is not None and match.error == "InvalidChecksum"


def test_twelve_digits_follow_the_country() -> None:
    r = random.Random(2)
    person_inn = inn.generate(r, kind="person")
    assert classify(person_inn, "KZ").kind == "bin"  # type: ignore[union-attr]
    assert classify(person_inn, "RU").kind == "inn"  # type: ignore[union-attr]


@given(seeds)
def test_generated_numbers_classify_as_their_kind(seed: int) -> None:
    r = rng(seed)
    cases = [
        (inn.generate(r, kind="company"), "inn", None),
        (ogrn.generate(r, kind="company"), "ogrn", None),
        (ogrn.generate(r, kind="person"), "ogrnip", None),
        (kpp.generate(r), "kpp", "RU"),
        (bin_kz.generate(r), "bin", "KZ"),
        (unp_by.generate(r), "unp", "BY"),
    ]
    for number, kind, country in cases:
        match = classify(number, country)
        assert match is not None and match.kind == kind and match.valid, (number, match)


@given(st.text(max_size=30))
def test_classify_never_crashes(text: str) -> None:
    classify(text)
    find_identifiers(text)


def test_find_identifiers_in_requisites() -> None:
    text = "ООО «Ромашка», ИНН/КПП 7707083893/773601001, ОГРН 1027700132195, тел. 8 (495) 500-55-50"
    found = [(m.kind, m.compact) for m in find_identifiers(text)]
    assert found == [("inn", "7707083893"), ("kpp", "773601001"), ("ogrn", "1027700132195")]


def test_find_identifiers_skips_unlabelled_invalid_numbers() -> None:
    assert find_identifiers("звоните 4951234567 или 7707083894") == []
