"""Reads of selection: the four approaches run on the register, the funnel, shortlists.

Each approach returns plain JSON-able data (the web views, the API and the CLI show the same
result) with an ``entries`` list — the ranked companies a shortlist stores.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import asdict
from datetime import date, timedelta
from functools import lru_cache, partial
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from partnernet.apps.register.models import Sector, Specialisation
from partnernet.engines import geo
from partnernet.engines.errors import CodedError
from partnernet.engines.selection.customer_driven import (
    SupplyRelation as SupplyRecord,
)
from partnernet.engines.selection.customer_driven import (
    TargetCustomer as CustomerRecord,
)
from partnernet.engines.selection.customer_driven import customer_driven_selection
from partnernet.engines.selection.fit import SIZE_ORDER, FitCriteria
from partnernet.engines.selection.phased import (
    FunnelStage,
    StageRule,
    propose_moves,
    stage_counts_over_time,
)
from partnernet.engines.selection.records import PartnerRecord
from partnernet.engines.selection.regional import (
    QuotaError,
    Territory,
    default_territories,
    parse_quota,
    regional_gaps,
)
from partnernet.engines.selection.specialisation import specialisation_shortlist

from .models import (
    FunnelStageDefinition,
    Partnership,
    Shortlist,
    ShortlistEntry,
    StageHistory,
    SupplyRelation,
    TargetCustomer,
)
from .records import partner_records, without_gc

# Short names people type for the seeded vocabularies (keys and Russian/English names work too).
NICHE_ALIASES = {
    "infosec": "information_security",
    "security": "information_security",
    "ib": "information_security",
    "иб": "information_security",
    "virtualization": "virtualisation",
    "av": "audio_video",
    "hardware": "computer_hardware",
    "network": "networking",
    "complex": "complex_solutions",
}
SECTOR_ALIASES = {"oil": "oil_gas", "oilgas": "oil_gas", "medicine": "healthcare", "gov": "public"}


class SelectionError(CodedError):
    """Parameters of a selection that cannot be used (unknown niche, bad quota…).

    The message is English (CLI, API); views word it in the user's language from ``code`` and
    ``params`` (``errors.user_message``).
    """

    @classmethod
    def wrap(cls, error: CodedError) -> SelectionError:
        """An engine's rule or quota error, with its code and parameters kept."""
        return cls(error.code, str(error), **error.params)


def _resolve(words: Iterable[str], model: Any, aliases: dict[str, str], what: str) -> list[str]:
    rows = list(model.objects.values_list("key", "name", "name_en"))
    lookup: dict[str, str] = {}
    for key, name, name_en in rows:
        for label in (key, name, name_en):
            if label:
                lookup[label.strip().lower()] = key
    keys = []
    for word in words:
        text = word.strip().lower()
        if not text:
            continue
        key = lookup.get(aliases.get(text, text))
        if key is None:
            known = ", ".join(sorted(k for k, _n, _e in rows))
            raise SelectionError(
                f"unknown_{what}",
                f"unknown {what} {word!r}; known: {known}",
                word=word,
                known=known,
            )
        keys.append(key)
    return keys


def fit_criteria(
    *,
    niches: Iterable[str] = (),
    sectors: Iterable[str] = (),
    min_size: str = "",
    kinds: Iterable[str] = (),
    require_all: bool = False,
) -> FitCriteria:
    """Fit criteria from what a user typed: niche/sector keys, aliases or names."""
    if min_size and min_size not in SIZE_ORDER:
        known = ", ".join(SIZE_ORDER)
        raise SelectionError(
            "unknown_size", f"unknown size {min_size!r}; use {known}", size=min_size, known=known
        )
    return FitCriteria(
        specialisations=frozenset(_resolve(niches, Specialisation, NICHE_ALIASES, "niche")),
        sectors=frozenset(_resolve(sectors, Sector, SECTOR_ALIASES, "sector")),
        min_size=min_size,
        kinds=frozenset(k for k in kinds if k),
        require_all=require_all,
    )


def criteria_parameters(criteria: FitCriteria) -> dict[str, Any]:
    return {
        "niches": sorted(criteria.specialisations),
        "sectors": sorted(criteria.sectors),
        "min_size": criteria.min_size,
        "kinds": sorted(criteria.kinds),
        "require_all": criteria.require_all,
    }


def criteria_from_parameters(parameters: dict[str, Any]) -> FitCriteria:
    return fit_criteria(
        niches=parameters.get("niches") or (),
        sectors=parameters.get("sectors") or (),
        min_size=parameters.get("min_size") or "",
        kinds=parameters.get("kinds") or (),
        require_all=bool(parameters.get("require_all")),
    )


@lru_cache(maxsize=1)
def territories() -> tuple[Territory, ...]:
    """Cities, regions, federal districts and countries of the bundled geography."""
    return tuple(default_territories())


# Regional ---------------------------------------------------------------------------------------


def regional_selection(
    *,
    quotas: Sequence[str],
    criteria: FitCriteria | None = None,
    top: int = 10,
    records: dict[int, PartnerRecord] | None = None,
) -> dict[str, Any]:
    """The gap report of every quota: have, need, gap and ranked candidates per territory."""
    try:
        parsed = [parse_quota(text) for text in quotas]
    except QuotaError as exc:
        raise SelectionError.wrap(exc) from exc
    if not parsed:
        raise SelectionError("no_quota", "give at least one quota, e.g. city:1000000:5")
    records = partner_records() if records is None else records
    partners = list(records.values())
    criteria = criteria or FitCriteria()
    reports = []
    entries: dict[int, dict[str, Any]] = {}
    for text, quota in zip(quotas, parsed, strict=True):
        # A ranked tuple per company of the register: keep the cyclic collector off meanwhile.
        gaps = without_gc(
            partial(regional_gaps, partners, quota, territories(), criteria=criteria, top=top)
        )
        rows: list[dict[str, Any]] = []
        for gap in gaps:
            territory = gap.territory
            rows.append(
                {
                    "type": territory.type,
                    "key": territory.key,
                    "name": territory.name,
                    "population": territory.population,
                    "lat": territory.lat,
                    "lon": territory.lon,
                    "have": gap.have,
                    "need": gap.need,
                    "gap": gap.gap,
                    "available": gap.available,
                    "recruited": gap.recruited,
                    "recruited_at_branches": gap.recruited_at_branches,
                    "candidates": [asdict(c) for c in gap.candidates],
                }
            )
            if gap.gap:
                for candidate in gap.candidates:
                    entries.setdefault(
                        int(candidate.id),
                        {
                            "company_id": int(candidate.id),
                            "name": candidate.name,
                            "score": candidate.score,
                            "territory": territory.name,
                            "reasons": candidate.reasons,
                            "warnings": candidate.warnings,
                        },
                    )
        reports.append(
            {
                "quota": text,
                "description": quota.describe(),
                "territories": len(rows),
                "territories_with_gap": sum(1 for r in rows if r["gap"]),
                "total_need": sum(r["need"] for r in rows),
                "total_have": sum(min(r["have"], r["need"]) for r in rows),
                "total_gap": sum(r["gap"] for r in rows),
                "gaps": rows,
            }
        )
    return {
        "approach": "regional",
        "parameters": {"quotas": list(quotas), "top": top, **criteria_parameters(criteria)},
        "quotas": reports,
        "entries": list(entries.values()),
    }


# Specialisation ---------------------------------------------------------------------------------


def specialisation_selection(
    *,
    criteria: FitCriteria,
    limit: int = 25,
    include_recruited: bool = False,
    records: dict[int, PartnerRecord] | None = None,
) -> dict[str, Any]:
    if not criteria.specialisations and not (criteria.sectors - {"enterprise", "smb", "public"}):
        raise SelectionError("no_niche", "name a niche (--niche) or a vertical (--sector)")
    records = partner_records() if records is None else records
    shortlist = specialisation_shortlist(
        list(records.values()), criteria, limit=limit, include_recruited=include_recruited
    )
    entries = [
        {
            "company_id": int(entry.id),
            "name": entry.name,
            "score": entry.score,
            "territory": records[int(entry.id)].city,
            "niche_vendors": entry.niche_vendors,
            "best_rank": entry.best_rank,
            "recruited": records[int(entry.id)].recruited,
            "reasons": entry.reasons,
            "warnings": entry.warnings,
        }
        for entry in shortlist
    ]
    return {
        "approach": "specialisation",
        "parameters": {
            "limit": limit,
            "include_recruited": include_recruited,
            **criteria_parameters(criteria),
        },
        "entries": entries,
    }


# Customer-driven --------------------------------------------------------------------------------


def unlinked_supplier_id(name: str, inn: str) -> str:
    return f"inn:{inn}" if inn else f"name:{name.strip().lower()}"


def customer_selection(*, customer_ids: Iterable[int] | None = None) -> dict[str, Any]:
    """Partners ranked by the size-weighted target customers they serve; coverage per customer."""
    customers_qs = TargetCustomer.objects.all()
    if customer_ids is not None:
        customers_qs = customers_qs.filter(id__in=list(customer_ids))
    customers = list(customers_qs.values("id", "name", "size", "sector", "inn"))
    relations = list(
        SupplyRelation.objects.filter(customer_id__in=[c["id"] for c in customers]).values_list(
            "customer_id", "company_id", "supplier_name", "supplier_inn", "source"
        )
    )
    company_ids = {company_id for _c, company_id, *_rest in relations if company_id}
    records: dict[int | str, PartnerRecord] = {
        k: v for k, v in partner_records(company_ids=company_ids).items()
    }
    names: dict[int | str, str] = {}
    supply = []
    for customer_id, company_id, name, inn, source in relations:
        partner: int | str = company_id or unlinked_supplier_id(name, inn)
        if not company_id:
            names[partner] = name or inn
        supply.append(SupplyRecord(customer_id=customer_id, partner_id=partner, source=source))
    result = customer_driven_selection(
        [
            CustomerRecord(id=c["id"], name=c["name"], size=c["size"], sector=c["sector"])
            for c in customers
        ],
        supply,
        records,
    )
    partners = []
    for reach in result.partners:
        in_register = isinstance(reach.id, int)
        partners.append(
            {
                "company_id": reach.id if in_register else None,
                "name": reach.name if in_register else names.get(reach.id, str(reach.id)),
                "in_register": in_register,
                "customers": reach.customers,
                "customer_count": len(reach.customers),
                "weighted": reach.weighted,
                "recruited": reach.recruited,
            }
        )
    customer_rows = [
        {
            "id": c.id,
            "name": c.name,
            "size": c.size,
            "suppliers": len(c.suppliers),
            "recruited_suppliers": [p for p in c.recruited_suppliers if isinstance(p, int)],
            "covered": c.covered,
            "completeness": c.completeness,
            "note": c.note,
        }
        for c in result.customers
    ]
    entries = [
        {
            "company_id": p["company_id"],
            "name": p["name"],
            "score": p["weighted"],
            "territory": "",
            "reasons": [f"serves {p['customer_count']} target customer(s)"],
            "warnings": [],
        }
        for p in partners
        if p["in_register"] and not p["recruited"]
    ]
    return {
        "approach": "customers",
        "parameters": {"customers": len(customers)},
        "covered_share": round(result.covered_share, 4),
        "partners": partners,
        "customers": customer_rows,
        "entries": entries,
    }


# Phased -----------------------------------------------------------------------------------------


def funnel_definitions() -> list[FunnelStageDefinition]:
    return list(FunnelStageDefinition.objects.order_by("order", "key"))


def funnel(definitions: Sequence[FunnelStageDefinition] | None = None) -> tuple[FunnelStage, ...]:
    """The user's funnel as the engine reads it (rules were validated when saved)."""
    definitions = funnel_definitions() if definitions is None else definitions
    return tuple(
        FunnelStage(
            key=d.key,
            name=d.label,
            rules=tuple(StageRule.parse(line) for line in d.rule_lines()),
        )
        for d in definitions
    )


def stage_history(*, company_id: int) -> QuerySet[StageHistory]:
    return (
        StageHistory.objects.filter(company_id=company_id)
        .select_related("from_stage", "to_stage", "user")
        .order_by("moved_on", "id")
    )


def _month_points(first: date, last: date) -> list[date]:
    points = []
    current = date(first.year, first.month, 1)
    while current <= last:
        nxt = date(current.year + (current.month == 12), current.month % 12 + 1, 1)
        points.append(min(nxt - timedelta(days=1), last))
        current = nxt
    return points


def stage_counts_by_month() -> list[dict[str, Any]]:
    """Partners per stage at the end of every month since the first recorded move."""
    history: list[tuple[int, date, str]] = list(
        StageHistory.objects.values_list("company_id", "moved_on", "to_stage__key")
    )
    if not history:
        return []
    today = timezone.localdate()
    first = min(day for _c, day, _s in history)
    points = _month_points(first, today)[-36:]
    counts = stage_counts_over_time(history, points)
    return [
        {"date": day.isoformat(), "stage": stage, "count": n}
        for day, per_stage in zip(points, counts, strict=True)
        for stage, n in sorted(per_stage.items())
    ]


def phased_selection(*, evaluate: bool = False) -> dict[str, Any]:
    """The funnel board (stages with their partners) and, on request, the moves rules propose."""
    definitions = funnel_definitions()
    stages = funnel(definitions)
    rows = list(
        Partnership.objects.values_list(
            "company_id", "company__display_name", "company__city_name", "stage__key"
        ).order_by("company__display_name")
    )
    current = {company_id: stage for company_id, _n, _c, stage in rows}
    board = []
    for definition in definitions:
        cards = [
            {"company_id": cid, "name": name, "city": city}
            for cid, name, city, stage in rows
            if stage == definition.key
        ]
        board.append(
            {
                "key": definition.key,
                "name": definition.label,
                "rules": definition.rule_lines(),
                "counts_as_recruited": definition.counts_as_recruited,
                "count": len(cards),
                "partners": cards,
            }
        )
    result: dict[str, Any] = {
        "approach": "phased",
        "parameters": {"evaluate": evaluate},
        "stages": board,
        "entries": [],
    }
    if evaluate:
        records = partner_records(company_ids=current)
        moves = propose_moves(list(records.values()), current, stages)
        result["moves"] = [asdict(m) for m in moves]
        result["entries"] = [
            {
                "company_id": int(m.id),
                "name": m.name,
                "score": 0.0,
                "territory": "",
                "reasons": [f"{m.direction}: {m.from_stage} → {m.to_stage}"],
                "warnings": [f"lacks {item}" for item in m.lacking],
            }
            for m in moves
            if m.direction == "promote"
        ]
    return result


# Shortlists -------------------------------------------------------------------------------------


def shortlist_list() -> QuerySet[Shortlist]:
    from django.db.models import Count

    return Shortlist.objects.annotate(size=Count("entries")).order_by("-created_at", "-id")


def shortlist_entries(*, shortlist: Shortlist) -> QuerySet[ShortlistEntry]:
    return shortlist.entries.select_related("company").order_by("rank")


def shortlist_company_ids(*, shortlist: Shortlist) -> list[int]:
    """The companies of a shortlist in rank order (a mailing audience)."""
    return list(shortlist.entries.order_by("rank").values_list("company_id", flat=True))


SHORTLIST_COLUMNS = [
    "rank",
    "company_id",
    "name",
    "inn",
    "city",
    "region",
    "federal_district",
    "country",
    "website",
    "score",
    "territory",
    "reasons",
    "warnings",
]


def shortlist_export_table(*, shortlist: Shortlist) -> tuple[list[str], Iterable[list[Any]]]:
    def rows() -> Iterable[list[Any]]:
        for entry in shortlist_entries(shortlist=shortlist):
            company = entry.company
            yield [
                entry.rank,
                company.pk,
                company.display_name,
                company.inn,
                company.city_name,
                company.region,
                company.federal_district,
                company.country,
                company.primary_domain,
                entry.score,
                entry.territory,
                "; ".join(entry.reasons),
                "; ".join(entry.warnings),
            ]

    return list(SHORTLIST_COLUMNS), rows()


def city_points() -> list[dict[str, Any]]:
    """Every bundled city as a faint background point: the outline of Russia and the CIS."""
    return [
        {"lon": c.lon, "lat": c.lat, "name": c.name_ru}
        for c in geo.cities()
        if c.lat is not None and c.lon is not None
    ]


def selection_run(*, approach: str, parameters: dict[str, Any]) -> dict[str, Any]:
    """Run an approach from stored or submitted parameters (the keys each result reports)."""
    if approach == "customers":
        return customer_selection()
    if approach == "phased":
        return phased_selection(evaluate=bool(parameters.get("evaluate")))
    criteria = criteria_from_parameters(parameters)
    if approach == "regional":
        quotas = parameters.get("quotas") or []
        if isinstance(quotas, str):
            quotas = [quotas]
        return regional_selection(
            quotas=list(quotas), criteria=criteria, top=int(parameters.get("top") or 10)
        )
    if approach == "specialisation":
        return specialisation_selection(
            criteria=criteria,
            limit=int(parameters.get("limit") or 25),
            include_recruited=bool(parameters.get("include_recruited")),
        )
    raise SelectionError("unknown_approach", f"unknown approach {approach!r}", approach=approach)
