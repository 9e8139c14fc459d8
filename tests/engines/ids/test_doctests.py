"""Run the specification doctests of every identifier module."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = [
    "partnernet.engines.ids",
    "partnernet.engines.ids.inn",
    "partnernet.engines.ids.ogrn",
    "partnernet.engines.ids.kpp",
    "partnernet.engines.ids.bin_kz",
    "partnernet.engines.ids.unp_by",
]


@pytest.mark.parametrize("name", MODULES)
def test_module_doctests(name: str) -> None:
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0, f"{name} has no doctests"
    assert result.failed == 0
