"""A realistic synthetic partner market with known truth.

``simulate_market(MarketConfig(seed=7))`` builds a population of Russian, Kazakh and
Belarusian IT partner companies and the partner lists of 40+ vendors and distributors drawn
from it, with the noise real lists have. Everything is deterministic for a config.

The market is built in two stages so that benchmarks running many seeds stay fast:

1. companies and the incidence (which company is on which list) — always computed;
2. the source rows of every list — rendered lazily on first use of ``source_rows`` or
   ``rows_of``; ``write_market`` (in ``writers``) turns them into files.

See docs/simulator.md for the model and its calibration.
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .listing import draw_incidence
from .model import MarketConfig, PartnerList, SourceRow, TruthCompany
from .noise import ListStyle, plan_list, render_list
from .places import gazetteer
from .population import generate_population
from .vendors import catalogue


@dataclass
class Market:
    """The simulated market: truth companies, lists, incidence and (lazily) source rows."""

    config: MarketConfig
    companies: list[TruthCompany] = field(repr=False)
    lists: list[PartnerList] = field(repr=False)
    membership: np.ndarray = field(repr=False)  # bool, companies x lists
    # float32, companies x lists: the true chance of each company to be on each list
    inclusion: np.ndarray = field(repr=False)
    _styles: list[ListStyle] = field(repr=False)
    _headers: list[tuple[str, ...]] = field(repr=False)
    _rows: dict[int, list[SourceRow]] = field(default_factory=dict, repr=False)

    # --- rows ----------------------------------------------------------------------------

    def rows_of(self, list_id: int) -> list[SourceRow]:
        """The rows of one list in file order (rendered on first call, then cached)."""
        if list_id not in self._rows:
            plist = self.lists[list_id]
            members = [self.companies[i] for i in np.flatnonzero(self.membership[:, list_id])]
            rng = random.Random(f"{self.config.seed}:rows:{plist.source_name}")
            self._rows[list_id] = render_list(plist, self._styles[list_id], members, rng)
        return self._rows[list_id]

    @property
    def source_rows(self) -> list[SourceRow]:
        """Every row of every list, list by list in import order."""
        return [row for plist in self.lists for row in self.rows_of(plist.id)]

    def headers_of(self, list_id: int) -> tuple[str, ...]:
        """Column headers of a list, aligned with ``lists[list_id].columns``."""
        return self._headers[list_id]

    def truth(self) -> dict[tuple[str, int], int | None]:
        """(source_name, row) -> true company id (None for garbage rows)."""
        return {(r.source_name, r.row): r.company_id for r in self.source_rows}

    # --- incidence -------------------------------------------------------------------------

    def incidence(self) -> dict[int, set[int]]:
        """company id -> ids of the lists it is on, for every company on at least one list."""
        result: dict[int, set[int]] = {}
        rows, cols = np.nonzero(self.membership)
        for company_id, list_id in zip(rows.tolist(), cols.tolist(), strict=True):
            result.setdefault(company_id, set()).add(list_id)
        return result

    def incidence_matrix(self) -> np.ndarray:
        """The boolean companies x lists matrix (rows = company ids, columns = list ids)."""
        return self.membership

    def listed_companies(self) -> list[TruthCompany]:
        """Companies on at least one list (the part of the market lists can show)."""
        on_any: np.ndarray = np.asarray(self.membership.any(axis=1))
        return [c for c in self.companies if on_any[c.id]]

    def summary(self) -> dict[str, Any]:
        """Shape figures: union, frequency counts Q1..QT, list sizes, accumulation curve."""
        per_company = self.membership.sum(axis=1)
        frequency = np.bincount(per_company, minlength=len(self.lists) + 1)[1:]
        seen = np.zeros(len(self.companies), dtype=bool)
        curve = []
        for list_id in range(len(self.lists)):
            seen |= self.membership[:, list_id]
            curve.append(int(seen.sum()))
        return {
            "companies": len(self.companies),
            "lists": len(self.lists),
            "union": int((per_company > 0).sum()),
            "core_10_plus": int((per_company >= 10).sum()),
            "frequency": [int(q) for q in frequency],
            "list_sizes": [int(s) for s in self.membership.sum(axis=0)],
            "curve": curve,
            "countries": dict(Counter(c.country for c in self.companies)),
        }


def simulate_market(config: MarketConfig | None = None) -> Market:
    """Build the market for ``config`` (deterministic: equal configs, equal markets)."""
    config = config or MarketConfig()
    seed = config.seed
    companies = generate_population(config, gazetteer(), random.Random(f"{seed}:population"))
    specs = catalogue(config.n_lists, random.Random(f"{seed}:vendors"))
    # The order in which a user meets (imports) the lists: any order, fixed by the seed.
    random.Random(f"{seed}:order").shuffle(specs)
    inclusion, membership = draw_incidence(
        config, companies, specs, np.random.default_rng([seed, 17])
    )
    lists, styles, headers = [], [], []
    sizes = membership.sum(axis=0)
    for list_id, spec in enumerate(specs):
        plist, style, head = plan_list(
            spec,
            list_id,
            int(sizes[list_id]),
            random.Random(f"{seed}:style:{spec.slug}"),
            config.noise == "hard",
        )
        lists.append(plist)
        styles.append(style)
        headers.append(head)
    return Market(config, companies, lists, membership, inclusion, styles, headers)


def simulate_incidence(config: MarketConfig) -> tuple[np.ndarray, np.ndarray]:
    """(inclusion probabilities, membership) without building companies or rows.

    For the statistical scenarios (not ``demo``) the result equals ``simulate_market(config)``'s
    ``inclusion`` and ``membership`` but costs milliseconds, so the coverage benchmark can run
    hundreds of seeds. The demo scenario needs the companies and builds them.
    """
    if config.scenario == "demo":
        market = simulate_market(config)
        return market.inclusion, market.membership
    specs = catalogue(config.n_lists, random.Random(f"{config.seed}:vendors"))
    return draw_incidence(
        config, [None] * config.n_companies, specs, np.random.default_rng([config.seed, 17])
    )
