"""Reads: the current value of a strategy's targets, from the register, partner selection,
the programme and saved deal calculations.

Every measurement says plainly when there is nothing to measure yet (no partnerships in
partner selection, no saved deals, no standings): a target then shows a note, not a 0% bar
that would read as "we failed".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import Avg
from django.utils import timezone
from django.utils.translation import gettext as _

from partnernet.apps.register.models import Authorisation
from partnernet.apps.selection import selectors as selection_selectors
from partnernet.apps.selection.models import FunnelStageDefinition, Partnership

from . import charts
from .models import (
    Certification,
    DealCalculation,
    PartnerStanding,
    Target,
    TargetDirection,
    TargetMetric,
)

RECENT_DEALS_DAYS = 90
#: Metrics where less is better unless the target says otherwise.
LOWER_IS_BETTER = {TargetMetric.DEALS_BELOW_FLOOR, TargetMetric.QUOTA_GAP}
#: The target fields each metric reads (the form shows only these).
METRIC_FIELDS: dict[str, tuple[str, ...]] = {
    TargetMetric.PARTNER_COUNT: ("vendor", "min_level_rank"),
    TargetMetric.CERTIFIED_PARTNER_SHARE: ("vendor", "stage", "include_later_stages"),
    TargetMetric.PARTNER_MARGIN_PCT: (),
    TargetMetric.DEALS_BELOW_FLOOR: (),
    TargetMetric.PARTNERS_AT_LEVEL: ("level",),
    TargetMetric.STAGE_COUNT: ("stage", "include_later_stages"),
    TargetMetric.QUOTA_COVERED_SHARE: ("quota",),
    TargetMetric.QUOTA_GAP: ("quota",),
}
HUNDRED = Decimal(100)
CENT = Decimal("0.01")


@dataclass(frozen=True)
class Measurement:
    value: Decimal | None
    note: str = ""  # why there is no value, or a caveat
    detail: str = ""  # what the value is made of, e.g. "12 of 20 territories"
    chart: dict[str, Any] | None = None


@dataclass(frozen=True)
class TargetProgress:
    target: Target
    current: Decimal | None
    progress_pct: Decimal | None  # 0–100, None when not computable
    note: str = ""
    detail: str = ""
    met: bool | None = None
    direction: str = TargetDirection.AT_LEAST
    chart: dict[str, Any] | None = field(default=None, compare=False)


def direction(target: Target) -> str:
    if target.direction:
        return target.direction
    return TargetDirection.AT_MOST if target.metric in LOWER_IS_BETTER else TargetDirection.AT_LEAST


def no_partnerships_note() -> str:
    return _(
        "Partner selection has no partnerships yet: record your partners and their funnel "
        "stages there first."
    )


def _stage_ids(target: Target) -> list[int]:
    """The funnel stage of the target, and the later ones when it says so."""
    assert target.stage is not None
    if not target.include_later_stages:
        return [target.stage.pk]
    stages = list(FunnelStageDefinition.objects.order_by("order", "key"))
    index = next(i for i, s in enumerate(stages) if s.pk == target.stage.pk)
    return [s.pk for s in stages[index:]]


def _stage_label(target: Target) -> str:
    if target.stage is None:
        return ""
    if target.include_later_stages:
        return _("%(stage)s and later") % {"stage": target.stage.label}
    return target.stage.label


def _of(text: str, part: int, whole: int) -> str:
    return text % {"part": part, "whole": whole}


def _partner_count(target: Target) -> Measurement:
    auths = Authorisation.objects.filter(
        company__merged_into__isnull=True, level_rank__gte=target.min_level_rank
    )
    if target.vendor_id:
        auths = auths.filter(vendor_id=target.vendor_id)
    elif not Authorisation.objects.exists():
        return Measurement(None, _("The register has no vendor authorisations yet."))
    return Measurement(Decimal(auths.values("company").distinct().count()))


def _certified_share(target: Target, today: date) -> Measurement:
    if target.vendor_id:
        partners = set(
            Authorisation.objects.filter(
                vendor_id=target.vendor_id, company__merged_into__isnull=True
            ).values_list("company_id", flat=True)
        )
        empty = _("The vendor has no authorised partners in the register.")
    elif target.stage is not None:
        if not Partnership.objects.exists():
            return Measurement(None, no_partnerships_note())
        partners = set(
            Partnership.objects.filter(stage_id__in=_stage_ids(target)).values_list(
                "company_id", flat=True
            )
        )
        empty = _("No partner is at this funnel stage yet.")
    else:
        # Partners in the programme and partners recruited in partner selection.
        partners = set(PartnerStanding.objects.values_list("company_id", flat=True))
        partners |= set(
            Partnership.objects.filter(stage__counts_as_recruited=True).values_list(
                "company_id", flat=True
            )
        )
        empty = _(
            "No partners to measure yet: add partners to the programme or recruit them in "
            "partner selection."
        )
    if not partners:
        return Measurement(None, empty)
    certs = Certification.objects.filter(company_id__in=partners).exclude(expires__lt=today)
    certs = certs.exclude(issued__gt=today)
    if target.vendor_id:
        certs = certs.filter(vendor_id=target.vendor_id)
    certified = set(certs.values_list("company_id", flat=True))
    share = (Decimal(len(certified)) * HUNDRED / len(partners)).quantize(CENT)
    return Measurement(
        share,
        detail=_of(_("certified: %(part)s of %(whole)s partners"), len(certified), len(partners)),
    )


def _recent_deals() -> Any:
    since = timezone.now() - timedelta(days=RECENT_DEALS_DAYS)
    return DealCalculation.objects.filter(created__gte=since)


def _no_deals_note() -> str:
    return _(
        "No deal calculations saved in the last %(days)s days: save deals from the margin "
        "calculator."
    ) % {"days": RECENT_DEALS_DAYS}


def _partner_margin(target: Target) -> Measurement:
    deals = list(
        _recent_deals()
        .exclude(partner_margin_pct__isnull=True)
        .order_by("created")
        .values("created", "partner_margin_pct", "title", "below_floor")
    )
    if not deals:
        return Measurement(None, _no_deals_note())
    average = (
        _recent_deals()
        .exclude(partner_margin_pct__isnull=True)
        .aggregate(v=Avg("partner_margin_pct"))["v"]
    )
    chart = None
    if len(deals) >= 2:
        chart = charts.deal_margins_spec(
            [
                {
                    "date": d["created"].date().isoformat(),
                    "margin": float(d["partner_margin_pct"]),
                    "deal": d["title"] or "—",
                    "below": bool(d["below_floor"]),
                }
                for d in deals
            ],
            target=float(target.target_value),
            labels={"date": _("Date"), "margin": _("Partner margin, %"), "deal": _("Deal")},
        )
    return Measurement(
        Decimal(average).quantize(CENT),
        detail=_("%(n)s deals in %(days)s days") % {"n": len(deals), "days": RECENT_DEALS_DAYS},
        chart=chart,
    )


def _deals_below_floor() -> Measurement:
    recent = _recent_deals()
    total = recent.count()
    if not total:
        return Measurement(None, _no_deals_note())
    below = recent.filter(below_floor=True).count()
    return Measurement(
        Decimal(below), detail=_of(_("below the floor: %(part)s of %(whole)s deals"), below, total)
    )


def _partners_at_level(target: Target) -> Measurement:
    if target.level is None:
        return Measurement(None, _("Choose a programme level."))
    total = PartnerStanding.objects.count()
    if not total:
        return Measurement(None, _("No partner is in the programme yet."))
    at = PartnerStanding.objects.filter(level__rank__gte=target.level.rank).count()
    return Measurement(
        Decimal(at),
        detail=_of(_("at this level or higher: %(part)s of %(whole)s partners"), at, total),
    )


def _stage_count(target: Target) -> Measurement:
    if target.stage is None:
        return Measurement(None, _("Choose a funnel stage."))
    total = Partnership.objects.count()
    if not total:
        return Measurement(None, no_partnerships_note())
    stage_ids = _stage_ids(target)
    count = Partnership.objects.filter(stage_id__in=stage_ids).count()
    keys = set(FunnelStageDefinition.objects.filter(pk__in=stage_ids).values_list("key", flat=True))
    per_month: dict[str, int] = {}
    for row in selection_selectors.stage_counts_by_month():
        if row["stage"] in keys:
            per_month[row["date"]] = per_month.get(row["date"], 0) + row["count"]
        else:
            per_month.setdefault(row["date"], 0)
    chart = None
    if len(per_month) >= 2:
        chart = charts.target_history_spec(
            [{"date": day, "value": n} for day, n in sorted(per_month.items())],
            target=float(target.target_value),
            labels={"date": _("Month"), "value": _stage_label(target)},
        )
    return Measurement(
        Decimal(count),
        detail=_of(_("at the stage: %(part)s of %(whole)s partnerships"), count, total),
        chart=chart,
    )


def _quota_report(target: Target, cache: dict[Any, Any]) -> dict[str, Any] | str:
    """The selection's gap report for the target's stored quota, or a note why there is none."""
    quota = target.quota
    if quota is None:
        return _("Choose a stored regional quota (partner selection → regional).")
    if not Partnership.objects.exists():
        return no_partnerships_note()
    key = ("quota", quota.pk, quota.spec, repr(sorted((quota.criteria or {}).items())))
    if key not in cache:
        try:
            criteria = selection_selectors.criteria_from_parameters(quota.criteria or {})
            result = selection_selectors.regional_selection(
                quotas=[quota.spec], criteria=criteria, top=0
            )
        except selection_selectors.SelectionError as exc:
            cache[key] = _("The quota cannot be evaluated: %(error)s") % {"error": exc}
        else:
            cache[key] = result["quotas"][0]
    report: dict[str, Any] | str = cache[key]
    return report


def _quota_chart(report: dict[str, Any]) -> dict[str, Any] | None:
    rows = sorted(report["gaps"], key=lambda r: (-r["gap"], -(r["population"] or 0)))
    shown = [r for r in rows if r["gap"]][:15]
    if not shown:
        return None
    return charts.quota_gaps_spec(
        [
            {"territory": r["name"], "have": min(r["have"], r["need"]), "gap": r["gap"]}
            for r in shown
        ],
        labels={"have": _("have"), "gap": _("missing"), "partners": _("partners")},
    )


def _quota(target: Target, cache: dict[Any, Any]) -> Measurement:
    report = _quota_report(target, cache)
    if isinstance(report, str):
        return Measurement(None, report)
    territories = report["territories"]
    if not territories:
        return Measurement(None, _("The quota covers no territory."))
    filled = territories - report["territories_with_gap"]
    note = "" if target.quota is None or target.quota.active else _("The quota is not active.")
    if target.metric == TargetMetric.QUOTA_GAP:
        value = Decimal(report["total_gap"])
        detail = _of(
            _("recruited: %(part)s of %(whole)s partners needed"),
            report["total_have"],
            report["total_need"],
        )
    else:
        value = (Decimal(filled) * HUNDRED / territories).quantize(CENT)
        detail = _of(_("without a gap: %(part)s of %(whole)s territories"), filled, territories)
    return Measurement(value, note=note, detail=detail, chart=_quota_chart(report))


def target_measure(
    *, target: Target, today: date | None = None, cache: dict[Any, Any] | None = None
) -> Measurement:
    """The target's current value with what it is made of, or a note why there is none."""
    today = today or timezone.localdate()
    cache = {} if cache is None else cache
    metric = target.metric
    if metric == TargetMetric.PARTNER_COUNT:
        return _partner_count(target)
    if metric == TargetMetric.CERTIFIED_PARTNER_SHARE:
        return _certified_share(target, today)
    if metric == TargetMetric.PARTNER_MARGIN_PCT:
        return _partner_margin(target)
    if metric == TargetMetric.DEALS_BELOW_FLOOR:
        return _deals_below_floor()
    if metric == TargetMetric.PARTNERS_AT_LEVEL:
        return _partners_at_level(target)
    if metric == TargetMetric.STAGE_COUNT:
        return _stage_count(target)
    if metric in (TargetMetric.QUOTA_COVERED_SHARE, TargetMetric.QUOTA_GAP):
        return _quota(target, cache)
    return Measurement(None, _("Unknown metric."))


def target_current_value(*, target: Target, today: date | None = None) -> Decimal | None:
    return target_measure(target=target, today=today).value


def progress_pct(current: Decimal, goal: Decimal, way: str, baseline: Decimal | None) -> Decimal:
    """How far along the target is, 0–100.

    At most: 100 while the value stays within the limit, else the limit's share of the value.
    At least: the way from the baseline (0 if none) to the goal.
    """
    if way == TargetDirection.AT_MOST:
        # current > goal >= 0 in the second branch, so the division is safe
        pct = HUNDRED if current <= goal else goal * HUNDRED / current
    else:
        start = baseline or Decimal(0)
        span = goal - start
        pct = HUNDRED if span <= 0 or current >= goal else (current - start) * HUNDRED / span
    return max(Decimal(0), min(HUNDRED, pct)).quantize(Decimal("1"))


def target_progress(
    *, target: Target, today: date | None = None, cache: dict[Any, Any] | None = None
) -> TargetProgress:
    measured = target_measure(target=target, today=today, cache=cache)
    way = direction(target)
    if measured.value is None:
        return TargetProgress(
            target, None, None, note=measured.note, detail=measured.detail, direction=way
        )
    current, goal = measured.value, target.target_value
    met = current <= goal if way == TargetDirection.AT_MOST else current >= goal
    return TargetProgress(
        target,
        current,
        progress_pct(current, goal, way, target.baseline),
        note=measured.note,
        detail=measured.detail,
        met=met,
        direction=way,
        chart=measured.chart,
    )


def strategy_targets_progress(*, strategy: Any, today: date | None = None) -> list[TargetProgress]:
    """Progress of every target of a strategy (one quota report per quota, however many
    targets read it)."""
    cache: dict[Any, Any] = {}
    return [
        target_progress(target=t, today=today, cache=cache)
        for t in strategy.targets.select_related("vendor", "level", "stage", "quota")
    ]


def target_label(target: Target) -> str:
    """The metric with what it is restricted to, e.g. "partners at a funnel stage · VIP club"."""
    parts = [str(target.get_metric_display())]
    if target.vendor_id and target.vendor is not None:
        parts.append(str(target.vendor))
    if target.level_id and target.level is not None:
        parts.append(str(target.level))
    if target.metric in (TargetMetric.STAGE_COUNT, TargetMetric.CERTIFIED_PARTNER_SHARE):
        stage = _stage_label(target)
        if stage:
            parts.append(stage)
    if target.quota_id and target.quota is not None:
        parts.append(str(target.quota))
    if target.metric == TargetMetric.PARTNER_COUNT and target.min_level_rank:
        parts.append(_("status rank ≥ %(rank)s") % {"rank": target.min_level_rank})
    return " · ".join(parts)
