"""Reads: merged catalogue, strategies as engine objects, findings, targets, programme."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any
from urllib.parse import urlencode

from django.db.models import Q, QuerySet
from django.utils import timezone, translation

from partnernet.apps.register.models import Company
from partnernet.engines.strategy import catalogue as engine_catalogue
from partnernet.engines.strategy import program as engine_program
from partnernet.engines.strategy.compose import Choice, Finding, Goal, check
from partnernet.engines.strategy.compose import Strategy as EngineStrategy

from .models import (
    Certification,
    Dimension,
    PartnerStanding,
    ProgramLevel,
    Strategy,
    Tactic,
    TargetMetric,
)
from .targets import (  # noqa: F401  (the targets' reads, re-exported for callers of selectors)
    TargetProgress,
    strategy_targets_progress,
    target_current_value,
    target_label,
    target_measure,
    target_progress,
)


def current_language() -> str:
    return "en" if (translation.get_language() or "ru").startswith("en") else "ru"


def _bilingual(ru: str, en: str) -> dict[str, str]:
    return {k: v for k, v in (("ru", ru), ("en", en)) if v}


def user_catalogue_data() -> dict[str, Any]:
    """Users' own dimensions and tactics in the engine's catalogue format."""
    dims: dict[str, dict[str, Any]] = {}
    for dim in Dimension.objects.all():
        dims[dim.key] = {
            "key": dim.key,
            "name": _bilingual(dim.name_ru, dim.name_en),
            "description": _bilingual(dim.description_ru, dim.description_en) or None,
            "roles": list(dim.roles or []) or None,
            "tactics": [],
        }
    for tactic in Tactic.objects.all():
        entry = dims.setdefault(tactic.dimension, {"key": tactic.dimension, "tactics": []})
        entry["tactics"].append(
            {
                "key": tactic.key,
                "name": _bilingual(tactic.name_ru, tactic.name_en),
                "description": _bilingual(tactic.description_ru, tactic.description_en)
                or _bilingual(tactic.name_ru, tactic.name_en),
                "when_to_use": _bilingual(tactic.when_to_use_ru, tactic.when_to_use_en) or None,
                "roles": list(tactic.roles or []) or None,
            }
        )
    return {"dimensions": list(dims.values())}


def catalogue() -> engine_catalogue.Catalogue:
    """The shipped catalogue merged with users' dimensions and tactics."""
    return engine_catalogue.merge(engine_catalogue.default_catalogue(), user_catalogue_data())


def strategy_list() -> QuerySet[Strategy]:
    return Strategy.objects.prefetch_related("choices", "targets")


def strategy_as_engine(
    *, strategy_id: int | None = None, strategy: Strategy | None = None
) -> EngineStrategy | None:
    """A stored strategy as the engine's plain object (None if there is no such id)."""
    if strategy is None:
        if strategy_id is None:
            return None
        strategy = Strategy.objects.filter(pk=strategy_id).first()
        if strategy is None:
            return None
    goal = None
    if strategy.goal_metric or strategy.goal_target is not None or strategy.goal_horizon_years:
        goal = Goal(
            metric=strategy.goal_metric,
            target=strategy.goal_target,
            horizon_years=strategy.goal_horizon_years,
            unit=strategy.goal_unit,
            baseline=strategy.goal_baseline,
            description=strategy.goal_description,  # type: ignore[arg-type]
        )
    choices = tuple(
        Choice(
            dimension=c.dimension,
            tactics=tuple(c.tactics or ()),
            vendor_decides=c.vendor_decides,
            parameters=dict(c.parameters or {}),
            note=c.note,  # type: ignore[arg-type]
        )
        for c in strategy.choices.all()
    )
    return EngineStrategy(
        key=str(strategy.pk),
        title=strategy.title,  # type: ignore[arg-type]
        role=strategy.role,
        goal=goal,
        choices=choices,
        summary=strategy.summary,  # type: ignore[arg-type]
    )


def strategy_findings(*, strategy: Strategy) -> list[Finding]:
    engine = strategy_as_engine(strategy=strategy)
    assert engine is not None
    return check(engine, catalogue())


#: Catalogue ``measures`` that partnernet can track on its own data, and the target metric for each.
MEASURE_TO_METRIC = {
    "partner_count": TargetMetric.PARTNER_COUNT,
    "certified_partner_share": TargetMetric.CERTIFIED_PARTNER_SHARE,
    "partner_margin_pct": TargetMetric.PARTNER_MARGIN_PCT,
    "partner_count_per_level": TargetMetric.PARTNERS_AT_LEVEL,
    "partner_count_per_stage": TargetMetric.STAGE_COUNT,
    "regional_quota_coverage": TargetMetric.QUOTA_COVERED_SHARE,
}


def _suggestion_defaults(metric: str, tactic: str) -> dict[str, str]:
    """Sensible starting values of a suggested target: a limited club caps the last funnel
    stage, other tactics grow the first recruited one; a quota target reads the first active
    stored quota."""
    from partnernet.apps.selection.models import FunnelStageDefinition, Quota

    if metric == TargetMetric.STAGE_COUNT:
        stages = list(FunnelStageDefinition.objects.order_by("order", "key"))
        if not stages:
            return {}
        if tactic == "limited_club":
            return {"stage": stages[-1].key, "direction": "at_most"}
        recruited = [s for s in stages if s.counts_as_recruited] or stages
        return {"stage": recruited[0].key, "direction": "at_least"}
    if metric == TargetMetric.QUOTA_COVERED_SHARE:
        quota = Quota.objects.filter(active=True).order_by("id").first()
        return {"quota": str(quota.pk)} if quota else {}
    return {}


def suggested_targets(*, strategy: Strategy, lang: str = "ru") -> list[dict[str, Any]]:
    """Trackable metrics of the chosen tactics that have no target yet, one per metric."""
    cat = catalogue()
    tracked = set(strategy.targets.values_list("metric", flat=True))
    suggestions: dict[str, dict[str, Any]] = {}
    for choice in strategy.choices.all():
        if not cat.has_dimension(choice.dimension):
            continue
        dim = cat.dimension(choice.dimension)
        for key in choice.tactics:
            if key not in dim.tactic_keys():
                continue
            for measure in dim.tactic(key).measures:
                metric = MEASURE_TO_METRIC.get(measure)
                if metric is None or metric in tracked or metric in suggestions:
                    continue
                suggestions[metric] = {
                    "metric": str(metric),
                    "label": str(TargetMetric(metric).label),
                    "dimension": dim.key,
                    "tactic": engine_catalogue.text(dim.tactic(key).name, lang),
                    "query": urlencode(
                        {
                            "metric": str(metric),
                            "dimension": dim.key,
                            **_suggestion_defaults(metric, key),
                        }
                    ),
                }
    return list(suggestions.values())


def program_levels() -> list[engine_program.Level]:
    return [
        engine_program.Level(
            key=level.key,
            name=level.name,
            rank=level.rank,
            requirements=engine_program.Requirements(
                yearly_sales=level.min_yearly_sales,
                certified_sales=level.min_certified_sales,
                certified_engineers=level.min_certified_engineers,
                marketing_activities=level.min_marketing_activities,
            ),
            benefits=engine_program.Benefits(
                discount_pct=level.discount_pct,
                margin_parameters=dict(level.margin_parameters or {}),
                notes=level.benefits,
            ),
        )
        for level in ProgramLevel.objects.all()
    ]


def program_report(
    *, on: date | None = None, vendor: str | None = None, company_ids: Any = None
) -> dict[str, Any]:
    """The engine's programme report for every partner with a standing (or those of
    ``company_ids``)."""
    certs: dict[int, list[engine_program.Certification]] = {}
    cert_rows = Certification.objects.select_related("vendor")
    standings = PartnerStanding.objects.select_related("company", "level")
    if company_ids is not None:
        cert_rows = cert_rows.filter(company_id__in=list(company_ids))
        standings = standings.filter(company_id__in=list(company_ids))
    for cert in cert_rows:
        certs.setdefault(cert.company_id, []).append(
            engine_program.Certification(
                person=cert.person,
                role=cert.role,
                vendor=cert.vendor.name if cert.vendor else "",
                course=cert.course,
                provider=cert.provider,
                issued=cert.issued,
                expires=cert.expires,
            )
        )
    partners = [
        engine_program.PartnerFacts(
            id=str(s.company_id),
            name=s.company.display_name,
            current_level=s.level.key if s.level else None,
            yearly_sales=s.yearly_sales,
            marketing_activities=s.marketing_activities,
            certified_sales=0,
            certified_engineers=0,
            certifications=tuple(certs.get(s.company_id, ())),
        )
        for s in standings
    ]
    return engine_program.report(
        partners, program_levels(), on=on or timezone.localdate(), vendor=vendor
    )


def company_by_ref(ref: str) -> Company | None:
    """A register company by INN (10 or 12 digits) or by its id; merged companies resolve to
    the company they were merged into."""
    ref = ref.strip()
    company = None
    if ref.isdigit() and len(ref) in (10, 12):
        company = Company.objects.filter(inn=ref).order_by("pk").first()
    if company is None and ref.isdigit():
        company = Company.objects.filter(pk=int(ref)).first()
    while company is not None and company.merged_into_id:  # type: ignore[attr-defined]
        company = company.merged_into
    return company


CERTIFICATION_VALIDITY = ("valid", "expiring", "expired")
EXPIRING_DAYS = 90


def certification_list(
    *,
    q: str = "",
    company_id: int | None = None,
    vendor_id: int | None = None,
    provider: str = "",
    role: str = "",
    validity: str = "",
    today: date | None = None,
) -> QuerySet[Certification]:
    """Certifications filtered as on the list page; ``validity``: valid today, expiring within
    90 days, or expired."""
    rows = Certification.objects.select_related("company", "vendor", "contact").order_by(
        "company__display_name", "person", "-issued"
    )
    return certification_filter(
        rows,
        q=q,
        company_id=company_id,
        vendor_id=vendor_id,
        provider=provider,
        role=role,
        validity=validity,
        today=today,
    )


def certification_filter(
    rows: QuerySet[Certification],
    *,
    q: str = "",
    company_id: int | None = None,
    vendor_id: int | None = None,
    provider: str = "",
    role: str = "",
    validity: str = "",
    today: date | None = None,
) -> QuerySet[Certification]:
    """The list page's filters on any certification queryset (the API's FilterSet uses them
    too, so both answer alike)."""
    today = today or timezone.localdate()
    if q:
        rows = rows.filter(
            Q(person__icontains=q)
            | Q(company__display_name__icontains=q)
            | Q(course__icontains=q)
            | Q(company__inn=q)
        )
    if company_id:
        rows = rows.filter(company_id=company_id)
    if vendor_id:
        rows = rows.filter(vendor_id=vendor_id)
    if provider:
        rows = rows.filter(provider=provider)
    if role:
        rows = rows.filter(role=role)
    if validity in ("valid", "expiring"):
        rows = rows.exclude(expires__lt=today).exclude(issued__gt=today)
    if validity == "expiring":
        rows = rows.filter(expires__lte=today + timedelta(days=EXPIRING_DAYS))
    if validity == "expired":
        rows = rows.filter(expires__lt=today)
    return rows


CERTIFICATION_COLUMNS = [
    "id",
    "company_id",
    "company",
    "inn",
    "person",
    "contact_id",
    "role",
    "vendor",
    "course",
    "provider",
    "certificate_number",
    "issued",
    "expires",
    "valid_today",
]


def certification_export_table(
    queryset: QuerySet[Certification], *, today: date | None = None
) -> tuple[list[str], Iterable[list[Any]]]:
    today = today or timezone.localdate()

    def rows() -> Iterable[list[Any]]:
        for cert in queryset:
            valid = (cert.issued is None or cert.issued <= today) and (
                cert.expires is None or cert.expires >= today
            )
            yield [
                cert.pk,
                cert.company_id,
                cert.company.display_name,
                cert.company.inn,
                cert.person,
                cert.contact_id or "",
                cert.role,
                cert.vendor.name if cert.vendor else "",
                cert.course,
                cert.provider,
                cert.certificate_number,
                cert.issued.isoformat() if cert.issued else "",
                cert.expires.isoformat() if cert.expires else "",
                "yes" if valid else "no",
            ]

    return list(CERTIFICATION_COLUMNS), rows()


PROGRAM_REPORT_COLUMNS = [
    "company_id",
    "inn",
    "partner",
    "current_level",
    "qualifies_for",
    "movement",
    "next_level",
    "lacks_for_next_level",
    "lacks_to_keep_current_level",
    "yearly_sales",
    "certified_sales",
    "certified_engineers",
    "marketing_activities",
]
DUE_MOVES = ("promote", "enter", "demote", "leave")


def _gaps_text(gaps: list[dict[str, Any]], lang: str) -> str:
    return "; ".join(f"{g['label'][lang]}: {g['actual']} / {g['required']}" for g in gaps)


def program_report_export_table(
    report: dict[str, Any], *, due_only: bool = True, lang: str = "ru"
) -> tuple[list[str], Iterable[list[Any]]]:
    """The programme report as a table: partners due for promotion or demotion (or all)."""
    levels = {level.key: level.name for level in ProgramLevel.objects.all()}
    inns = dict(
        Company.objects.filter(
            pk__in=[int(p["partner_id"]) for p in report["partners"]]
        ).values_list("pk", "inn")
    )

    def rows() -> Iterable[list[Any]]:
        for ev in report["partners"]:
            if due_only and ev["movement"] not in DUE_MOVES:
                continue
            actual = ev["actual"]
            yield [
                ev["partner_id"],
                inns.get(int(ev["partner_id"]), ""),
                ev["partner_name"],
                levels.get(ev["current_level"] or "", ""),
                levels.get(ev["qualifying_level"] or "", ""),
                ev["movement"],
                levels.get(ev["next_level"] or "", ""),
                _gaps_text(ev["gaps_to_next"], lang),
                _gaps_text(ev["gaps_to_current"], lang),
                actual["yearly_sales"],
                actual["certified_sales"],
                actual["certified_engineers"],
                actual["marketing_activities"],
            ]

    return list(PROGRAM_REPORT_COLUMNS), rows()
