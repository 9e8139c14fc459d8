"""Log-linear models against published Rcapture output.

Reference: ``Rcapture::closedp`` on three overlapping lists of R-help posters, printed in
G. Daróczi, *Mastering Data Analysis with R* (Packt, 2015), chapter on capture–recapture:
45,212 units; f1, f2, f3 = 44312, 860, 40; list sizes n1, n2, n3 = 279, 4012, 41861.
Printed abundance (stderr): M0 750158.4 (23800.7), Mt 192022.2 (5480.0), Mh Poisson2
2085896.4 (214443.8), Mh Darroch 5516992.8 (1033404.9), Mh Gamma3.5 14906552.8 (4090049.0).
(With three lists an Mh model has as many parameters as frequencies, so ``closedp.0`` on the
frequencies and ``closedp.t`` on the full table give the same abundance.)
"""

from __future__ import annotations

import numpy as np
import pytest
from scipy.special import gammaln

from partnernet.engines.coverage.loglinear import loglinear_mh, mt, profile_interval

R_HELP = np.array([44312, 860, 40])
R_HELP_SIZES = [279, 4012, 41861]


@pytest.mark.parametrize(
    ("model", "abundance", "stderr"),
    [
        ("M0", 750158.4, 23800.7),
        ("Mh Poisson2", 2085896.4, 214443.8),
        ("Mh Darroch", 5516992.8, 1033404.9),
        ("Mh Gamma3.5", 14906552.8, 4090049.0),
    ],
)
def test_mh_models_match_rcapture(model: str, abundance: float, stderr: float) -> None:
    e = loglinear_mh(R_HELP, model)
    assert e.population == pytest.approx(abundance, abs=0.1)
    assert e.se == pytest.approx(stderr, abs=0.1)


def test_mt_matches_rcapture() -> None:
    e = mt(R_HELP_SIZES, int(R_HELP.sum()))
    assert e.population == pytest.approx(192022.2, abs=0.1)
    assert e.se == pytest.approx(5480.0, abs=0.1)
    # Darroch's equation: N − M = N · Π(1 − n_j / N)
    n = e.population
    assert n - R_HELP.sum() == pytest.approx(n * np.prod(1 - np.array(R_HELP_SIZES) / n))


def test_m0_is_the_binomial_maximum_likelihood() -> None:
    # Under M0 the MLE satisfies n = N (1 − (1 − p)^T) with p = U / (T N).
    q = np.array([25, 22, 13, 5, 1, 2])  # snowshoe hare frequencies, T = 6
    e = loglinear_mh(q, "M0")
    t, n, u = 6, q.sum(), np.arange(1, 7) @ q
    p = u / (t * e.population)
    assert n == pytest.approx(e.population * (1 - (1 - p) ** t), rel=1e-6)


def test_profile_interval_brackets_estimate_and_drops_by_chi2_half() -> None:
    q = np.array([25, 22, 13, 5, 1, 2])
    e = loglinear_mh(q, "Mh Darroch")
    low, high = e.ci95
    assert high is not None
    assert q.sum() <= low < e.population < high


def test_profile_interval_of_a_known_curve() -> None:
    # A quadratic log-likelihood peaking at 150 with curvature 1/100: ±1.96·10 around it.
    def loglik(n: float) -> float:
        return -((n - 150.0) ** 2) / (2 * 100.0)

    low, high = profile_interval(loglik, 150.0, 50.0)
    assert low == pytest.approx(150 - 19.6, abs=0.05)
    assert high == pytest.approx(150 + 19.6, abs=0.05)


def test_profile_interval_reports_missing_upper_end() -> None:
    def flat(n: float) -> float:
        return float(-gammaln(1.0) - 1e-9 * n)

    low, high = profile_interval(flat, 200.0, 100.0)
    assert high is None
    assert low == pytest.approx(100.0, abs=1e-3)


def test_aic_is_comparable_across_models() -> None:
    q = np.array([25, 22, 13, 5, 1, 2])
    aics = {m: loglinear_mh(q, m).details["aic"] for m in ("M0", "Mh Darroch", "Mh Poisson2")}
    # M0 is nested in both Mh models: their log-likelihood cannot be lower.
    loglik = {m: loglinear_mh(q, m).details["loglik"] for m in aics}
    assert loglik["Mh Darroch"] >= loglik["M0"] - 1e-9
    assert loglik["Mh Poisson2"] >= loglik["M0"] - 1e-9
    assert aics["M0"] == pytest.approx(-2 * loglik["M0"] + 2)


def test_unknown_model_is_rejected() -> None:
    with pytest.raises(ValueError):
        loglinear_mh(R_HELP, "Mh Normal")
