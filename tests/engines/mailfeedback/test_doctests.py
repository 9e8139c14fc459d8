"""The docstring examples of the prefilter are part of its specification."""

from __future__ import annotations

import doctest

from partnernet.engines.mailfeedback import prefilter


def test_doctests() -> None:
    result = doctest.testmod(prefilter)
    assert result.attempted > 0
    assert result.failed == 0
