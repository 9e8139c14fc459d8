"""Which estimate to recommend, with what range, and when to call it a lower bound.

The rule (see docs/coverage.md for the reasoning):

1. Candidates are the models with a likelihood for the observed histories: M0, Mt, the
   log-linear Mh models (Darroch, Poisson2, Gamma3.5) and the mixture models (beta-binomial,
   logit-normal, logit-normal with list effects). All are compared by AIC on the same
   conditional likelihood; the non-parametric estimators (Chao2, iChao2, jackknives, ICE) are
   reported beside them but have no likelihood to compare.
2. The recommended estimate is the candidate with the lowest AIC, excluding fits whose
   heterogeneity parameter ended on its search bound (N is then not identified).
3. The range is that model's profile-likelihood interval, widened to cover the intervals of
   every candidate within 2 AIC units of it (model-selection uncertainty, Burnham & Anderson).
4. ``lower_bound`` is set, and the range is read as "at least", when
   a) the chosen model says more than 40% of the market has never been on any list
      (seen share n/N̂ < 0.6): the number then rests on the assumed shape of the rarely-
      listed tail, which the data cannot check (Link 2003); or
   b) the range has no upper end (the likelihood stays flat as N grows); or
   c) the chosen model does not describe the frequency counts (Pearson χ² p < 0.001) — then
      the recommendation switches to Chao2, a lower bound that needs no model of the whole
      distribution, since a misfit model can extrapolate to any number; or
   d) there are too few repeats to fit a model at all (fewer than 2 lists, or no company on
      two lists) — then Chao2 stands in, as the lower bound it is.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from .estimators import Estimate, goodness_of_fit

MIN_SEEN_SHARE = 0.6
AIC_SUPPORT = 2.0
MIN_GOF_P = 0.001

LIKELIHOOD_MODELS = (
    "M0",
    "Mt",
    "Mh Darroch",
    "Mh Poisson2",
    "Mh Gamma3.5",
    "Mh beta-binomial",
    "Mh logit-normal",
    "Mth logit-normal",
)


@dataclass
class Recommendation:
    method: str
    population: float
    ci95: tuple[float, float | None]
    lower_bound: bool
    reason: str
    seen_share: float | None = None
    gof_p: float | None = None

    def as_dict(self) -> dict[str, Any]:
        def r(x: float | None) -> float | None:
            return None if x is None or not math.isfinite(x) else round(float(x), 1)

        return {
            "method": self.method,
            "population": r(self.population),
            "ci95": [r(self.ci95[0]), r(self.ci95[1])],
            "lower_bound": self.lower_bound,
            "reason": self.reason,
            "seen_share": None if self.seen_share is None else round(self.seen_share, 3),
            "gof_p": None if self.gof_p is None else round(self.gof_p, 4),
        }


def _usable(e: Estimate) -> bool:
    return (
        e.method in LIKELIHOOD_MODELS
        and e.details.get("aic") is not None
        and math.isfinite(e.population)
        and math.isfinite(float(e.details["aic"]))
        and not e.details.get("at_bound", False)
    )


def supported_methods(estimates: Sequence[Estimate]) -> set[str]:
    """The candidates within the AIC support of the best one (rule 3's set), by method."""
    candidates = [e for e in estimates if _usable(e)]
    if not candidates:
        return set()
    best_aic = min(float(e.details["aic"]) for e in candidates)
    return {e.method for e in candidates if float(e.details["aic"]) - best_aic <= AIC_SUPPORT}


def recommend(
    estimates: Sequence[Estimate], freq: Sequence[int] | np.ndarray, observed: int
) -> Recommendation:
    q = np.asarray(freq, dtype=float)
    candidates = [e for e in estimates if _usable(e)]
    if not candidates or q.size < 2 or (q[1:].sum() == 0):
        fallback = next((e for e in estimates if e.method == "chao2"), None)
        population = fallback.population if fallback else float(observed)
        lower = fallback.ci95[0] if fallback else float(observed)
        return Recommendation(
            "chao2" if fallback else "observed",
            population,
            (lower, None),
            True,
            "too few companies appear on two or more lists to fit a model; this is a lower bound",
        )
    best = min(candidates, key=lambda e: float(e.details["aic"]))
    within = supported_methods(candidates)
    supported = [e for e in candidates if e.method in within]
    low = min(e.ci95[0] for e in supported)
    highs = [e.ci95[1] for e in supported]
    high = None if any(h is None for h in highs) else max(h for h in highs if h is not None)
    seen_share = observed / best.population if best.population > 0 else 1.0
    expected = best.details.get("expected")
    gof_p = goodness_of_fit(q, expected) if expected is not None else None

    if gof_p is not None and gof_p < MIN_GOF_P:
        # No model explains the counts (typically companies left duplicated by resolution, or
        # lists that depend on each other): extrapolating a misfit model can give any number.
        # Chao2 needs no model of the whole distribution and is a lower bound by design.
        fallback = next((e for e in estimates if e.method == "chao2"), None)
        if fallback is not None:
            return Recommendation(
                "chao2",
                fallback.population,
                (fallback.ci95[0], None),
                True,
                f"no model describes the frequency counts (best fit {best.method}, "
                f"p = {gof_p:.1g}); Chao2 is shown as a lower bound. Check for duplicates "
                "left unmerged: they add false one-list companies and inflate every estimate",
                observed / fallback.population if fallback.population > 0 else 1.0,
                gof_p,
            )
    reasons = []
    if seen_share < MIN_SEEN_SHARE:
        reasons.append(
            f"the best model puts {1 - seen_share:.0%} of the market on no list; "
            "how many rarely listed companies exist cannot be checked from these lists"
        )
    if high is None:
        reasons.append("the likelihood gives no upper end")
    if gof_p is not None and gof_p < MIN_GOF_P:
        reasons.append(f"no model describes the counts well (fit p = {gof_p:.1g})")
    others = [e.method for e in supported if e is not best]
    basis = f"lowest AIC among {len(candidates)} models" + (
        f"; range widened to cover {', '.join(others)} (within {AIC_SUPPORT:g} AIC)"
        if others
        else ""
    )
    reason = basis + "; lower bound because " + "; ".join(reasons) if reasons else basis
    return Recommendation(
        best.method,
        best.population,
        (low, high),
        bool(reasons),
        reason,
        seen_share,
        gof_p,
    )
