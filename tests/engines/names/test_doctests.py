"""The specification doctests of the company-name modules."""

from __future__ import annotations

import doctest
import importlib

import pytest


@pytest.mark.parametrize(
    "name",
    [
        "partnernet.engines.names.diminutives",
        "partnernet.engines.names.legal_forms",
        "partnernet.engines.names.normalise",
        "partnernet.engines.names.translit",
    ],
)
def test_module_doctests(name: str) -> None:
    result = doctest.testmod(importlib.import_module(name))
    assert result.attempted > 0 and result.failed == 0
