"""Reads for the Coverage page and API: the coverage report, cached per data version.

The analysis itself lives in ``partnernet.engines.coverage`` and the register's reads in
``partnernet.apps.register.coverage_selectors``; this module only decides when a stored
result is still valid. Fitting a dozen models to 40+ lists takes a second or two, and a
breakdown by region repeats that per region, so a page view must not refit unless the data
changed.

The *data version* is a digest of a few aggregates (counts and latest ids/timestamps) of the
tables the analysis reads: sources, source rows, companies (merges included), authorisations,
specialisations and sectors. Any import, merge, un-merge or edit of those tables changes it,
and the stored report is simply never asked for again. Reports also expire after an hour, so
a change that touches none of the aggregates is seen within the hour at worst.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import Any

from django.core.cache import cache
from django.db.models import Count, Max

from partnernet.apps.register.coverage_selectors import (
    BY_FIELDS,
    coverage_breakdown,
    coverage_incidence,
    coverage_sources,
)
from partnernet.apps.register.models import (
    Authorisation,
    Company,
    CompanySector,
    CompanySpecialisation,
    Source,
    SourceRow,
)
from partnernet.engines.coverage import IncidenceMatrix, analyse

CACHE_SECONDS = 3600
CACHE_PREFIX = "partnernet:coverage:"

__all__ = [
    "BY_FIELDS",
    "coverage_data_version",
    "coverage_lists",
    "coverage_overview",
]


def coverage_data_version() -> str:
    """A short digest that changes whenever the data the analysis reads changes."""
    parts: list[Any] = [
        Source.objects.aggregate(n=Count("pk"), top=Max("pk"), last=Max("imported_at")),
        SourceRow.objects.aggregate(n=Count("pk"), top=Max("pk")),
        SourceRow.objects.filter(is_current=True).aggregate(n=Count("pk")),
        Company.objects.aggregate(
            n=Count("pk"), merged=Count("merged_into"), updated=Max("updated_at")
        ),
        Authorisation.objects.aggregate(n=Count("pk"), top=Max("pk")),
        CompanySpecialisation.objects.aggregate(n=Count("pk"), top=Max("pk")),
        CompanySector.objects.aggregate(n=Count("pk"), top=Max("pk")),
    ]
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:16]


def coverage_lists(*, source_ids: Sequence[int] | None = None) -> list[Source]:
    """The sources that count as lists, in import order; default: every partner locator."""
    return coverage_sources(names=[str(pk) for pk in source_ids] if source_ids else None)


def coverage_overview(
    *,
    sources: Sequence[Source],
    by: str | None = None,
    min_companies: int = 50,
    refresh: bool = False,
) -> dict[str, Any]:
    """The coverage report of ``sources`` in the shape of ``partnernet coverage --json``.

    The whole-market report and each breakdown are stored separately, so switching the
    breakdown field does not refit the whole market.
    """
    if by is not None and by not in BY_FIELDS:
        raise ValueError(f"unknown field {by!r}; choose from {', '.join(BY_FIELDS)}")
    lists = [s.name for s in sources]
    version = coverage_data_version()
    chosen = hashlib.sha256(",".join(str(s.pk) for s in sources).encode()).hexdigest()[:16]
    key = f"{CACHE_PREFIX}{version}:{chosen}"

    incidence: dict[int, set[str]] | None = None
    matrix: IncidenceMatrix | None = None

    def load() -> tuple[dict[int, set[str]], IncidenceMatrix]:
        nonlocal incidence, matrix
        if incidence is None or matrix is None:
            incidence = coverage_incidence(sources=sources)
            matrix = IncidenceMatrix.from_mapping(incidence, lists)
        return incidence, matrix

    data = None if refresh else cache.get(key)
    if data is None:
        data = analyse(load()[1], lists).to_json()
        cache.set(key, data, CACHE_SECONDS)
    data = dict(data)
    if by:
        by_key = f"{key}:by:{by}:{min_companies}"
        breakdown = None if refresh else cache.get(by_key)
        if breakdown is None:
            found, built = load()
            breakdown = coverage_breakdown(
                incidence=found, matrix=built, by=by, min_companies=min_companies
            )
            cache.set(by_key, breakdown, CACHE_SECONDS)
        data["by"] = breakdown
    return data
