"""The docstring examples of the contact rules are part of their specification."""

from __future__ import annotations

import doctest

from partnernet.apps.contacts import feedback


def test_doctests() -> None:
    result = doctest.testmod(feedback)
    assert result.attempted > 0
    assert result.failed == 0
