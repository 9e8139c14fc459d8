"""Shared fixtures. Engine tests need no database; app tests use pytest-django's ``db``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, settings

# CI machines have two cores shared with services; timing-based health checks would make
# property tests flaky without making them stricter. Example counts stay at the defaults.
settings.register_profile(
    "partnernet",
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.load_profile("partnernet")

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"


@pytest.fixture(autouse=True)
def _no_prepared_register_store(settings: Any) -> None:
    """Tests keep no prepared-register store in the data directory (tests of the store set
    their own folder)."""
    settings.RESOLUTION_STORE_DIR = ""


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    if not SHARED.exists():
        pytest.skip("../shared is not beside the checkout")
    return SHARED
