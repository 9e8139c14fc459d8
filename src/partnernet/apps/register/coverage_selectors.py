"""Reads for the coverage analysis: which company is on which list, and company groups.

A *list* is a source; by default every vendor or distributor partner-locator source counts,
in import order. A company is a live company: rows linked to a company that was later merged
count for the company it was merged into.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

from django.db.models import Q

from partnernet.engines.coverage import IncidenceMatrix, analyse, analyse_by

from .models import (
    Authorisation,
    Company,
    CompanySector,
    CompanySpecialisation,
    Source,
    SourceKind,
    SourceRow,
)

LIST_KINDS = (SourceKind.VENDOR_LOCATOR, SourceKind.DISTRIBUTOR_LOCATOR)
COMPANY_FIELDS = {
    "region": "region",
    "federal_district": "federal_district",
    "country": "country",
    "city": "city_name",
}
BY_FIELDS = (*COMPANY_FIELDS, "specialisation", "sector", "level")


def coverage_sources(*, names: Sequence[str] | None = None) -> list[Source]:
    """The sources that count as lists, in import order.

    ``names`` picks sources by name (or numeric id); without it, every vendor and
    distributor partner locator. Raises ``ValueError`` naming any source not found.
    """
    queryset = Source.objects.all()
    if names:
        ids = [int(n) for n in names if n.isdigit()]
        queryset = queryset.filter(Q(name__in=list(names)) | Q(pk__in=ids))
        found = {s.name for s in queryset} | {str(s.pk) for s in queryset}
        missing = [n for n in names if n not in found]
        if missing:
            raise ValueError(f"no such source: {', '.join(missing)}")
    else:
        queryset = queryset.filter(kind__in=LIST_KINDS)
    return sorted(queryset, key=lambda s: (s.imported_at or s.created_at, s.created_at, s.pk))


def _live_company_map() -> dict[int, int]:
    """Merged company id → the live company it ended in (chains followed)."""
    parent = dict(
        Company.objects.filter(merged_into__isnull=False).values_list("pk", "merged_into_id")
    )
    resolved: dict[int, int] = {}
    for start in parent:
        seen = {start}
        node = start
        while node in parent and parent[node] not in seen:
            node = parent[node]
            seen.add(node)
        resolved[start] = node
    return resolved


def coverage_incidence(*, sources: Sequence[Source]) -> dict[int, set[str]]:
    """{live company id: {source name, …}} from the current rows of ``sources``."""
    names = {s.pk: s.name for s in sources}
    live = _live_company_map()
    incidence: dict[int, set[str]] = defaultdict(set)
    rows = SourceRow.objects.filter(
        source_id__in=list(names), company__isnull=False, is_current=True
    ).values_list("company_id", "source_id")
    for company_id, source_id in rows.iterator(chunk_size=5000):
        incidence[live.get(company_id, company_id)].add(names[source_id])
    return dict(incidence)


def coverage_groups(*, field: str, company_ids: Iterable[int]) -> dict[int, set[str]]:
    """{company id: {group value, …}}; specialisation, sector and level may give several."""
    if field not in BY_FIELDS:
        raise ValueError(f"unknown field {field!r}; choose from {', '.join(BY_FIELDS)}")
    ids = list(company_ids)
    groups: dict[int, set[str]] = defaultdict(set)
    if field in COMPANY_FIELDS:
        column = COMPANY_FIELDS[field]
        for pk, value in Company.objects.filter(pk__in=ids).values_list("pk", column):
            if value:
                groups[pk].add(str(value))
    elif field == "specialisation":
        for pk, value in CompanySpecialisation.objects.filter(company_id__in=ids).values_list(
            "company_id", "specialisation__name"
        ):
            groups[pk].add(value)
    elif field == "sector":
        for pk, value in CompanySector.objects.filter(company_id__in=ids).values_list(
            "company_id", "sector__name"
        ):
            groups[pk].add(value)
    else:  # level: the vendor and the partner status written on its list
        triples = Authorisation.objects.filter(company_id__in=ids).values_list(
            "company_id", "vendor__name", "level"
        )
        for pk, vendor, level in triples:
            groups[pk].add(f"{vendor}: {level}" if level else f"{vendor}: —")
    return dict(groups)


def _group_json(report: Any) -> dict[str, Any]:
    data = report.to_json()
    # Per-group overlap matrices would repeat the list × list table for every group.
    data.pop("overlap", None)
    data.pop("list_uniqueness", None)
    return data


def coverage_report(
    *,
    source_names: Sequence[str] | None = None,
    by: str | None = None,
    min_companies: int = 50,
) -> dict[str, Any]:
    """The coverage analysis of the register, JSON-ready (``partnernet coverage --json``)."""
    sources = coverage_sources(names=source_names)
    lists = [s.name for s in sources]
    incidence = coverage_incidence(sources=sources)
    matrix = IncidenceMatrix.from_mapping(incidence, lists)  # built once, reused per group
    data = analyse(matrix, lists).to_json()
    if by:
        data["by"] = coverage_breakdown(
            incidence=incidence, matrix=matrix, by=by, min_companies=min_companies
        )
    return data


def coverage_breakdown(
    *,
    incidence: dict[int, set[str]],
    matrix: IncidenceMatrix,
    by: str,
    min_companies: int = 50,
) -> dict[str, Any]:
    """The ``by`` part of the report: one analysis per value of ``by`` (JSON-ready)."""
    lists = list(matrix.lists)
    memberships = coverage_groups(field=by, company_ids=incidence)
    values = sorted({v for vs in memberships.values() for v in vs}, key=str)
    groups: dict[str, Any] = {}
    for value in values:
        members = {pk: value for pk, vs in memberships.items() if value in vs}
        for key, report in analyse_by(matrix, lists, members, min_companies=min_companies).items():
            groups[str(key)] = _group_json(report)
    return {
        "field": by,
        "min_companies": min_companies,
        "without_value": sum(1 for pk in incidence if pk not in memberships),
        "groups": groups,
    }
