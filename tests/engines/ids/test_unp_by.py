from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from stdnum.by import unp as stdnum_unp

from partnernet.engines.ids import unp_by
from partnernet.engines.ids.exceptions import (
    InvalidChecksum,
    InvalidComponent,
    InvalidFormat,
    InvalidLength,
    ValidationError,
)
from tests.engines.ids._mutation import replace_digit, rng, seeds


@pytest.mark.parametrize("number", ["100582333", "190542056", "101541947", "600122610"])
def test_real_company_unps(number: str) -> None:
    assert unp_by.validate(number) == number
    assert unp_by.kind(number) == "company"


@pytest.mark.parametrize(
    ("raw", "error"),
    [
        ("100582334", InvalidChecksum),
        ("900582333", InvalidComponent),
        ("10058233", InvalidLength),
        ("1005823X3", InvalidFormat),
        ("ZA1953684", InvalidComponent),
    ],
)
def test_bad_unps(raw: str, error: type[Exception]) -> None:
    with pytest.raises(error):
        unp_by.validate(raw)


@given(seeds, st.sampled_from(["company", "person"]))
def test_generated_unps_validate_here_and_in_stdnum(seed: int, kind: str) -> None:
    number = unp_by.generate(rng(seed), kind=kind)  # type: ignore[arg-type]
    assert unp_by.validate(number) == number
    assert unp_by.kind(number) == kind
    assert stdnum_unp.is_valid(number)


@given(seeds, st.integers(2, 8), st.integers(1, 9))
def test_changing_any_digit_always_fails(seed: int, position: int, delta: int) -> None:
    number = unp_by.generate(rng(seed))
    assert not unp_by.is_valid(replace_digit(number, position, delta))


@given(st.text(alphabet="0123456789ABCEHKMOPTАВСЕНКМОРТ ", min_size=9, max_size=11))
def test_agrees_with_stdnum(text: str) -> None:
    try:
        ours = unp_by.validate(text)
    except ValidationError:
        ours = None
    assert (ours is not None) == stdnum_unp.is_valid(text)


@given(st.text(max_size=15))
def test_compact_idempotent(text: str) -> None:
    once = unp_by.compact(text)
    assert unp_by.compact(once) == once
