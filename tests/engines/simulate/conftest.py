from __future__ import annotations

import pytest

from partnernet.engines.simulate.market import Market, simulate_market
from partnernet.engines.simulate.model import MarketConfig


@pytest.fixture(scope="session")
def demo() -> Market:
    """The default demo market (one seed), shared by the simulator's tests."""
    return simulate_market(MarketConfig(seed=11))
