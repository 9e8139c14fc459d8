from __future__ import annotations

import contextlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from partnernet.engines.ids import bin_kz
from partnernet.engines.ids.exceptions import (
    InvalidChecksum,
    InvalidComponent,
    InvalidFormat,
    InvalidLength,
    ValidationError,
)
from tests.engines.ids._mutation import replace_digit, rng, seeds

# BINs of large Kazakh companies as printed in their public reports.
REAL = ["971240001315", "940140000385", "990740002243", "000740000728"]


@pytest.mark.parametrize("number", REAL)
def test_real_bins_validate(number: str) -> None:
    assert bin_kz.validate(number) == number
    assert bin_kz.kind(number) == "bin"


@pytest.mark.parametrize(
    ("raw", "error"),
    [
        ("971240001316", InvalidChecksum),
        ("971340001315", InvalidComponent),  # month 13
        ("97124000131", InvalidLength),
        ("97124000131X", InvalidFormat),
        ("850230300560", InvalidComponent),  # IIN with 30 February
    ],
)
def test_bad_numbers(raw: str, error: type[Exception]) -> None:
    with pytest.raises(error):
        bin_kz.validate(raw)


def test_second_weighting_is_used_when_first_gives_ten() -> None:
    # Find a body whose first weighted sum is 10 and check the fallback by hand.
    body = "97124000131"
    for serial in range(10000):
        candidate = body[:6] + f"{serial:05d}"
        first = sum((i + 1) * int(d) for i, d in enumerate(candidate)) % 11
        if first == 10:
            second = sum(
                w * int(d)
                for w, d in zip((3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2), candidate, strict=True)
            )
            if second % 11 != 10:
                assert bin_kz.calc_check_digit(candidate) == str(second % 11)
                assert bin_kz.is_valid(candidate + str(second % 11))
                return
    pytest.fail("no body with a first remainder of 10 found")


@given(seeds, st.sampled_from(["bin", "iin"]))
def test_generated_numbers_validate(seed: int, kind: str) -> None:
    number = bin_kz.generate(rng(seed), kind=kind)  # type: ignore[arg-type]
    assert bin_kz.validate(number) == number
    assert bin_kz.kind(number) == kind


@given(seeds, st.integers(1, 9))
def test_changing_the_check_digit_always_fails(seed: int, delta: int) -> None:
    number = bin_kz.generate(rng(seed))
    assert not bin_kz.is_valid(replace_digit(number, 11, delta))


@given(seeds, st.integers(6, 9), st.integers(1, 9))
def test_changing_a_serial_digit_fails_when_no_fallback_is_involved(
    seed: int, position: int, delta: int
) -> None:
    # Weights 1..10 are non-zero modulo 11; the 11th digit's weight (11) is zero, so a
    # change there is NOT guaranteed to be caught (see the next test).
    number = bin_kz.generate(rng(seed))
    mutated = replace_digit(number, position, delta)

    def first(n: str) -> int:
        return sum((i + 1) * int(d) for i, d in enumerate(n[:11])) % 11

    if first(number) != 10 and first(mutated) != 10:
        assert not bin_kz.is_valid(mutated)


@given(st.text(max_size=20))
def test_compact_idempotent(text: str) -> None:
    once = bin_kz.compact(text)
    assert bin_kz.compact(once) == once
    with contextlib.suppress(ValidationError):
        bin_kz.validate(text)


def test_the_eleventh_digit_is_invisible_to_the_first_weighting() -> None:
    number = "971240001315"
    mutated = number[:10] + "2" + number[11:]
    assert bin_kz.is_valid(mutated)  # a documented blind spot of the scheme
