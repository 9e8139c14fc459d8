"""Continuous-mixture models of heterogeneous listing probability.

Each company has its own chance of being on a list; these models give that chance a
distribution and estimate N by maximum likelihood:

* ``Mh beta-binomial`` — p_i ~ Beta(a, b), the same on every list (Dorazio & Royle 2003);
* ``Mh logit-normal`` — logit p_i = μ + σ·z_i, z_i ~ N(0, 1) (Coull & Agresti 1999);
* ``Mth logit-normal`` — logit p_ij = α_j + σ·z_i: list sizes differ *and* companies differ
  (the random-effects Rasch model of Coull & Agresti 1999). Its likelihood depends on the data
  only through the list sizes n_j and the frequencies Q_k, so it stays cheap for 100,000
  companies and 50 lists.

The normal integral is a fixed fine grid (z from −7 to 7): the conditional distribution of z
given k captures is narrow when there are many lists, where Gauss–Hermite with few nodes is
not accurate. Each fit reports the log-likelihood of the observed histories conditional on
being seen (comparable with :mod:`loglinear`) and a multinomial profile-likelihood interval.

Known limit (Link 2003): different mixing distributions can fit the observed counts equally
well and still disagree about the unseen; the recommendation rule looks at that spread.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy.optimize import minimize
from scipy.special import betaln, digamma, expit, gammaln

from .estimators import Estimate
from .loglinear import profile_interval

_GRID = np.linspace(-7.0, 7.0, 141)
_LOG_W = -0.5 * _GRID**2 - 0.5 * math.log(2 * math.pi) + math.log(_GRID[1] - _GRID[0])


def logsumexp(values: np.ndarray, axis: int | None = None) -> np.ndarray:
    """Plain-numpy log Σ exp (scipy's version costs more than the model at this size)."""
    top = np.max(values, axis=axis, keepdims=True)
    out = np.log(np.sum(np.exp(values - top), axis=axis, keepdims=True)) + top
    return np.squeeze(out, axis=axis) if axis is not None else out.reshape(())


_LOG_W = _LOG_W - float(logsumexp(_LOG_W))


@dataclass
class _Data:
    freq: np.ndarray  # Q_1..Q_T
    sizes: np.ndarray  # n_j
    t: int
    n: float


class _Model:
    name = ""

    def __init__(self, data: _Data) -> None:
        self.data = data

    def probabilities(self, theta: np.ndarray) -> np.ndarray:  # pragma: no cover - abstract
        raise NotImplementedError

    def start(self) -> np.ndarray:  # pragma: no cover - abstract
        raise NotImplementedError

    def bounds(self) -> list[tuple[float, float]]:  # pragma: no cover - abstract
        raise NotImplementedError

    def evaluate(self, theta: np.ndarray) -> tuple[float, np.ndarray, float, np.ndarray]:
        """(history log-lik, its gradient, log P(unseen), its gradient)."""
        raise NotImplementedError  # pragma: no cover


class BetaBinomial(_Model):
    name = "Mh beta-binomial"

    def probabilities(self, theta: np.ndarray) -> np.ndarray:
        """P(a company is on exactly k lists), k = 0..T."""
        a, b = np.exp(theta)
        t = self.data.t
        k = np.arange(0, t + 1, dtype=float)
        return np.exp(
            gammaln(t + 1)
            - gammaln(k + 1)
            - gammaln(t - k + 1)
            + betaln(k + a, t - k + b)
            - betaln(a, b)
        )

    def start(self) -> np.ndarray:
        d = self.data
        mean = float(np.arange(1, d.t + 1) @ d.freq) / (d.n * d.t)
        return np.log([1.0, max(1.0 / max(mean, 1e-6) - 1, 1e-3)])

    def bounds(self) -> list[tuple[float, float]]:
        return [(math.log(0.02), math.log(1e4)), (math.log(0.02), math.log(1e6))]

    def evaluate(self, theta: np.ndarray) -> tuple[float, np.ndarray, float, np.ndarray]:
        a, b = np.exp(theta)
        d = self.data
        k = np.arange(0, d.t + 1, dtype=float)
        h = betaln(k + a, d.t - k + b) - betaln(a, b)
        da = digamma(k + a) - digamma(d.t + a + b) - digamma(a) + digamma(a + b)
        db = digamma(d.t - k + b) - digamma(d.t + a + b) - digamma(b) + digamma(a + b)
        f = d.freq
        ll = float(f @ h[1:])
        grad = np.array([float(f @ da[1:]) * a, float(f @ db[1:]) * b])
        return ll, grad, float(h[0]), np.array([da[0] * a, db[0] * b])


class LogitNormal(_Model):
    """logit p_ij = α_j + σ z; ``shared`` ties all α_j together (the Mh version)."""

    def __init__(self, data: _Data, shared: bool) -> None:
        super().__init__(data)
        self.shared = shared
        self.name = "Mh logit-normal" if shared else "Mth logit-normal"
        self.active = np.flatnonzero(data.freq > 0) + 1  # k values with data

    def probabilities(self, theta: np.ndarray) -> np.ndarray:
        """P(a company is on exactly k lists), k = 0..T."""
        d = self.data
        sigma = math.exp(theta[-1])
        alpha = np.full(d.t, theta[0]) if self.shared else theta[:-1]
        x = alpha[:, None] + sigma * _GRID[None, :]
        base = _LOG_W - np.logaddexp(0.0, x).sum(axis=0)
        ks = np.arange(0, d.t + 1, dtype=float)
        log_i = logsumexp(base[None, :] + sigma * _GRID[None, :] * ks[:, None], axis=1)
        # Elementary symmetric polynomials of exp(α_j) (Σ over histories with k captures),
        # in logs: with extreme α they overflow while the probabilities stay finite.
        log_sym = np.full(d.t + 1, -np.inf)
        log_sym[0] = 0.0
        for value in alpha:
            log_sym[1:] = np.logaddexp(log_sym[1:], value + log_sym[:-1])
        return np.exp(log_sym + log_i)

    def start(self) -> np.ndarray:
        d = self.data
        p = np.clip(d.sizes / d.n, 1e-4, 0.9)
        alpha = np.log(p / (1 - p)) - 0.5
        if self.shared:
            alpha = np.array([float(np.mean(alpha))])
        return np.concatenate([alpha, [math.log(1.0)]])

    def bounds(self) -> list[tuple[float, float]]:
        count = 1 if self.shared else self.data.t
        return [(-20.0, 10.0)] * count + [(math.log(0.02), math.log(6.0))]

    def evaluate(self, theta: np.ndarray) -> tuple[float, np.ndarray, float, np.ndarray]:
        d = self.data
        sigma = math.exp(theta[-1])
        alpha = np.full(d.t, theta[0]) if self.shared else theta[:-1]
        x = alpha[:, None] + sigma * _GRID[None, :]  # lists × grid
        p = expit(x)
        base = _LOG_W - np.logaddexp(0.0, x).sum(axis=0)  # log w − Σ_j log(1 + e^x)
        ks = np.concatenate([[0], self.active]).astype(float)
        terms = base[None, :] + sigma * _GRID[None, :] * ks[:, None]  # (1 + K) × grid
        log_i = logsumexp(terms, axis=1)
        r = np.exp(terms - log_i[:, None])  # posterior weights of the grid given k
        sum_p = p.sum(axis=0)  # grid
        # d log I_k / d alpha_j = −Σ_q r_kq p_jq ; d log I_k / d σ = Σ_q r_kq z_q (k − Σ_j p_jq)
        # einsum, not @: BLAS would start threads for these small products on a busy machine.
        dalpha = -np.einsum("kq,jq->kj", r, p)  # (1 + K) × lists
        dsigma = (r * (_GRID[None, :] * (ks[:, None] - sum_p[None, :]))).sum(axis=1)
        f = d.freq[self.active - 1]
        ll = float(alpha @ d.sizes + f @ log_i[1:])
        g_alpha = d.sizes + np.einsum("k,kj->j", f, dalpha[1:])
        g_sigma = float(f @ dsigma[1:]) * sigma
        g0_alpha = dalpha[0]
        g0_sigma = float(dsigma[0]) * sigma
        if self.shared:
            g_alpha = np.array([g_alpha.sum()])
            g0_alpha = np.array([g0_alpha.sum()])
        grad = np.concatenate([g_alpha, [g_sigma]])
        grad0 = np.concatenate([g0_alpha, [g0_sigma]])
        return ll, grad, float(log_i[0]), grad0


def _log1mexp(x: float) -> float:
    """log(1 − e^x) for x < 0, accurate near 0."""
    return math.log(-math.expm1(x)) if x > -0.693 else math.log1p(-math.exp(x))


def _fit_conditional(model: _Model) -> tuple[np.ndarray, float, bool]:
    n = model.data.n

    def objective(theta: np.ndarray) -> tuple[float, np.ndarray]:
        ll, grad, log_p0, grad0 = model.evaluate(theta)
        log_seen = _log1mexp(min(log_p0, -1e-12))
        # d/dθ [−n log(1 − P0)] = n P0/(1 − P0) · d log P0
        odds = math.exp(log_p0 - log_seen)
        value = ll - n * log_seen
        g = grad + n * odds * grad0
        return -value, -g

    result = minimize(objective, model.start(), jac=True, method="L-BFGS-B", bounds=model.bounds())
    at_bound = any(
        abs(v - lo) < 1e-6 or abs(v - hi) < 1e-6
        for v, (lo, hi) in zip(result.x, model.bounds(), strict=True)
    )
    return result.x, -float(result.fun), at_bound


def _fit(model: _Model, with_interval: bool = True) -> Estimate:
    d = model.data
    theta, ll_hist_cond, at_bound = _fit_conditional(model)
    _, _, log_p0, _ = model.evaluate(theta)
    seen = -math.expm1(log_p0)
    estimate = d.n / seen if seen > 0 else math.inf
    # Log-likelihood of the histories given they were seen: comparable across all models.
    loglik = ll_hist_cond
    params = len(theta)
    state = {"theta": theta}

    def profile(total: float) -> float:
        def objective(th: np.ndarray) -> tuple[float, np.ndarray]:
            ll, grad, lp0, grad0 = model.evaluate(th)
            value = ll + (total - d.n) * lp0
            return -value, -(grad + (total - d.n) * grad0)

        res = minimize(
            objective, state["theta"], jac=True, method="L-BFGS-B", bounds=model.bounds()
        )
        state["theta"] = res.x
        return float(gammaln(total + 1) - gammaln(total - d.n + 1) - res.fun)

    if with_interval and math.isfinite(estimate):
        ci = profile_interval(profile, estimate, d.n, refine=False)
    else:
        ci = (d.n, None)
    se = (ci[1] - ci[0]) / (2 * 1.959964) if ci[1] is not None else None
    details: dict[str, object] = {
        "loglik": loglik,
        "aic": -2 * loglik + 2 * params,
        "params": params,
        "at_bound": at_bound,
    }
    if not with_interval:
        details["interval"] = "not computed"
    probs = model.probabilities(theta)
    details["expected"] = (d.n * probs[1:] / max(1 - probs[0], 1e-300)).tolist()
    if isinstance(model, LogitNormal):
        details["sigma"] = math.exp(float(theta[-1]))
    else:
        details["a"], details["b"] = (float(v) for v in np.exp(theta))
    return Estimate(model.name, estimate, se, ci, details)


def _data(freq: Sequence[int] | np.ndarray, sizes: Sequence[int] | np.ndarray | None) -> _Data:
    q = np.asarray(freq, dtype=float)
    t = q.size
    if sizes is None:
        total = float(np.arange(1, t + 1) @ q)
        sizes_arr = np.full(t, total / t)
    else:
        sizes_arr = np.asarray(sizes, dtype=float)
    return _Data(q, sizes_arr, t, float(q.sum()))


def beta_binomial(freq: Sequence[int] | np.ndarray, with_interval: bool = True) -> Estimate:
    return _fit(BetaBinomial(_data(freq, None)), with_interval)


def logit_normal_mh(freq: Sequence[int] | np.ndarray, with_interval: bool = True) -> Estimate:
    return _fit(LogitNormal(_data(freq, None), shared=True), with_interval)


def logit_normal_mth(
    freq: Sequence[int] | np.ndarray,
    list_sizes: Sequence[int] | np.ndarray,
    with_interval: bool = True,
) -> Estimate:
    return _fit(LogitNormal(_data(freq, list_sizes), shared=False), with_interval)
