from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.core.cache import cache

from .helpers import SmallRegister, build_register


@pytest.fixture(autouse=True)
def _fresh_cache() -> Iterator[None]:
    # Reports are cached per data version; tests in one process must not share them.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def register(db) -> SmallRegister:
    return build_register()
