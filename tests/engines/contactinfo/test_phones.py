from __future__ import annotations

import doctest

import pytest
from hypothesis import given
from hypothesis import strategies as st

from partnernet.engines.contactinfo import phones
from partnernet.engines.contactinfo.phones import find_phones, normalise_phone


@pytest.mark.parametrize(
    ("text", "region", "e164"),
    [
        ("8 (495) 123-45-67", "RU", "+74951234567"),
        ("+7 495 1234567 доб. 123", "RU", "+74951234567"),
        ("+7 (495) 123-45-67 ext. 12", "RU", "+74951234567"),
        ("8 495 123 45 67 вн. 5", "RU", "+74951234567"),
        ("(495) 123-45-67", "RU", "+74951234567"),
        ("8-800-555-35-35", "RU", "+78005553535"),
        ("8 (916) 123-45-67", "RU", "+79161234567"),
        ("+7 (727) 244-11-22", "RU", "+77272441122"),
        ("8 (727) 244-11-22", "KZ", "+77272441122"),
        ("8 701 123 45 67", "KZ", "+77011234567"),
        ("+375 17 123-45-67", "RU", "+375171234567"),
        ("8 017 123 45 67", "BY", "+375171234567"),
        ("8 029 123 45 67", "RU", "+375291234567"),
        ("80291234567", "BY", "+375291234567"),
        ("00375291234567", "RU", "+375291234567"),
        ("8-10-375-29-123-45-67", "RU", "+375291234567"),
        ("тел.: 8 (495) 123-45-67, 8 (495) 765-43-21", "RU", "+74951234567"),
        ("8 (495) 123-45-67 или 8 (916) 123-45-67", "RU", "+74951234567"),
    ],
)
def test_normalise(text: str, region: str, e164: str) -> None:
    assert normalise_phone(text, region=region) == e164


@pytest.mark.parametrize(
    "text", ["", "  ", "нет", "123-45-67", "ИНН 7707083893", "ОГРН 1027700132195", "доб. 123"]
)
def test_not_a_phone(text: str) -> None:
    assert normalise_phone(text) is None


def test_find_phones_skips_identifiers() -> None:
    text = (
        "Иванов Иван, тел. +7 (495) 123-45-67, моб. 8 916 123 45 67. "
        "ИНН 7707083893, ОГРН 1027700132195, 7736207543"
    )
    assert find_phones(text) == ["+74951234567", "+79161234567"]


@given(st.integers(min_value=1_000_000, max_value=9_999_999))
def test_formats_of_one_number_agree(local: int) -> None:
    digits = f"{local:07d}"
    spaced = f"{digits[:3]}-{digits[3:5]}-{digits[5:]}"
    variants = [
        f"8 (495) {spaced}",
        f"+7 495 {digits}",
        f"+7(495){digits} доб. 12",
        f"8495{digits}",
    ]
    results = {normalise_phone(v) for v in variants}
    assert results == {f"+7495{digits}"}


@given(st.text(max_size=40))
def test_never_crashes_and_output_is_e164(text: str) -> None:
    result = normalise_phone(text)
    assert result is None or (result.startswith("+") and result[1:].isdigit())


def test_doctests() -> None:
    result = doctest.testmod(phones)
    assert result.attempted > 0 and result.failed == 0
