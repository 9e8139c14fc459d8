"""Listing-propensity scenarios and the hard noise setting."""

from __future__ import annotations

import numpy as np
import pytest

from partnernet.engines.simulate.market import simulate_incidence, simulate_market
from partnernet.engines.simulate.model import MarketConfig


def test_uniform_has_no_heterogeneity():
    p, on = simulate_incidence(MarketConfig(seed=1, n_companies=4000, scenario="uniform"))
    assert np.allclose(p, 0.05)
    assert abs(on.mean() - 0.05) < 0.003
    # Lists per company follow a binomial(42, 0.05): variance ~ mean.
    per_company = on.sum(axis=1)
    assert per_company.var() == pytest.approx(42 * 0.05 * 0.95, rel=0.1)


def test_moderate_beta_is_beta_2_30_per_company():
    p, on = simulate_incidence(MarketConfig(seed=2, n_companies=5000, scenario="moderate_beta"))
    assert abs(on.mean() - 2 / 32) < 0.004
    per_company = p[:, 0]
    assert np.allclose(p, per_company[:, None])  # the same chance on every list
    assert per_company.mean() == pytest.approx(2 / 32, rel=0.05)
    assert per_company.var() == pytest.approx(2 * 30 / (32**2 * 33), rel=0.15)


def test_logitnormal_lists_are_uneven():
    p, on = simulate_incidence(
        MarketConfig(seed=3, n_companies=5000, scenario="moderate_logitnormal")
    )
    sizes = on.sum(axis=0)
    assert sizes.max() > 2.5 * sizes.min()
    logit = np.log(p / (1 - p))
    company_effect = logit - logit.mean(axis=0, keepdims=True)
    assert company_effect[:, 0].std() == pytest.approx(1.5, rel=0.1)


def test_strong_hides_most_of_the_market():
    p, on = simulate_incidence(MarketConfig(seed=4, n_companies=6000, scenario="strong"))
    never = ~on.any(axis=1)
    assert never.mean() > 0.55
    assert (p.max(axis=1) < 0.02).mean() == pytest.approx(0.6, abs=0.05)


def test_fast_path_equals_full_market():
    config = MarketConfig(seed=9, n_companies=700, n_lists=10, scenario="moderate_beta")
    p, on = simulate_incidence(config)
    market = simulate_market(config)
    assert np.array_equal(on, market.membership)
    assert np.array_equal(p, market.inclusion)
    listed = {cid for cid, lists in market.incidence().items() if lists}
    assert listed == set(np.flatnonzero(on.any(axis=1)).tolist())


def test_hard_noise_is_harder_on_the_same_market():
    base = MarketConfig(seed=6, n_companies=2000, n_lists=14)
    easy = simulate_market(base)
    hard = simulate_market(MarketConfig(seed=6, n_companies=2000, n_lists=14, noise="hard"))
    # Noise changes how rows look, not who exists or who is listed.
    assert easy.companies == hard.companies
    assert np.array_equal(easy.membership, hard.membership)

    def rate(market, tag):
        rows = market.source_rows
        return sum(tag in r.noise for r in rows) / len(rows)

    for tag in ("typo", "garbage", "duplicate", "old_name"):
        assert rate(hard, tag) > rate(easy, tag), tag
    assert rate(hard, "spaces") > 0 == rate(easy, "spaces")
    branch = {
        m.config.noise: sum(r.office == "branch" for r in m.source_rows) for m in (easy, hard)
    }
    assert branch["hard"] > branch["default"]
    empty = {
        m.config.noise: sum(not v for r in m.source_rows for v in r.fields.values())
        / sum(len(r.fields) for r in m.source_rows)
        for m in (easy, hard)
    }
    assert empty["hard"] > empty["default"]
