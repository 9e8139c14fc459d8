"""Log-linear capture-recapture models M0, Mh (Darroch, Poisson2, Gamma3.5) and Mt.

The Mh models are fitted, as Rcapture's ``closedp.0`` does (Rivest & Baillargeon 2007;
Rivest & Lévesque 2001), by Poisson regression on the frequency counts Q_1..Q_T:

    log E[Q_k] = log C(T, k) + β0 + β1·k + η·τ(k)

with τ(k) = k²/2 (Darroch), 2^k − 1 (Poisson2) or −log(3.5 + k) + log 3.5 (Gamma3.5);
M0 has no τ term. Since τ(0) = 0, the unseen count is exp(β0) and N̂ = n + exp(β0);
its standard error is √(exp(2β0)·var β0 + exp β0) as in Rcapture.

Mt (list-specific capture probabilities, no heterogeneity) needs only the list sizes: its
estimate solves Darroch's (1958) equation N − M = N·Π(1 − n_j/N).

Intervals are multinomial profile-likelihood intervals (Cormack 1992; Rcapture's
``closedpCI``): the set of N whose profile log-likelihood lies within χ²₁(0.95)/2 of its
maximum. When the likelihood does not fall that far on the upper side within 100 times the
observed count, the upper end is reported as ``None`` (no upper bound from the data).

Each fit also reports the log-likelihood of the observed capture histories conditional on
being seen, so that these models and those in :mod:`mixtures` are compared by one AIC.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

import numpy as np
from scipy.optimize import brentq, minimize_scalar
from scipy.special import gammaln

from .estimators import Estimate
from .glm import fit_poisson

CHI2_95_HALF = 1.920729410347062  # χ²₁(0.95) / 2
UPPER_CAP = 100.0  # search the upper end of an interval up to this multiple of n

HETEROGENEITY: dict[str, Callable[[np.ndarray], np.ndarray] | None] = {
    "M0": None,
    "Mh Darroch": lambda k: k**2 / 2,
    "Mh Poisson2": lambda k: 2.0**k - 1,
    "Mh Gamma3.5": lambda k: -np.log(3.5 + k) + math.log(3.5),
}


def log_binomial(t: int, k: np.ndarray) -> np.ndarray:
    return gammaln(t + 1) - gammaln(k + 1) - gammaln(t - k + 1)


def profile_interval(
    loglik: Callable[[float], float], estimate: float, observed: float, refine: bool = True
) -> tuple[float, float | None]:
    """Profile-likelihood 95% interval of N around the maximum near ``estimate``.

    ``refine`` first searches the maximum of the profile itself; without it the point
    estimate is taken as the peak (cheaper, for models whose every evaluation is a fit).
    """
    upper_limit = max(observed * UPPER_CAP, observed + 1000)
    lo_bound = observed + 1e-6
    start = min(max(estimate, observed + 1e-3), upper_limit)
    # Refine the maximum: the point estimate of a conditional fit is close to, not exactly at,
    # the maximum of the unconditional (multinomial) likelihood.
    peak_n, peak = start, loglik(start)
    if refine:
        best = minimize_scalar(
            lambda n: -loglik(n),
            bounds=(lo_bound, min(upper_limit, max(start * 2, start + 50))),
            method="bounded",
            options={"xatol": 1e-3 * max(1.0, start - observed)},
        )
        if -float(best.fun) > peak:
            peak_n, peak = float(best.x), -float(best.fun)
    xtol = max(1e-3, 2e-4 * (peak_n - observed))

    def drop(n: float) -> float:
        return peak - loglik(n) - CHI2_95_HALF

    lower = observed
    if drop(lo_bound) > 0:
        lower = float(brentq(drop, lo_bound, peak_n, xtol=xtol))
    upper: float | None = None
    step = max(0.25 * (peak_n - observed), 1.0)
    left = peak_n
    right = peak_n + step
    while right <= upper_limit:
        if drop(right) > 0:
            upper = float(brentq(drop, left, right, xtol=xtol))
            break
        left, step = right, step * 2
        right = peak_n + step
    return (lower, upper)


def _conditional_loglik_mh(freq: np.ndarray, fitted: np.ndarray, t: int) -> float:
    """log P(histories | seen) for a model of the frequencies (fitted Q_k, k ≥ 1)."""
    k = np.arange(1, t + 1)
    n = freq.sum()
    probs = fitted / fitted.sum()
    mask = freq > 0
    return float(np.sum(freq[mask] * (np.log(probs[mask]) - log_binomial(t, k[mask]))) - 0 * n)


def _design(model: str, k: np.ndarray) -> np.ndarray:
    tau = HETEROGENEITY[model]
    columns = [np.ones_like(k, dtype=float), k.astype(float)]
    if tau is not None:
        columns.append(tau(k.astype(float)))
    return np.column_stack(columns)


def loglinear_mh(
    freq: Sequence[int] | np.ndarray, model: str = "Mh Darroch", with_interval: bool = True
) -> Estimate:
    """Fit M0 or an Mh log-linear model on Q_1..Q_T; profile-likelihood interval."""
    if model not in HETEROGENEITY:
        raise ValueError(f"unknown model {model!r}")
    q = np.asarray(freq, dtype=float)
    t = q.size
    n = float(q.sum())
    k = np.arange(1, t + 1)
    offset = log_binomial(t, k)
    design = _design(model, k)
    fit = fit_poisson(q, design, offset)
    unseen = math.exp(min(fit.beta[0], 700.0))
    estimate = n + unseen
    se = math.sqrt(max(unseen**2 * fit.covariance[0, 0] + unseen, 0.0))
    loglik_cond = _conditional_loglik_mh(q, fit.mu, t)
    params = design.shape[1] - 1  # the intercept is fixed by n given the others
    k0 = np.arange(0, t + 1)
    design0 = _design(model, k0)
    offset0 = log_binomial(t, k0)
    state = {"start": fit.beta}

    def profile(total: float) -> float:
        y = np.concatenate([[total - n], q])
        sub = fit_poisson(y, design0, offset0, start=state["start"])
        state["start"] = sub.beta
        probs = sub.mu / sub.mu.sum()
        mask = y > 0
        return float(
            gammaln(total + 1) - gammaln(total - n + 1) + np.sum(y[mask] * np.log(probs[mask]))
        )

    computable = with_interval and math.isfinite(estimate)
    ci = profile_interval(profile, estimate, n) if computable else (n, None)
    deviance = _deviance(q, fit.mu)
    details: dict[str, object] = {} if with_interval else {"interval": "not computed"}
    return Estimate(
        model,
        estimate,
        se,
        ci,
        details
        | {
            "loglik": loglik_cond,
            "aic": -2 * loglik_cond + 2 * params,
            "params": params,
            "deviance": deviance,
            "df": int(np.count_nonzero(q >= 0)) - design.shape[1],
            "eta": float(fit.beta[2]) if design.shape[1] > 2 else None,
            "converged": fit.converged,
            "expected": fit.mu.tolist(),
        },
    )


def _deviance(observed: np.ndarray, fitted: np.ndarray) -> float:
    mask = observed > 0
    dev = 2 * (
        np.sum(observed[mask] * np.log(observed[mask] / fitted[mask])) - np.sum(observed - fitted)
    )
    return float(dev)


def mt(list_sizes: Sequence[int] | np.ndarray, observed: int) -> Estimate:
    """Model Mt: solve Darroch's equation; Darroch's variance; profile-likelihood interval."""
    nj = np.asarray(list_sizes, dtype=float)
    nj = nj[nj > 0]
    t = nj.size
    m = float(observed)

    def equation(total: float) -> float:
        return total - m - total * float(np.prod(1 - nj / total))

    upper_limit = max(m * UPPER_CAP * 10, m + 1e6)
    if t < 2 or equation(upper_limit) < 0 or m <= nj.max():
        # Every seen company on one list, or no overlap at all: no estimate.
        return Estimate("Mt", math.inf, None, (m, None), {"loglik": None, "aic": None})
    estimate = float(brentq(equation, max(m, nj.max()) + 1e-9, upper_limit, xtol=1e-6))
    info = 1 / (estimate - m) + (t - 1) / estimate - float(np.sum(1 / (estimate - nj)))
    se = math.sqrt(1 / info) if info > 0 else None

    def profile(total: float) -> float:
        p = nj / total
        return float(
            gammaln(total + 1)
            - gammaln(total - m + 1)
            + np.sum(nj * np.log(p) + (total - nj) * np.log1p(-p))
        )

    p_hat = nj / estimate
    p_seen = 1 - float(np.prod(1 - p_hat))
    # Conditional history log-likelihood: Σ_j n_j log p_j + (M t − Σ n_j) … written per list.
    loglik_cond = float(
        np.sum(nj * np.log(p_hat) + (m - nj) * np.log1p(-p_hat)) - m * math.log(p_seen)
    )
    ci = profile_interval(profile, estimate, max(m, nj.max()))
    return Estimate(
        "Mt",
        estimate,
        se,
        ci,
        {"loglik": loglik_cond, "aic": -2 * loglik_cond + 2 * t, "params": t},
    )


LOGLINEAR_MODELS = ("M0", "Mh Darroch", "Mh Poisson2", "Mh Gamma3.5")
