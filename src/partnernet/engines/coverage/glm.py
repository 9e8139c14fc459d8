"""A small Poisson GLM (log link) fitted by damped Newton–Raphson, with column scaling.

Enough for the log-linear capture-recapture models: a handful of columns, up to a few
hundred cells. Column scaling keeps columns such as 2^k − 1 (k up to 50) well conditioned;
the log-likelihood is concave, so step halving always makes progress.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

_EXP_CAP = 700.0


@dataclass
class PoissonFit:
    beta: np.ndarray
    mu: np.ndarray
    covariance: np.ndarray
    loglik: float  # Σ y log μ − μ (without the log y! constant)
    converged: bool


def poisson_loglik(y: np.ndarray, eta: np.ndarray) -> float:
    return float(y @ eta - np.exp(np.minimum(eta, _EXP_CAP)).sum())


def fit_poisson(
    y: np.ndarray,
    design: np.ndarray,
    offset: np.ndarray | None = None,
    start: np.ndarray | None = None,
    max_iter: int = 200,
    tol: float = 1e-10,
) -> PoissonFit:
    """Maximum-likelihood Poisson regression ``log E[y] = offset + design @ beta``."""
    y = np.asarray(y, dtype=float)
    design = np.asarray(design, dtype=float)
    offset = np.zeros_like(y) if offset is None else np.asarray(offset, dtype=float)
    scale = np.abs(design).max(axis=0)
    scale[scale == 0] = 1.0
    x = design / scale
    if start is None:
        b = np.zeros(x.shape[1])
        # Start from a fit of the mean on the intercept-like first column.
        total = max(y.sum(), 1e-8)
        b[0] = np.log(total / np.exp(offset).sum()) / (x[:, 0].mean() or 1.0)
    else:
        b = np.asarray(start, dtype=float) * scale
    eta = offset + x @ b
    current = poisson_loglik(y, eta)
    converged = False
    for _ in range(max_iter):
        mu = np.exp(np.minimum(eta, _EXP_CAP))
        grad = x.T @ (y - mu)
        hess = x.T @ (mu[:, None] * x)
        try:
            step = np.linalg.solve(hess + 1e-12 * np.eye(len(b)), grad)
        except np.linalg.LinAlgError:
            step = np.linalg.lstsq(hess, grad, rcond=None)[0]
        factor = 1.0
        while True:
            candidate = b + factor * step
            cand_eta = offset + x @ candidate
            value = poisson_loglik(y, cand_eta)
            if value >= current - 1e-12 or factor < 1e-10:
                break
            factor /= 2
        gain = value - current
        b, eta, current = candidate, cand_eta, value
        if abs(gain) < tol * (1 + abs(current)) and np.max(np.abs(factor * step)) < 1e-7:
            converged = True
            break
    mu = np.exp(np.minimum(eta, _EXP_CAP))
    hess = x.T @ (mu[:, None] * x)
    try:
        cov_scaled = np.linalg.inv(hess)
    except np.linalg.LinAlgError:
        cov_scaled = np.linalg.pinv(hess)
    beta = b / scale
    covariance = cov_scaled / np.outer(scale, scale)
    return PoissonFit(beta, mu, covariance, current, converged)
