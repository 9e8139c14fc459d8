from __future__ import annotations

import contextlib
import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from partnernet.engines.ids import inn, kpp
from partnernet.engines.ids.exceptions import (
    InvalidComponent,
    InvalidFormat,
    InvalidLength,
    ValidationError,
)
from tests.engines.ids._mutation import rng, seeds


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("773601001", "773601001"),
        ("КПП 773601001", "773601001"),
        ("7736 01 001", "773601001"),
        ("7736ab001", "7736AB001"),
        ("7736АВ001", "7736AB001"),
    ],
)
def test_valid_kpps(raw: str, expected: str) -> None:
    assert kpp.validate(raw) == expected


@pytest.mark.parametrize(
    ("raw", "error"),
    [
        ("77360100", InvalidLength),
        ("7736010011", InvalidLength),
        ("77A601001", InvalidFormat),
        ("7736010A1", InvalidFormat),
        ("003601001", InvalidComponent),
        ("770001001", InvalidComponent),
    ],
)
def test_bad_kpps(raw: str, error: type[Exception]) -> None:
    with pytest.raises(error):
        kpp.validate(raw)


@given(seeds)
def test_generated_kpps_validate(seed: int) -> None:
    r = rng(seed)
    assert kpp.is_valid(kpp.generate(r))
    company_inn = inn.generate(r, kind="company")
    derived = kpp.generate(r, inn=company_inn)
    assert kpp.is_valid(derived)
    assert derived[:4] == company_inn[:4]
    assert kpp.is_main_office(derived)


def test_generate_with_region() -> None:
    r = random.Random(1)
    assert all(kpp.generate(r, region="50").startswith("50") for _ in range(10))


@given(st.text(max_size=15))
def test_compact_idempotent(text: str) -> None:
    once = kpp.compact(text)
    assert kpp.compact(once) == once
    with contextlib.suppress(ValidationError):
        kpp.validate(text)
