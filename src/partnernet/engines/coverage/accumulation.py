"""Accumulation curve, next-list prediction, overlap matrix and list uniqueness.

* Observed curve: unique companies after the first t lists, in import order.
* Expected curve over random orders of the same lists — incidence rarefaction (Colwell et al.
  2012; Chao et al. 2014, Ecol. Monogr. 84:45–67): S(t) = Σ_k Q_k [1 − C(T−k, t) / C(T, t)].
* Extrapolation beyond T lists (Chao et al. 2014): S(T + m) = S_obs + f0 [1 − (1 − Q1 /
  (T·f0 + Q1))^m]. iNEXT takes f0 from Chao2; we take it from the recommended estimate so the
  curve levels off at the number the report recommends (Chao2's f0 when no estimate is given).
  m = 1 gives "the next list would add about … new companies".
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from scipy.special import gammaln

from .estimators import chao2
from .incidence import IncidenceMatrix


def rarefied(freq: Sequence[int] | np.ndarray, sizes: Sequence[int]) -> np.ndarray:
    """Expected unique companies among ``t`` random lists of the T, for each t in ``sizes``."""
    q = np.asarray(freq, dtype=float)
    big_t = q.size
    k = np.arange(1, big_t + 1, dtype=float)
    out = []
    for t in sizes:
        if t >= big_t:
            out.append(float(q.sum()))
            continue
        ok = big_t - k >= t
        log_ratio = np.full(big_t, -np.inf)
        kk = k[ok]
        log_ratio[ok] = (
            gammaln(big_t - kk + 1)
            - gammaln(big_t - kk - t + 1)
            - gammaln(big_t + 1)
            + gammaln(big_t - t + 1)
        )
        out.append(float(q @ (1 - np.exp(log_ratio))))
    return np.asarray(out)


def unseen_default(freq: Sequence[int] | np.ndarray) -> float:
    q = np.asarray(freq, dtype=float)
    return chao2(q).population - float(q.sum())


def extrapolated(
    freq: Sequence[int] | np.ndarray, extra: Sequence[int], unseen: float | None = None
) -> np.ndarray:
    """Expected unique companies after T + m lists, for each m in ``extra``."""
    q = np.asarray(freq, dtype=float)
    big_t = q.size
    observed = float(q.sum())
    f0 = unseen_default(q) if unseen is None else max(float(unseen), 0.0)
    q1 = q[0]
    if f0 <= 0 or q1 <= 0:
        return np.full(len(extra), observed)
    miss = 1 - q1 / (big_t * f0 + q1)
    m = np.asarray(extra, dtype=float)
    return observed + f0 * (1 - miss**m)


def next_list_expected_new(freq: Sequence[int] | np.ndarray, unseen: float | None = None) -> float:
    """Expected number of companies a further list of typical size adds."""
    q = np.asarray(freq, dtype=float)
    return float(extrapolated(q, [1], unseen)[0] - q.sum())


def observed_curve(incidence: IncidenceMatrix) -> list[dict[str, Any]]:
    """Unique companies after each list in import order, with the new ones each list added."""
    first = np.full(incidence.n_companies, incidence.n_lists, dtype=np.int64)
    np.minimum.at(first, incidence.rows, incidence.cols)
    new = np.bincount(first, minlength=incidence.n_lists + 1)[: incidence.n_lists]
    cumulative = np.cumsum(new)
    return [
        {"lists": j + 1, "list": incidence.lists[j], "new": int(new[j]), "unique": int(c)}
        for j, c in enumerate(cumulative)
    ]


def curve(
    incidence: IncidenceMatrix, unseen: float | None = None, extra_lists: int | None = None
) -> list[dict[str, Any]]:
    """Points for the accumulation chart: observed, expected (random order), extrapolated."""
    freq = incidence.frequency()
    big_t = incidence.n_lists
    observed = observed_curve(incidence)
    expected = rarefied(freq, range(1, big_t + 1))
    points: list[dict[str, Any]] = []
    for j in range(big_t):
        points.append(
            {
                "lists": j + 1,
                "list": observed[j]["list"],
                "observed": observed[j]["unique"],
                "new": observed[j]["new"],
                "expected": round(float(expected[j]), 2),
                "extrapolated": False,
            }
        )
    extra = list(range(1, (extra_lists if extra_lists is not None else big_t) + 1))
    for m, value in zip(extra, extrapolated(freq, extra, unseen), strict=True):
        points.append(
            {
                "lists": big_t + m,
                "list": None,
                "observed": None,
                "new": None,
                "expected": round(float(value), 2),
                "extrapolated": True,
            }
        )
    return points


def overlap(incidence: IncidenceMatrix) -> dict[str, Any]:
    """Pairwise overlap counts and Jaccard similarity between lists."""
    t = incidence.n_lists
    dense = np.zeros((incidence.n_companies, t), dtype=np.float32)
    dense[incidence.rows, incidence.cols] = 1.0
    counts = (dense.T @ dense).round().astype(np.int64)
    sizes = np.diag(counts).astype(float)
    union = sizes[:, None] + sizes[None, :] - counts
    with np.errstate(divide="ignore", invalid="ignore"):
        jaccard = np.where(union > 0, counts / union, 0.0)
    return {
        "lists": list(incidence.lists),
        "counts": counts.tolist(),
        "jaccard": np.round(jaccard, 4).tolist(),
    }


def list_uniqueness(incidence: IncidenceMatrix) -> list[dict[str, Any]]:
    """For each list: its size, how many of its companies no other list has, and the share."""
    counts = incidence.capture_counts()
    sizes = incidence.list_sizes()
    only_here = np.bincount(
        incidence.cols[counts[incidence.rows] == 1], minlength=incidence.n_lists
    )
    return [
        {
            "list": incidence.lists[j],
            "size": int(sizes[j]),
            "unique": int(only_here[j]),
            "unique_share": round(float(only_here[j] / sizes[j]), 4) if sizes[j] else 0.0,
        }
        for j in range(incidence.n_lists)
    ]
