"""Build the selection engine's :class:`PartnerRecord` objects from the register in one pass.

A handful of flat ``values_list`` queries (companies, specialisations, sectors, offices,
authorisations, partnerships), joined in Python: no query per company. The whole register's
records are kept per process and reused while a cheap fingerprint of the tables they come
from (counts, maximum ids, latest updates) is unchanged, so only the first selection after a
change pays for loading.

Two layers, each with its own fingerprint: the register's records (companies, offices,
specialisations, sectors, authorisations) and our partnerships laid over them (recruited,
kinds, the facts funnel rules read). Recording a partnership or moving one through the funnel
— the everyday change on the selection pages — re-reads the partnerships only and replaces
those few records; an import or a merge rebuilds the register layer.
"""

from __future__ import annotations

import gc
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

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
from partnernet.engines.selection.records import Office, PartnerRecord
from partnernet.engines.selection.size import size_signal

from .models import FunnelStageDefinition, Partnership

T = TypeVar("T")

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


_cache: dict[str, Any] = {
    "register_stamp": None,
    "base": None,  # the register layer: {company id: record without partnership}
    "partnership_stamp": None,
    "records": None,  # base with the partnerships laid over
}


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
    return _register_layer_stamp() + _partnership_stamp()


def _register_layer_stamp() -> tuple[Any, ...]:
    parts: list[Any] = [connection.settings_dict.get("NAME")]
    for model in (
        Company,
        CompanyLocation,
        CompanySpecialisation,
        CompanySector,
        Authorisation,
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
    return tuple(parts)


def _partnership_stamp() -> tuple[Any, ...]:
    agg = Partnership.objects.aggregate(n=Count("id"), m=Max("id"), u=Max("updated_at"))
    stages = tuple(FunnelStageDefinition.objects.values_list("key", "counts_as_recruited"))
    return (agg["n"], agg["m"], agg["u"], stages)


def partner_records_cache_clear() -> None:
    for key in _cache:
        _cache[key] = None


def partner_records(*, company_ids: Iterable[int] | None = None) -> dict[int, PartnerRecord]:
    """Every live register company (or those of ``company_ids``) as a PartnerRecord, by id.

    Treat the records as read-only: the whole-register result is shared between calls.
    """
    register_stamp = _register_layer_stamp()
    partnership_stamp = _partnership_stamp()
    if _cache["register_stamp"] != register_stamp or _cache["base"] is None:
        _cache["base"] = _load()
        _cache["register_stamp"] = register_stamp
        _cache["records"] = None
    if _cache["partnership_stamp"] != partnership_stamp or _cache["records"] is None:
        _cache["records"] = _with_partnerships(_cache["base"])
        _cache["partnership_stamp"] = partnership_stamp
    records: dict[int, PartnerRecord] = _cache["records"]
    if company_ids is None:
        return records
    # A few companies (a funnel, the suppliers of target customers) still need the whole
    # register: a vendor's niches come from everything on its list.
    return {i: records[i] for i in company_ids if i in records}


def _load() -> dict[int, PartnerRecord]:
    return without_gc(_partner_records)


def _with_partnerships(base: dict[int, PartnerRecord]) -> dict[int, PartnerRecord]:
    return without_gc(lambda: _overlay_partnerships(base))


def without_gc(build: Callable[[], T]) -> T:
    """``build()`` with the cyclic garbage collector paused (reference counting still frees)."""
    # Hundreds of thousands of small objects and no cycles among them: the cyclic collector
    # would rescan the growing heap again and again (it doubled the load time when measured;
    # one full collection during the partnership overlay cost more than the overlay itself).
    enabled = gc.isenabled()
    gc.disable()
    try:
        return build()
    finally:
        if enabled:
            gc.enable()


def _partner_records() -> dict[int, PartnerRecord]:
    """The register layer: one record per live company, not yet recruited, without facts."""
    spec_keys = dict(Specialisation.objects.values_list("id", "key"))
    sector_keys = dict(Sector.objects.values_list("id", "key"))
    vendor_names = dict(Vendor.objects.values_list("id", "name"))
    source_vendor = dict(Source.objects.filter(vendor__isnull=False).values_list("id", "vendor_id"))

    spec_rows: list[tuple[int, int, int | None]] = _fetch(
        CompanySpecialisation.objects.values_list("company_id", "specialisation_id", "source_id")
    )
    specs = _sets_by_company(((c, spec_keys[s]) for c, s, _source in spec_rows))
    sectors = _sets_by_company(
        (c, sector_keys[s])
        for c, s in _fetch(CompanySector.objects.values_list("company_id", "sector_id"))
    )
    offices = _offices()

    # Best level per (company, vendor): several lists of one vendor give several rows.
    best: dict[int, dict[int, tuple[int, int, str]]] = defaultdict(dict)
    authorised: Counter[int] = Counter()
    for company_id, vendor_id, level, rank in _fetch(
        Authorisation.objects.values_list("company_id", "vendor_id", "level", "level_rank")
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
    del spec_rows
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

    # The size signal takes two small numbers: compute each pair once.
    sizes: dict[tuple[int, int], str] = {}
    no_auths: tuple[AuthorisationRecord, ...] = ()
    no_offices: tuple[int, tuple[Office, ...]] = (1, ())
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
    ) in _fetch(
        Company.objects.filter(merged_into__isnull=True).values_list(
            "id",
            "display_name",
            "city_key",
            "city_name",
            "region",
            "federal_district",
            "country",
            "source_count",
        )
    ):
        auths = auths_of.get(company_id, no_auths)
        office_count, places = offices.get(company_id, no_offices)
        # Branches: the offices elsewhere than the head office (the company's own place).
        branches = (
            tuple(o for o in places if o.city_key != city_key or o.region != region)
            if places
            else ()
        )
        size_key = (office_count, len(auths))
        size = sizes.get(size_key)
        if size is None:
            size = sizes[size_key] = size_signal(offices=office_count, vendors=len(auths))
        records[company_id] = PartnerRecord(
            id=company_id,
            name=name,
            city_key=city_key,
            city=city_name,
            region=region,
            federal_district=district,
            country=country,
            specialisations=specs.get(company_id, empty),
            sectors=sectors.get(company_id, empty),
            size=size,
            authorisations=auths,
            source_count=source_count,
            branches=branches,
        )
    return records


def _sets_by_company(pairs: Iterable[tuple[int, str]]) -> dict[int, frozenset[str]]:
    grouped: dict[int, set[str]] = defaultdict(set)
    for company_id, key in pairs:
        grouped[company_id].add(key)
    # One frozenset object per distinct set: most companies share a handful of combinations.
    distinct: dict[frozenset[str], frozenset[str]] = {}
    return {
        company_id: distinct.setdefault(frozen, frozen)
        for company_id, frozen in ((c, frozenset(keys)) for c, keys in grouped.items())
    }


def _offices() -> dict[int, tuple[int, tuple[Office, ...]]]:
    """Companies with two or more locations: their number and every place, as shared Office
    objects (only these companies can have a branch; one location is the head office)."""
    several = (
        CompanyLocation.objects.values("company_id")
        .annotate(n=Count("id"))
        .filter(n__gte=2)
        .values("company_id")
    )
    places: dict[int, list[Office]] = defaultdict(list)
    shared: dict[tuple[str, ...], Office] = {}
    for company_id, *place in _fetch(
        CompanyLocation.objects.filter(company_id__in=several).values_list(
            "company_id", "city_key", "city_name", "region", "federal_district", "country"
        )
    ):
        key = tuple(place)
        office = shared.get(key)
        if office is None:
            office = shared[key] = Office(*place)
        places[company_id].append(office)
    return {company_id: (len(items), tuple(items)) for company_id, items in places.items()}


def _overlay_partnerships(base: dict[int, PartnerRecord]) -> dict[int, PartnerRecord]:
    """The register's records with our partnerships laid over: recruited (the stage counts as
    recruited), the partner's kinds, and the facts funnel rules read (only partners are in the
    funnel, so only they carry facts). Companies without a partnership keep their base record."""
    records = dict(base)
    for company_id, _stage, counts, kind_list, best_rank, *numbers in Partnership.objects.filter(
        company__merged_into__isnull=True
    ).values_list(
        "company_id",
        "stage__key",
        "stage__counts_as_recruited",
        "kinds",
        "company__best_level_rank",
        *FACT_FIELDS,
    ):
        record = base.get(company_id)
        if record is None:
            continue
        # The constructor, not dataclasses.replace: replace inspects the fields every call.
        records[company_id] = PartnerRecord(
            id=record.id,
            name=record.name,
            city_key=record.city_key,
            city=record.city,
            region=record.region,
            federal_district=record.federal_district,
            country=record.country,
            specialisations=record.specialisations,
            sectors=record.sectors,
            kinds=frozenset(kind_list or ()),
            size=record.size,
            authorisations=record.authorisations,
            source_count=record.source_count,
            recruited=bool(counts),
            facts={
                "vendor_count": float(len(record.authorisations)),
                "best_level_rank": float(best_rank),
                "source_count": float(record.source_count),
                **dict(zip(FACT_FIELDS, (float(n) for n in numbers), strict=True)),
            },
            branches=record.branches,
        )
    return records
