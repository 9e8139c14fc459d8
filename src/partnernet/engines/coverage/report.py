"""The coverage analysis: one call from incidence to a report (plain data in, plain data out)."""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from threadpoolctl import threadpool_limits

from . import accumulation
from .estimators import NONPARAMETRIC, Estimate, sample_coverage
from .incidence import CompanyId, IncidenceMatrix, ListId
from .loglinear import LOGLINEAR_MODELS, loglinear_mh, mt
from .mixtures import beta_binomial, logit_normal_mh, logit_normal_mth
from .recommend import Recommendation, recommend, supported_methods

SMALL_SAMPLE = 200  # fewer seen companies than this: estimates are rough, say so
SINGLETON_WARNING = 0.5  # more one-list companies than this share: suspect duplicates


@dataclass
class CoverageReport:
    lists: list[ListId]
    unique: int
    frequency: list[int]
    estimates: list[Estimate]
    recommended: Recommendation
    next_list_expected_new: float
    curve: list[dict[str, Any]]
    overlap: dict[str, Any]
    list_uniqueness: list[dict[str, Any]]
    sample_coverage: float
    warnings: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        """The shape printed by ``partnernet coverage --json``."""
        return {
            "lists": [str(x) for x in self.lists],
            "unique": self.unique,
            "frequency": self.frequency,
            "sample_coverage": round(self.sample_coverage, 4),
            "estimates": [_estimate_json(e) for e in self.estimates],
            "recommended": self.recommended.as_dict(),
            "next_list_expected_new": round(self.next_list_expected_new, 1),
            "curve": self.curve,
            "overlap": self.overlap,
            "list_uniqueness": self.list_uniqueness,
            "warnings": self.warnings,
        }


def _estimate_json(e: Estimate) -> dict[str, Any]:
    data = e.as_dict()
    data.pop("expected", None)  # per-cell fitted counts: internal, long
    return data


def _all_estimates(
    incidence: IncidenceMatrix, warnings: list[str], *, every_interval: bool = True
) -> list[Estimate]:
    """Every estimate of ``incidence``.

    The profile-likelihood intervals of the log-linear and mixture models cost most of the
    time. With ``every_interval=False`` (a breakdown's groups, where only the recommendation
    is shown) such a model gets its interval only when it is within the AIC support of the
    best model, the only intervals the recommended range is made of; the others say
    "not computed".
    """
    freq = incidence.frequency()
    sizes = incidence.list_sizes()
    n = incidence.n_companies
    profiled: dict[str, Any] = {
        m: (lambda interval, m=m: loglinear_mh(freq, m, interval)) for m in LOGLINEAR_MODELS
    }
    profiled["Mh beta-binomial"] = lambda interval: beta_binomial(freq, interval)
    profiled["Mh logit-normal"] = lambda interval: logit_normal_mh(freq, interval)
    profiled["Mth logit-normal"] = lambda interval: logit_normal_mth(freq, sizes, interval)
    results: list[Estimate] = []
    steps: list[tuple[str, Any]] = [
        (name, (lambda f=fn: f(freq))) for name, fn in NONPARAMETRIC.items()
    ]
    steps += [(m, (lambda f=profiled[m]: f(every_interval))) for m in LOGLINEAR_MODELS]
    steps.append(("Mt", lambda: mt(sizes, n)))
    steps += [
        (m, (lambda f=profiled[m]: f(every_interval)))
        for m in ("Mh beta-binomial", "Mh logit-normal", "Mth logit-normal")
    ]
    for name, run in steps:
        try:
            estimate = run()
        except (ValueError, ArithmeticError, np.linalg.LinAlgError) as error:
            warnings.append(f"{name}: not computed ({error})")
            continue
        results.append(estimate)
    if every_interval:
        return results
    # A model whose interval fails is left out, as with every interval; that can move the
    # best AIC and bring other models into the support, so repeat until none is missing.
    while True:
        supported = supported_methods(results)
        missing = [
            e
            for e in results
            if e.details.get("interval") == "not computed" and e.method in supported
        ]
        if not missing:
            return results
        for estimate in missing:
            index = results.index(estimate)
            try:
                results[index] = profiled[estimate.method](True)
            except (ValueError, ArithmeticError, np.linalg.LinAlgError) as error:
                warnings.append(f"{estimate.method}: not computed ({error})")
                del results[index]


def _as_matrix(
    incidence: Mapping[CompanyId, Iterable[ListId]] | IncidenceMatrix, lists: Sequence[ListId]
) -> IncidenceMatrix:
    if isinstance(incidence, IncidenceMatrix):
        if tuple(lists) == incidence.lists:
            return incidence
        keep = set(lists)
        mapping: dict[CompanyId, set[ListId]] = {}
        for row, col in zip(incidence.rows, incidence.cols, strict=True):
            list_id = incidence.lists[col]
            if list_id in keep:
                mapping.setdefault(incidence.companies[row], set()).add(list_id)
        return IncidenceMatrix.from_mapping(mapping, lists)
    return IncidenceMatrix.from_mapping(incidence, lists)


def analyse(
    incidence: Mapping[CompanyId, Iterable[ListId]] | IncidenceMatrix,
    lists: Sequence[ListId],
    *,
    seed: int = 0,
    extra_lists: int | None = None,
    every_interval: bool = True,
) -> CoverageReport:
    """Coverage report for the companies found on ``lists`` (given in import order).

    ``seed`` is accepted for a stable API; every figure computed today is analytic, so the
    result does not depend on it. ``every_interval=False`` leaves out the intervals that
    cannot change the recommendation (see ``_all_estimates``).
    """
    del seed
    matrix = _as_matrix(incidence, lists)
    freq = matrix.frequency()
    warnings: list[str] = []
    if matrix.n_lists < 2:
        warnings.append("at least two lists are needed to estimate anything")
    if matrix.n_companies == 0:
        warnings.append("no company is on the chosen lists")
    elif matrix.n_companies < SMALL_SAMPLE:
        warnings.append(
            f"only {matrix.n_companies} companies: estimates are rough, read the ranges"
        )
    # One BLAS thread: the fits are hundreds of tiny optimiser steps, and on a busy machine
    # OpenBLAS thread hand-offs cost more than the arithmetic (5x slower measured).
    with threadpool_limits(limits=1, user_api="blas"):
        fit = matrix.n_lists >= 2 and matrix.n_companies > 0
        estimates = _all_estimates(matrix, warnings, every_interval=every_interval) if fit else []
    if matrix.n_lists >= 10 and freq[0] > SINGLETON_WARNING * matrix.n_companies:
        warnings.append(
            f"{freq[0] / matrix.n_companies:.0%} of the companies are on one list only: "
            "check for duplicates the resolution missed, they inflate every estimate"
        )
    recommended = recommend(estimates, freq, matrix.n_companies)
    # The curve levels off at the recommended estimate; Chao2's unseen count if there is none.
    gap = recommended.population - matrix.n_companies
    unseen: float | None = gap if math.isfinite(gap) else None
    next_new = accumulation.next_list_expected_new(freq, unseen) if matrix.n_lists else 0.0
    return CoverageReport(
        lists=list(matrix.lists),
        unique=matrix.n_companies,
        frequency=[int(x) for x in freq],
        estimates=estimates,
        recommended=recommended,
        next_list_expected_new=next_new,
        curve=accumulation.curve(matrix, unseen, extra_lists) if matrix.n_lists else [],
        overlap=accumulation.overlap(matrix),
        list_uniqueness=accumulation.list_uniqueness(matrix),
        sample_coverage=sample_coverage(freq) if matrix.n_lists else 0.0,
        warnings=warnings,
    )


def analyse_by(
    incidence: Mapping[CompanyId, Iterable[ListId]] | IncidenceMatrix,
    lists: Sequence[ListId],
    groups: Mapping[CompanyId, Any],
    *,
    min_companies: int = 50,
    seed: int = 0,
) -> dict[Hashable, CoverageReport]:
    """One report per group (region, specialisation, …) of the companies.

    Companies without a group are left out. A group with fewer than ``min_companies`` seen
    companies gets no model fits, only its counts, Chao2 and a warning: a handful of
    companies cannot say how many are missing. Groups show their recommendation, so only
    the intervals it rests on are computed (``every_interval=False``).
    """
    matrix = _as_matrix(incidence, lists)
    labels = [groups.get(c) for c in matrix.companies]
    reports: dict[Hashable, CoverageReport] = {}
    for group in sorted({g for g in labels if g is not None}, key=str):
        mask = np.array([g == group for g in labels], dtype=bool)
        sub = matrix.select_companies(mask)
        if sub.n_companies >= min_companies:
            report = analyse(sub, list(sub.lists), seed=seed, every_interval=False)
        else:
            report = _small_report(sub)
        reports[group] = report
    return reports


def _small_report(matrix: IncidenceMatrix) -> CoverageReport:
    freq = matrix.frequency()
    estimates = [NONPARAMETRIC["chao2"](freq)] if matrix.n_lists >= 2 else []
    recommended = recommend(estimates, np.zeros(max(matrix.n_lists, 1)), matrix.n_companies)
    return CoverageReport(
        lists=list(matrix.lists),
        unique=matrix.n_companies,
        frequency=[int(x) for x in freq],
        estimates=estimates,
        recommended=recommended,
        next_list_expected_new=accumulation.next_list_expected_new(freq),
        curve=accumulation.curve(matrix),
        overlap=accumulation.overlap(matrix),
        list_uniqueness=accumulation.list_uniqueness(matrix),
        sample_coverage=sample_coverage(freq),
        warnings=[
            f"only {matrix.n_companies} companies in this group: too few for a model; "
            "Chao2 shown as a lower bound"
        ],
    )
