"""Mixture models: gradients, special cases and recovery of a known truth."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.special import betaln, gammaln

from partnernet.engines.coverage.loglinear import loglinear_mh
from partnernet.engines.coverage.mixtures import (
    BetaBinomial,
    LogitNormal,
    _Data,
    beta_binomial,
    logit_normal_mh,
    logit_normal_mth,
)
from partnernet.engines.simulate.incidence import simulate


def _data(seed: int = 3) -> _Data:
    sim = simulate("logit_normal", 2000, 12, seed)
    q = sim.incidence.frequency().astype(float)
    return _Data(q, sim.incidence.list_sizes().astype(float), 12, float(q.sum()))


@pytest.mark.parametrize("model_factory", [BetaBinomial, lambda d: LogitNormal(d, shared=False)])
def test_analytic_gradients_match_finite_differences(model_factory) -> None:
    model = model_factory(_data())
    theta = model.start() + 0.1
    _ll, grad, _log_p0, grad0 = model.evaluate(theta)
    for i in range(len(theta)):
        step = np.zeros_like(theta)
        step[i] = 1e-5
        up, down = model.evaluate(theta + step), model.evaluate(theta - step)
        assert grad[i] == pytest.approx((up[0] - down[0]) / 2e-5, rel=1e-4, abs=1e-3)
        assert grad0[i] == pytest.approx((up[2] - down[2]) / 2e-5, rel=1e-4, abs=1e-6)


def test_beta_binomial_probabilities_are_the_textbook_pmf() -> None:
    data = _data()
    model = BetaBinomial(data)
    theta = np.log([2.0, 30.0])
    probs = model.probabilities(theta)
    k = np.arange(0, 13)
    expected = np.exp(
        gammaln(13) - gammaln(k + 1) - gammaln(13 - k) + betaln(k + 2, 12 - k + 30) - betaln(2, 30)
    )
    assert probs == pytest.approx(expected)
    assert probs.sum() == pytest.approx(1.0)


def test_logit_normal_probabilities_sum_to_one_and_follow_list_sizes() -> None:
    data = _data()
    model = LogitNormal(data, shared=False)
    theta = model.start()
    assert model.probabilities(theta).sum() == pytest.approx(1.0, abs=1e-9)


def test_without_heterogeneity_mixtures_agree_with_m0() -> None:
    sim = simulate("uniform", 3000, 20, 5)
    q = sim.incidence.frequency()
    m0 = loglinear_mh(q, "M0").population
    assert beta_binomial(q, with_interval=False).population == pytest.approx(m0, rel=0.01)
    assert logit_normal_mh(q, with_interval=False).population == pytest.approx(m0, rel=0.01)


def test_beta_binomial_recovers_beta_truth() -> None:
    sim = simulate("beta", 10000, 40, 11)
    e = beta_binomial(sim.incidence.frequency())
    assert e.population == pytest.approx(10000, rel=0.05)
    assert e.ci95[0] < 10000 < e.ci95[1]
    assert e.details["a"] == pytest.approx(2.0, rel=0.3)


def test_logit_normal_with_list_effects_recovers_truth_and_sigma() -> None:
    sim = simulate("logit_normal", 10000, 40, 11)
    inc = sim.incidence
    e = logit_normal_mth(inc.frequency(), inc.list_sizes())
    assert e.population == pytest.approx(10000, rel=0.05)
    assert e.ci95[0] < 10000 < e.ci95[1]
    assert e.details["sigma"] == pytest.approx(1.5, rel=0.1)
    # Ignoring the list sizes costs likelihood: the Mth model must win on AIC here.
    mh = logit_normal_mh(inc.frequency(), with_interval=False)
    assert e.details["aic"] < mh.details["aic"]
