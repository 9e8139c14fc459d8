"""The docstring examples of the address engine are part of its specification."""

from __future__ import annotations

import doctest

import pytest

from partnernet.engines.addresses import infer, patterns, rules


@pytest.mark.parametrize("module", [infer, patterns, rules])
def test_doctests(module) -> None:
    result = doctest.testmod(module)
    assert result.attempted > 0
    assert result.failed == 0
