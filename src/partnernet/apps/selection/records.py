"""Build the selection engine's :class:`PartnerRecord` objects from the register in one pass.

A handful of flat ``values_list`` queries (companies, specialisations, sectors, offices,
authorisations, partnerships), joined in Python: no query per company. The whole register's
records are kept per process and reused while a cheap fingerprint of the tables they come
from (counts, maximum ids, latest updates) is unchanged, so only the first selection after a
change pays for loading.
"""

from __future__ import annotations

import gc
from collections import Counter, defaultdict
from collections.abc import Iterable
from typing import Any

from django.db import connection
from django.db.models import Count, Max

from partnernet.apps.register.models import (
    Authorisation,
    Company,
    CompanyLocation,
    CompanySector,
    CompanySpecialisation,
    Sector,
    Source,
    Specialisation,
    Vendor,
)
from partnernet.engines.selection.records import Authorisation as AuthorisationRecord
from partnernet.engines.selection.records import PartnerRecord
from partnernet.engines.selection.size import size_signal

from .models import FunnelStageDefinition, Partnership

# A vendor's niche: a specialisation that at least this share of the companies it authorised
# carry on its own list. Authorisations inherit the vendor's niches, so "authorised by three
# security vendors" is measurable even though the lists do not say it per row.
VENDOR_NICHE_SHARE = 0.2
FACT_FIELDS = ("deals_12m", "certified_people", "marketing_events_12m")


def _vendor_niches(
    spec_rows: list[tuple[int, int, int | None]],
    source_vendor: dict[int, int],
    spec_keys: dict[int, str],
    authorised: Counter[int],
) -> dict[int, frozenset[str]]:
    per_vendor: dict[int, Counter[str]] = defaultdict(Counter)
    for _company, spec_id, source_id in spec_rows:
        vendor_id = source_vendor.get(source_id) if source_id is not None else None
        if vendor_id is not None:
            per_vendor[vendor_id][spec_keys[spec_id]] += 1
    niches: dict[int, frozenset[str]] = {}
    for vendor_id, counts in per_vendor.items():
        total = max(authorised.get(vendor_id, 0), 1)
        niches[vendor_id] = frozenset(
            key for key, n in counts.items() if n / total >= VENDOR_NICHE_SHARE
        )
    return niches


_cache: dict[str, Any] = {"stamp": None, "records": None}


def _fetch(queryset: Any) -> list[tuple[Any, ...]]:
    """All rows of a ``values_list`` query of plain columns (ints, strings) in one fetch.

    The ORM's iterator fetches 100 rows at a time and wraps each; for hundreds of thousands of
    plain tuples one ``fetchall`` is several times cheaper. Only for columns that need no
    conversion from the database (no dates, JSON or booleans).
    """
    # No ORDER BY: model orderings (companies by name, authorisations by vendor name with a
    # join) would sort hundreds of thousands of rows for nothing.
    sql, params = queryset.order_by().query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return list(cursor.fetchall())


def register_stamp() -> tuple[Any, ...]:
    """Fingerprint of everything a record is built from; a handful of indexed aggregates."""
    parts: list[Any] = [connection.settings_dict.get("NAME")]
    for model in (
        Company,
        CompanyLocation,
        CompanySpecialisation,
        CompanySector,
        Authorisation,
        Partnership,
        Source,
        Vendor,
        Specialisation,
        Sector,
    ):
        agg = model.objects.aggregate(n=Count("id"), m=Max("id"))
        parts += [agg["n"], agg["m"]]
    parts.append(Company.objects.aggregate(u=Max("updated_at"))["u"])
    parts.append(Company.objects.filter(merged_into__isnull=False).count())
    parts.append(Authorisation.objects.aggregate(u=Max("last_seen"))["u"])
    parts.append(Partnership.objects.aggregate(u=Max("updated_at"))["u"])
    parts.append(tuple(FunnelStageDefinition.objects.values_list("key", "counts_as_recruited")))
    return tuple(parts)


def partner_records_cache_clear() -> None:
    _cache["stamp"] = _cache["records"] = None


def partner_records(*, company_ids: Iterable[int] | None = None) -> dict[int, PartnerRecord]:
    """Every live register company (or those of ``company_ids``) as a PartnerRecord, by id.

    Treat the records as read-only: the whole-register result is shared between calls.
    """
    stamp = register_stamp()
    if _cache["stamp"] != stamp or _cache["records"] is None:
        _cache["records"] = _load()
        _cache["stamp"] = stamp
    records: dict[int, PartnerRecord] = _cache["records"]
    if company_ids is None:
        return records
    # A few companies (a funnel, the suppliers of target customers) still need the whole
    # register: a vendor's niches come from everything on its list.
    return {i: records[i] for i in company_ids if i in records}


def _load() -> dict[int, PartnerRecord]:
    # Hundreds of thousands of small objects and no cycles among them: the cyclic collector
    # would rescan the growing heap again and again (it doubled the load time when measured).
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _partner_records()
    finally:
        if enabled:
            gc.enable()


def _partner_records() -> dict[int, PartnerRecord]:
    companies = Company.objects.filter(merged_into__isnull=True)

    def related(model: Any) -> Any:
        return model.objects.all()

    spec_keys = dict(Specialisation.objects.values_list("id", "key"))
    sector_keys = dict(Sector.objects.values_list("id", "key"))
    vendor_names = dict(Vendor.objects.values_list("id", "name"))
    source_vendor = dict(Source.objects.filter(vendor__isnull=False).values_list("id", "vendor_id"))

    spec_rows: list[tuple[int, int, int | None]] = _fetch(
        related(CompanySpecialisation).values_list("company_id", "specialisation_id", "source_id")
    )
    specs: dict[int, set[str]] = defaultdict(set)
    for company_id, spec_id, _source in spec_rows:
        specs[company_id].add(spec_keys[spec_id])

    sectors: dict[int, set[str]] = defaultdict(set)
    for company_id, sector_id in _fetch(
        related(CompanySector).values_list("company_id", "sector_id")
    ):
        sectors[company_id].add(sector_keys[sector_id])

    offices = dict(
        _fetch(
            related(CompanyLocation)
            .values("company_id")
            .annotate(n=Count("id"))
            .filter(n__gte=2)
            .values_list("company_id", "n")
        )
    )

    # Best level per (company, vendor): several lists of one vendor give several rows.
    best: dict[int, dict[int, tuple[int, int, str]]] = defaultdict(dict)
    authorised: Counter[int] = Counter()
    for company_id, vendor_id, level, rank in _fetch(
        related(Authorisation).values_list("company_id", "vendor_id", "level", "level_rank")
    ):
        per_company = best[company_id]
        seen = per_company.get(vendor_id)
        if seen is None:
            authorised[vendor_id] += 1
            per_company[vendor_id] = (vendor_id, rank, level)
        elif rank > seen[1]:
            per_company[vendor_id] = (vendor_id, rank, level)
    empty: frozenset[str] = frozenset()
    niches = _vendor_niches(spec_rows, source_vendor, spec_keys, authorised)
    # Records are read-only, so one object serves every company with the same vendor and level.
    shared = {
        key: AuthorisationRecord(
            vendor=vendor_names[key[0]],
            level=key[2],
            rank=key[1],
            specialisations=niches.get(key[0], empty),
        )
        for key in {key for per_company in best.values() for key in per_company.values()}
    }
    lookup = shared.__getitem__
    auths_of = {
        company_id: tuple(map(lookup, per_company.values()))
        for company_id, per_company in best.items()
    }
    del best

    partnerships: dict[int, tuple[Any, ...]] = {
        row[0]: row
        for row in related(Partnership).values_list(
            "company_id", "stage__key", "stage__counts_as_recruited", "kinds", *FACT_FIELDS
        )
    }

    records: dict[int, PartnerRecord] = {}
    for (
        company_id,
        name,
        city_key,
        city_name,
        region,
        district,
        country,
        source_count,
        best_rank,
    ) in _fetch(
        companies.values_list(
            "id",
            "display_name",
            "city_key",
            "city_name",
            "region",
            "federal_district",
            "country",
            "source_count",
            "best_level_rank",
        )
    ):
        auths = auths_of.get(company_id, ())
        partnership = partnerships.get(company_id)
        kinds: frozenset[str] = empty
        recruited = False
        facts: dict[str, float] = {}
        if partnership is not None:
            # Only partners are in the funnel, so only they need the facts its rules read.
            _cid, _stage, counts, kind_list, *numbers = partnership
            recruited = bool(counts)
            kinds = frozenset(kind_list or ())
            facts = {
                "vendor_count": float(len(auths)),
                "best_level_rank": float(best_rank),
                "source_count": float(source_count),
                **dict(zip(FACT_FIELDS, (float(n) for n in numbers), strict=True)),
            }
        records[company_id] = PartnerRecord(
            id=company_id,
            name=name,
            city_key=city_key,
            city=city_name,
            region=region,
            federal_district=district,
            country=country,
            specialisations=frozenset(specs[company_id]) if company_id in specs else empty,
            sectors=frozenset(sectors[company_id]) if company_id in sectors else empty,
            kinds=kinds,
            size=size_signal(offices=offices.get(company_id, 1), vendors=len(auths)),
            authorisations=auths,
            source_count=source_count,
            recruited=recruited,
            facts=facts,
        )
    return records
