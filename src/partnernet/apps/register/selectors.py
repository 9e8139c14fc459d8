"""Reads of the register."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from typing import Any

from django.db.models import Prefetch, QuerySet

from partnernet.apps.audit.models import ChangeLogEntry
from partnernet.apps.audit.selectors import audit_history

from .models import (
    Authorisation,
    Company,
    CompanyLocation,
    CompanyName,
    Source,
    SourceRow,
    Vendor,
)


def company_list() -> QuerySet[Company]:
    """Live companies (not merged into another), the base of lists, filters and exports."""
    return Company.objects.filter(merged_into__isnull=True)


def company_detail(*, company: Company, row_limit: int = 500) -> dict[str, Any]:
    """Everything the company page shows, in a handful of queries."""
    authorisations = (
        Authorisation.objects.filter(company=company)
        .select_related("vendor", "source")
        .order_by("vendor__name", "-level_rank", "source__name")
    )
    by_vendor: dict[Vendor, list[Authorisation]] = defaultdict(list)
    for authorisation in authorisations:
        by_vendor[authorisation.vendor].append(authorisation)
    rows = (
        SourceRow.objects.filter(company=company)
        .select_related("source")
        .order_by("source__name", "row_number")
    )
    return {
        "names": CompanyName.objects.filter(company=company)
        .select_related("source")
        .order_by("first_seen", "id"),
        "identifiers": company.identifier_set.select_related("source").order_by("kind", "-valid"),
        "locations": CompanyLocation.objects.filter(company=company)
        .select_related("source")
        .order_by("-is_headquarters", "city_name"),
        "domains": company.domains.select_related("source").order_by("domain"),
        "phones": company.phones.select_related("source").order_by("number"),
        "emails": company.emails.select_related("source").order_by("address"),
        "specialisations": company.specialisations.select_related("specialisation", "source"),
        "sectors": company.sectors.select_related("sector", "source"),
        "authorisations_by_vendor": sorted(by_vendor.items(), key=lambda item: item[0].name),
        "source_rows": rows[:row_limit],
        "source_row_total": rows.count(),
        "history": company_history(company=company),
    }


def company_history(*, company: Company) -> QuerySet[ChangeLogEntry]:
    return audit_history(obj=company)


def source_list() -> QuerySet[Source]:
    return Source.objects.select_related("vendor").order_by("name")


def source_rows(*, source: Source, failed_only: bool = False) -> QuerySet[SourceRow]:
    rows = SourceRow.objects.filter(source=source, is_current=True).select_related("company")
    if failed_only:
        rows = rows.exclude(error="")
    return rows.order_by("row_number")


def source_rows_with_warnings(*, source: Source) -> QuerySet[SourceRow]:
    return (
        SourceRow.objects.filter(source=source, is_current=True)
        .exclude(warnings="")
        .order_by("row_number")
    )


def match_rows() -> Iterator[tuple[str, int, int | None]]:
    """``(source name, row number, company id)`` of every current source row, merges followed."""
    merged = dict(
        Company.objects.filter(merged_into__isnull=False).values_list("id", "merged_into_id")
    )

    def final(company_id: int | None) -> int | None:
        seen = set()
        while company_id in merged and company_id not in seen:
            seen.add(company_id)
            company_id = merged[company_id]
        return company_id

    rows = (
        SourceRow.objects.filter(is_current=True)
        .order_by("source__name", "row_number")
        .values_list("source__name", "row_number", "company_id")
    )
    for source_name, number, company_id in rows.iterator(chunk_size=5000):
        yield source_name, number, final(company_id)


def vendor_list() -> QuerySet[Vendor]:
    return Vendor.objects.order_by("name")


def company_with_facts(queryset: QuerySet[Company]) -> QuerySet[Company]:
    return queryset.prefetch_related(
        Prefetch("names", queryset=CompanyName.objects.order_by("first_seen", "id")),
        "domains",
        "phones",
    )
