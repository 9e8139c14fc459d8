"""A fast simulator of company-by-list incidence with known truth (coverage benchmarks).

The market simulator beside it (``market.py``) models whole companies and files; this one
draws only the 0/1 incidence, thousands of times a second, for the many-seed benchmark.

Each company i has a chance p_ij of being on list j. Scenarios:

* ``uniform`` — every company and list alike (p = 0.05);
* ``beta`` — moderate heterogeneity: p_i ~ Beta(2, 30) on every list (mean 0.0625);
* ``logit_normal`` — moderate heterogeneity with uneven list sizes:
  logit p_ij = α_j + ε_i, ε_i ~ N(0, 1.5²), α_j ~ N(−3.3, 0.7²) (list sizes differ ~5×);
* ``strong`` — like ``logit_normal`` for 40% of the companies, while the other 60% are
  almost never listed (p_i ~ Beta(1, 400), mean 0.0025): small, quiet partners no vendor
  locator shows. No method can see them; an honest report says "lower bound".

``simulate`` draws T lists plus one held-out list, so the benchmark can check the engine's
"the next list would add about X new companies" against the truth.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from partnernet.engines.coverage.incidence import IncidenceMatrix

SCENARIOS = ("uniform", "beta", "logit_normal", "strong")


@dataclass
class SimulatedIncidence:
    scenario: str
    population: int  # true N
    incidence: IncidenceMatrix  # the first T lists
    next_list_new: int  # companies on the held-out list T+1 and on none of the first T
    next_list_expected_new: float  # expectation of that count over a random next list
    probabilities: np.ndarray  # N × (T+1) listing chances (truth)


def _probabilities(scenario: str, n: int, lists: int, rng: np.random.Generator) -> np.ndarray:
    if scenario == "uniform":
        return np.full((n, lists), 0.05)
    if scenario == "beta":
        return np.repeat(rng.beta(2.0, 30.0, size=n)[:, None], lists, axis=1)
    if scenario in ("logit_normal", "strong"):
        alpha = rng.normal(-3.3, 0.7, size=lists)
        eps = rng.normal(0.0, 1.5, size=n)
        p = 1 / (1 + np.exp(-(alpha[None, :] + eps[:, None])))
        if scenario == "strong":
            quiet = rng.random(n) < 0.6
            p[quiet] = np.repeat(rng.beta(1.0, 400.0, size=quiet.sum())[:, None], lists, axis=1)
        return p
    raise ValueError(f"unknown scenario {scenario!r}; choose from {SCENARIOS}")


def simulate(
    scenario: str, population: int = 3000, lists: int = 40, seed: int = 0
) -> SimulatedIncidence:
    rng = np.random.default_rng(seed)
    p = _probabilities(scenario, population, lists + 1, rng)
    on = rng.random(p.shape) < p
    seen = on[:, :lists].any(axis=1)
    next_new = int((on[:, lists] & ~seen).sum())
    # The expectation over a random next list: average the chances of the held-out column
    # with those of the observed columns (exchangeable lists) for the unseen companies.
    expected = float(p[~seen].mean(axis=1).sum())
    return SimulatedIncidence(
        scenario,
        population,
        IncidenceMatrix.from_dense(on[:, :lists], lists=[f"list-{j + 1}" for j in range(lists)]),
        next_new,
        expected,
        p,
    )
