from __future__ import annotations

import contextlib

import pytest
from hypothesis import given
from hypothesis import strategies as st
from stdnum.ru import inn as stdnum_inn

from partnernet.engines.ids import inn
from partnernet.engines.ids.exceptions import (
    InvalidChecksum,
    InvalidComponent,
    InvalidFormat,
    InvalidLength,
    ValidationError,
)
from tests.engines.ids._mutation import replace_digit, rng, seeds

# Real INNs of well-known companies, as printed on their own sites and reports.
REAL = ["7707083893", "7736207543", "7729058675", "7740000076", "7702070139"]


@pytest.mark.parametrize("number", REAL)
def test_real_company_inns_validate(number: str) -> None:
    assert inn.validate(number) == number
    assert inn.kind(number) == "company"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("ИНН 7707083893", "7707083893"),
        ("ИНН: 7707-083-893", "7707083893"),
        ("INN № 7707 083 893", "7707083893"),
        ("\u00a07707083893 ", "7707083893"),
    ],
)
def test_compact_strips_labels_and_separators(raw: str, expected: str) -> None:
    assert inn.compact(raw) == expected
    assert inn.is_valid(raw)


@pytest.mark.parametrize(
    ("raw", "error"),
    [
        ("7707083894", InvalidChecksum),
        ("77070838", InvalidLength),
        ("77070838931", InvalidLength),
        ("77O7083893", InvalidFormat),
        ("", InvalidFormat),
        ("0000000000", InvalidComponent),
        ("770708389з", InvalidFormat),
    ],
)
def test_bad_numbers_raise_specific_errors(raw: str, error: type[Exception]) -> None:
    with pytest.raises(error):
        inn.validate(raw)
    assert not inn.is_valid(raw)


def test_errors_are_catchable_as_stdnum_and_value_errors() -> None:
    from stdnum.exceptions import InvalidChecksum as StdnumChecksum

    with pytest.raises(StdnumChecksum):
        inn.validate("7707083894")
    with pytest.raises(ValueError):
        inn.validate("7707083894")
    assert issubclass(InvalidLength, ValidationError)


@given(seeds, st.sampled_from(["company", "person"]))
def test_generated_numbers_validate(seed: int, kind: str) -> None:
    number = inn.generate(rng(seed), kind=kind)  # type: ignore[arg-type]
    assert inn.validate(number) == number
    assert len(number) == (10 if kind == "company" else 12)
    assert inn.kind(number) == kind
    assert stdnum_inn.is_valid(number)


@given(seeds, st.integers(1, 9))
def test_changing_a_check_digit_always_fails(seed: int, delta: int) -> None:
    number = inn.generate(rng(seed), kind="company")
    assert not inn.is_valid(replace_digit(number, 9, delta))
    person = inn.generate(rng(seed), kind="person")
    assert not inn.is_valid(replace_digit(person, 11, delta))


def _remainder(number: str) -> int:
    weights = (2, 4, 10, 3, 5, 9, 4, 6, 8)
    return sum(w * int(d) for w, d in zip(weights, number, strict=False)) % 11


@given(seeds, st.integers(0, 8), st.integers(1, 9))
def test_changing_a_body_digit_fails_unless_remainders_alias(
    seed: int, position: int, delta: int
) -> None:
    # The check digit is (sum mod 11) mod 10, so remainders 0 and 10 give the same digit:
    # that is the only way a one-digit change can keep the checksum.
    number = inn.generate(rng(seed), kind="company")
    mutated = replace_digit(number, position, delta)
    aliased = {_remainder(number), _remainder(mutated)} == {0, 10}
    if mutated[:2] != "00":
        assert inn.is_valid(mutated) == aliased


@given(st.text(max_size=20))
def test_compact_is_idempotent_and_validate_never_crashes(text: str) -> None:
    once = inn.compact(text)
    assert inn.compact(once) == once
    with contextlib.suppress(ValidationError):
        assert inn.validate(text) == once


def test_generate_respects_region() -> None:
    import random

    r = random.Random(0)
    assert all(inn.generate(r, region="66").startswith("66") for _ in range(20))
    with pytest.raises(ValueError):
        inn.generate(r, region="00")
