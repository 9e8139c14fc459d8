from __future__ import annotations

import contextlib

import pytest
from hypothesis import given
from hypothesis import strategies as st
from stdnum.ru import ogrn as stdnum_ogrn

from partnernet.engines.ids import ogrn
from partnernet.engines.ids.exceptions import (
    InvalidChecksum,
    InvalidComponent,
    InvalidFormat,
    InvalidLength,
    ValidationError,
)
from tests.engines.ids._mutation import replace_digit, rng, seeds


@pytest.mark.parametrize("number", ["1027700132195", "1027700229193", "1037739010891"])
def test_real_ogrns_validate(number: str) -> None:
    assert ogrn.validate(number) == number
    assert ogrn.kind(number) == "company"


def test_ogrnip_with_remainder_above_nine_is_valid_unlike_stdnum() -> None:
    number = "308575323743421"
    assert int(number[:14]) % 13 == 11
    assert ogrn.is_valid(number)
    assert not stdnum_ogrn.is_valid(number)


@pytest.mark.parametrize(
    ("raw", "error"),
    [
        ("1027700132196", InvalidChecksum),
        ("308575323743422", InvalidChecksum),
        ("2027700132190", InvalidComponent),  # 2 is a ГРН record number, not an OGRN
        ("408575323743421", InvalidComponent),
        ("10277001321", InvalidLength),
        ("10277OO132195", InvalidFormat),
    ],
)
def test_bad_numbers_raise_specific_errors(raw: str, error: type[Exception]) -> None:
    with pytest.raises(error):
        ogrn.validate(raw)


@given(seeds, st.sampled_from(["company", "person"]))
def test_generated_numbers_validate(seed: int, kind: str) -> None:
    number = ogrn.generate(rng(seed), kind=kind)  # type: ignore[arg-type]
    assert ogrn.validate(number) == number
    assert len(number) == (13 if kind == "company" else 15)


@given(seeds)
def test_we_agree_with_stdnum_except_on_its_ogrnip_defect(seed: int) -> None:
    company = ogrn.generate(rng(seed), kind="company")
    assert stdnum_ogrn.is_valid(company)
    person = ogrn.generate(rng(seed), kind="person")
    remainder = int(person[:14]) % 13
    assert stdnum_ogrn.is_valid(person) == (remainder < 10)


@given(seeds, st.sampled_from(["company", "person"]), st.integers(1, 9))
def test_changing_the_check_digit_always_fails(seed: int, kind: str, delta: int) -> None:
    number = ogrn.generate(rng(seed), kind=kind)  # type: ignore[arg-type]
    assert not ogrn.is_valid(replace_digit(number, len(number) - 1, delta))


@given(seeds, st.sampled_from(["company", "person"]), st.integers(5, 13), st.integers(1, 9))
def test_changing_a_serial_digit_fails_unless_remainders_alias(
    seed: int, kind: str, position: int, delta: int
) -> None:
    number = ogrn.generate(rng(seed), kind=kind)  # type: ignore[arg-type]
    position = min(position, len(number) - 2)
    mutated = replace_digit(number, position, delta)
    modulus = 11 if len(number) == 13 else 13
    r1, r2 = int(number[:-1]) % modulus, int(mutated[:-1]) % modulus
    assert r1 != r2  # 10^k is never 0 modulo 11 or 13
    assert ogrn.is_valid(mutated) == (r1 % 10 == r2 % 10)


@given(st.text(max_size=20))
def test_compact_is_idempotent_and_validate_never_crashes(text: str) -> None:
    once = ogrn.compact(text)
    assert ogrn.compact(once) == once
    with contextlib.suppress(ValidationError):
        ogrn.validate(text)
