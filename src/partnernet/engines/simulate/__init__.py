"""A realistic synthetic partner market with known truth (demo data and benchmarks).

>>> from partnernet.engines.simulate import MarketConfig, simulate_market
>>> market = simulate_market(MarketConfig(seed=1, n_companies=400, n_lists=6))
>>> len(market.companies), len(market.lists)
(400, 6)
>>> row = market.rows_of(0)[0]
>>> row.row, row.source_name == market.lists[0].source_name
(1, True)

See docs/simulator.md. ``incidence.py`` in this package is the coverage engine's separate,
incidence-only simulator.
"""

from __future__ import annotations

from .market import Market, simulate_incidence, simulate_market
from .model import (
    FIELDS,
    SCENARIOS,
    SEGMENTS,
    SIZES,
    VERTICALS,
    MarketConfig,
    Office,
    PartnerList,
    SourceRow,
    TruthCompany,
)
from .vendors import DISTRIBUTOR_LOCATOR, SPECIALISATIONS, VENDOR_LOCATOR
from .writers import FORMATS, ListFile, write_market

__all__ = [
    "DISTRIBUTOR_LOCATOR",
    "FIELDS",
    "FORMATS",
    "SCENARIOS",
    "SEGMENTS",
    "SIZES",
    "SPECIALISATIONS",
    "VENDOR_LOCATOR",
    "VERTICALS",
    "ListFile",
    "Market",
    "MarketConfig",
    "Office",
    "PartnerList",
    "SourceRow",
    "TruthCompany",
    "simulate_incidence",
    "simulate_market",
    "write_market",
]
