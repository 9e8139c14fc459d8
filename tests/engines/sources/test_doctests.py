"""The docstring examples of the source readers are part of their specification."""

from __future__ import annotations

import doctest

import pytest

from partnernet.engines.sources import encoding, headers, readers, vocabulary


@pytest.mark.parametrize("module", [encoding, headers, readers, vocabulary])
def test_doctests(module) -> None:
    result = doctest.testmod(module)
    assert result.attempted > 0
    assert result.failed == 0
