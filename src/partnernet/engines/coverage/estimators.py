"""Non-parametric population estimators from incidence frequency counts Q_1..Q_T.

All functions take ``freq`` (``freq[k-1]`` = Q_k, companies on exactly k of the T lists) and
return an :class:`Estimate`. Formulas follow Chao & Chiu (2016, "Species richness: estimation
and comparison", Wiley StatsRef) and the SpadeR package (Chao et al. 2016), whose published
outputs the tests reproduce:

* Chao2-bc (Chao 1987, bias-corrected form), log-normal 95% interval (Chao 1987);
* iChao2 (Chiu, Wang, Walther & Chao 2014, Biometrics 70:671-682);
* first- and second-order jackknife (Burnham & Overton 1978; Smith & van Belle 1984),
  variance of a linear estimator Σ a_k Q_k as Σ a_k² Q_k − Ŝ (Burnham & Overton 1979);
* ICE, the incidence-based coverage estimator (Lee & Chao 1994) with rare threshold 10.

Every interval is the log-normal one of Chao (1987): the undetected count f0 = Ŝ − S_obs is
treated as log-normal, so the interval never goes below what was observed.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

Z95 = 1.959963984540054


@dataclass
class Estimate:
    """One population estimate. ``ci95[1]`` is ``None`` when the data give no upper bound."""

    method: str
    population: float
    se: float | None
    ci95: tuple[float, float | None]
    details: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            "method": self.method,
            "population": _round(self.population),
            "se": _round(self.se),
            "ci95": [_round(self.ci95[0]), _round(self.ci95[1])],
            **{k: _round(v) if isinstance(v, float) else v for k, v in self.details.items()},
        }


def _round(value: float | None) -> float | None:
    if value is None or not math.isfinite(value):
        return None
    return round(float(value), 3)


def _freq(freq: Sequence[int] | np.ndarray) -> np.ndarray:
    q = np.asarray(freq, dtype=float)
    if q.ndim != 1 or q.size < 1:
        raise ValueError("freq must list Q_1..Q_T")
    return q


def log_normal_ci(observed: float, estimate: float, variance: float) -> tuple[float, float]:
    """Chao's (1987) log-normal interval: S_obs + f0/K .. S_obs + f0·K."""
    f0 = estimate - observed
    if f0 <= 1e-9 or variance <= 0:
        return (observed, max(observed, estimate))
    k = math.exp(Z95 * math.sqrt(math.log(1 + variance / f0**2)))
    return (observed + f0 / k, observed + f0 * k)


def delta_variance(func: Callable[[np.ndarray], float], q: np.ndarray) -> float:
    """Delta-method variance of ``func(Q)`` with the multinomial covariance of the Q_k.

    cov(Q_i, Q_j) = Q_i (δ_ij − Q_j / Ŝ), as SpadeR does for iChao2 and ICE; the gradient is
    taken numerically (central differences), so any closed form can be plugged in.
    """
    estimate = func(q)
    grad = np.zeros_like(q)
    for i in np.flatnonzero(q > 0):
        step = 1e-4 * max(1.0, q[i])
        up, down = q.copy(), q.copy()
        up[i] += step
        down[i] -= step
        grad[i] = (func(up) - func(down)) / (2 * step)
    cov = np.diag(q) - np.outer(q, q) / estimate
    return float(max(grad @ cov @ grad, 0.0))


def _chao2_bc_value(q: np.ndarray, t: int) -> float:
    q1, q2 = q[0], (q[1] if q.size > 1 else 0.0)
    return float(q.sum() + (t - 1) / t * q1 * (q1 - 1) / (2 * (q2 + 1)))


def chao2(freq: Sequence[int] | np.ndarray) -> Estimate:
    """Bias-corrected Chao2: S_obs + (T−1)/T · Q1(Q1−1) / (2(Q2+1))."""
    q = _freq(freq)
    t = q.size
    observed = float(q.sum())
    estimate = _chao2_bc_value(q, t)
    q1, q2 = q[0], (q[1] if t > 1 else 0.0)
    a = (t - 1) / t
    # Chao (1987) / SpadeR closed form of the delta-method variance.
    variance = (
        a * q1 * (q1 - 1) / (2 * (q2 + 1))
        + a**2 * q1 * (2 * q1 - 1) ** 2 / (4 * (q2 + 1) ** 2)
        + a**2 * q1**2 * q2 * (q1 - 1) ** 2 / (4 * (q2 + 1) ** 4)
    )
    return Estimate(
        "chao2", estimate, math.sqrt(variance), log_normal_ci(observed, estimate, variance)
    )


def _chao2_classic(q: np.ndarray, t: int) -> float:
    q1, q2 = q[0], q[1]
    if q2 > 0:
        return float(q.sum() + (t - 1) / t * q1**2 / (2 * q2))
    return _chao2_bc_value(q, t)


def _ichao2_value(q: np.ndarray, t: int) -> float:
    base = _chao2_classic(q, t)
    if t < 4:
        return base
    q1, q2, q3, q4 = q[0], q[1], q[2], q[3]
    if q4 <= 0:
        q4 = 1.0  # SpadeR replaces a zero Q4 by 1 so the correction stays finite
    extra = (t - 3) / (4 * t) * q3 / q4 * max(q1 - (t - 3) / (2 * (t - 1)) * q2 * q3 / q4, 0.0)
    return float(base + extra)


def ichao2(freq: Sequence[int] | np.ndarray) -> Estimate:
    """iChao2 (Chiu et al. 2014): Chao2 plus a Q3/Q4 correction of its lower-bound bias."""
    q = _freq(freq)
    t = q.size
    if t < 4:
        q = np.concatenate([q, np.zeros(4 - t)])

    def value(x: np.ndarray) -> float:
        return _ichao2_value(x, t)

    estimate = value(q)
    variance = delta_variance(value, q)
    observed = float(q.sum())
    return Estimate(
        "ichao2", estimate, math.sqrt(variance), log_normal_ci(observed, estimate, variance)
    )


def _linear(method: str, q: np.ndarray, coefficients: np.ndarray) -> Estimate:
    estimate = float(coefficients @ q)
    variance = float(max((coefficients**2) @ q - estimate, 0.0))
    return Estimate(
        method,
        estimate,
        math.sqrt(variance),
        log_normal_ci(float(q.sum()), estimate, variance),
    )


def jackknife1(freq: Sequence[int] | np.ndarray) -> Estimate:
    """First-order jackknife: S_obs + Q1 (T−1)/T."""
    q = _freq(freq)
    t = q.size
    a = np.ones(t)
    a[0] += (t - 1) / t
    return _linear("jackknife1", q, a)


def jackknife2(freq: Sequence[int] | np.ndarray) -> Estimate:
    """Second-order jackknife: S_obs + Q1 (2T−3)/T − Q2 (T−2)² / (T(T−1))."""
    q = _freq(freq)
    t = q.size
    if t < 2:
        return jackknife1(q)
    a = np.ones(t)
    a[0] += (2 * t - 3) / t
    a[1] -= (t - 2) ** 2 / (t * (t - 1))
    return _linear("jackknife2", q, a)


def _ice_value(q: np.ndarray, t: int, rare: int) -> float:
    k = np.arange(1, q.size + 1, dtype=float)
    infrequent = k <= rare
    q_inf = q[infrequent]
    k_inf = k[infrequent]
    s_inf = q_inf.sum()
    s_freq = q[~infrequent].sum()
    u_inf = float(k_inf @ q_inf)
    q1, q2 = q[0], (q[1] if q.size > 1 else 0.0)
    if u_inf <= 0:
        return float(s_freq + s_inf)
    # Sample coverage of the infrequent group with the Good-Turing refinement used by SpadeR.
    if q1 > 0 and q2 > 0:
        a = 2 * q2 / ((t - 1) * q1 + 2 * q2)
    elif q1 > 0:
        a = 2 / ((t - 1) * (q1 - 1) + 2)
    else:
        a = 1.0
    coverage = 1 - q1 / u_inf * (1 - a)
    if coverage <= 0:
        return math.inf
    gamma2 = 0.0
    if u_inf > 1:
        gamma2 = max(
            s_inf
            / coverage
            * t
            / (t - 1)
            * float((k_inf * (k_inf - 1)) @ q_inf)
            / (u_inf * (u_inf - 1))
            - 1,
            0.0,
        )
    return float(s_freq + s_inf / coverage + q1 / coverage * gamma2)


def ice(freq: Sequence[int] | np.ndarray, rare: int = 10) -> Estimate:
    """ICE (Lee & Chao 1994): coverage-based, companies on ≤ ``rare`` lists are "infrequent"."""
    q = _freq(freq)
    t = q.size

    def value(x: np.ndarray) -> float:
        return _ice_value(x, t, rare)

    estimate = value(q)
    observed = float(q.sum())
    if not math.isfinite(estimate):
        return Estimate("ice", math.inf, None, (observed, None))
    variance = delta_variance(value, q)
    return Estimate(
        "ice", estimate, math.sqrt(variance), log_normal_ci(observed, estimate, variance)
    )


def sample_coverage(freq: Sequence[int] | np.ndarray) -> float:
    """Estimated sample coverage of the incidence data (Chao et al. 2014, eq. for incidence).

    The share of all incidences that belong to companies already seen: 1 minus the chance
    that the next list's entry is a company not seen before. Low coverage ⇒ many unseen.
    """
    q = _freq(freq)
    t = q.size
    u = float(np.arange(1, t + 1) @ q)
    q1, q2 = q[0], (q[1] if t > 1 else 0.0)
    if u <= 0:
        return 0.0
    if q2 > 0:
        tail = (t - 1) * q1 / ((t - 1) * q1 + 2 * q2)
    elif q1 > 0:
        tail = (t - 1) * (q1 - 1) / ((t - 1) * (q1 - 1) + 2)
    else:
        tail = 0.0
    return float(1 - q1 / u * tail)


NONPARAMETRIC: dict[str, Callable[[np.ndarray], Estimate]] = {
    "chao2": chao2,
    "ichao2": ichao2,
    "jackknife1": jackknife1,
    "jackknife2": jackknife2,
    "ice": ice,
}


def goodness_of_fit(freq: Sequence[int] | np.ndarray, expected: Sequence[float]) -> float:
    """Pearson χ² p-value of observed Q_k against a model's expected Q_k.

    Cells are pooled from the top (many lists) until each expected count is at least 5; the
    degrees of freedom are cells − 3 (total fixed, two shape parameters of the frequencies).
    """
    from scipy.stats import chi2

    observed = np.asarray(freq, dtype=float)
    fitted = np.asarray(expected, dtype=float)
    cells_o: list[float] = []
    cells_e: list[float] = []
    acc_o = acc_e = 0.0
    for o, e in zip(observed[::-1], fitted[::-1], strict=True):
        acc_o += o
        acc_e += e
        if acc_e >= 5:
            cells_o.append(acc_o)
            cells_e.append(acc_e)
            acc_o = acc_e = 0.0
    if acc_e > 0 and cells_e:
        cells_o[-1] += acc_o
        cells_e[-1] += acc_e
    df = len(cells_e) - 3
    if df <= 0:
        return 1.0
    o_arr, e_arr = np.asarray(cells_o), np.asarray(cells_e)
    stat = float(np.sum((o_arr - e_arr) ** 2 / e_arr))
    return float(chi2.sf(stat, df))
