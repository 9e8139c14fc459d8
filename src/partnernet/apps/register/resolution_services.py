"""Entity resolution in the register: re-run resolution, review decisions, merge, un-merge.

- :func:`resolution_run` resolves every current source row with the Splink engine, merges the
  companies the model puts together, queues the uncertain pairs for review, and reports what
  changed. Decisions already taken in the review queue are passed to the engine: accepted
  pairs end in one company, rejected pairs never do.
- :func:`review_decide` stores a person's decision on a review pair (and merges on "same").
- :func:`company_merge` / :func:`company_unmerge` move a company's rows, facts and
  authorisations into another and back, exactly, with the change log saying who and why.
"""

from __future__ import annotations

import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from typing import Any

from django.db import transaction
from django.db.models import Model
from django.utils import timezone

from partnernet.apps.audit.models import ChangeAction
from partnernet.apps.audit.services import audit_record
from partnernet.engines.resolution.linker import SplinkResolver
from partnernet.engines.resolution.records import CompanyRecord

from .models import (
    Authorisation,
    Company,
    CompanyDomain,
    CompanyEmail,
    CompanyIdentifier,
    CompanyLocation,
    CompanyName,
    CompanyPhone,
    CompanySector,
    CompanySpecialisation,
    SourceRow,
)
from .models_resolution import CompanyMerge, ReviewPair, ReviewReason, ReviewStatus
from .resolution_linking import model_resolver
from .services import company_refresh

# Facts move unless the kept company already has the same one (their unique keys).
_MOVABLE: tuple[tuple[type[Model], tuple[str, ...]], ...] = (
    (CompanyName, ("name",)),
    (CompanyIdentifier, ("kind", "value")),
    (CompanyDomain, ("domain",)),
    (CompanyPhone, ("number",)),
    (CompanyEmail, ("address",)),
    (CompanyLocation, ("city_key", "region")),
    (CompanySpecialisation, ("specialisation",)),
    (CompanySector, ("sector",)),
    (Authorisation, ("vendor", "source")),
)
Progress = Callable[[int], None]


def _label(model: type[Model]) -> str:
    return model._meta.label_lower


@transaction.atomic
def company_merge(
    *, target: Company, absorbed: Company, user: Any = None, reason: str = ""
) -> CompanyMerge:
    """Merge ``absorbed`` into ``target``: every source row, fact and authorisation moves
    (a fact the target already has stays behind, so nothing is lost); ``absorbed`` keeps
    existing, marked as merged, for un-merge."""
    if target.pk == absorbed.pk:
        raise ValueError("a company cannot be merged into itself")
    if absorbed.merged_into_id is not None:
        raise ValueError(f"company {absorbed.pk} is already merged into {absorbed.merged_into_id}")
    moved: dict[str, list[int]] = {}
    row_ids = list(SourceRow.objects.filter(company=absorbed).values_list("id", flat=True))
    SourceRow.objects.filter(id__in=row_ids).update(company=target)
    moved[_label(SourceRow)] = row_ids
    for model, keys in _MOVABLE:
        manager = model._default_manager  # type: ignore[attr-defined]
        existing = set(manager.filter(company=target).values_list(*keys))
        ids = [
            pk
            for pk, *key in manager.filter(company=absorbed).values_list("id", *keys)
            if tuple(key) not in existing
        ]
        manager.filter(id__in=ids).update(company=target)
        moved[_label(model)] = ids
    absorbed.merged_into = target
    absorbed.save(update_fields=["merged_into"])
    merge = CompanyMerge.objects.create(
        target=target, absorbed=absorbed, moved=moved, reason=reason, user=_user(user)
    )
    company_refresh(company_ids=[target.pk, absorbed.pk])
    audit_record(
        action=ChangeAction.MERGE,
        obj=target,
        changes={
            "merged": [absorbed.pk, target.pk],
            "moved": {k: len(v) for k, v in moved.items() if v},
        },
        reason=reason,
        user=user,
    )
    return merge


@transaction.atomic
def company_unmerge(*, merge: CompanyMerge, user: Any = None, reason: str = "") -> Company:
    """Undo a merge exactly; the pair is then recorded as "different companies" so that no
    later resolution run merges them again."""
    if merge.undone_at is not None:
        raise ValueError("this merge was already undone")
    models_by_label = {_label(m): m for m, _ in _MOVABLE} | {_label(SourceRow): SourceRow}
    for label, ids in merge.moved.items():
        model = models_by_label.get(label)
        if model is not None and ids:
            model._default_manager.filter(  # type: ignore[attr-defined]
                id__in=ids, company=merge.target
            ).update(company=merge.absorbed)
    absorbed = merge.absorbed
    absorbed.merged_into = None
    absorbed.save(update_fields=["merged_into"])
    merge.undone_at = timezone.now()
    merge.save(update_fields=["undone_at"])
    rows = merge.moved.get(_label(SourceRow)) or []
    kept = SourceRow.objects.filter(company=merge.target).values_list("id", flat=True).first()
    if rows and kept:
        _decide_pair(kept, rows[0], ReviewStatus.REJECTED, user, probability=0.0)
    company_refresh(company_ids=[merge.target_id, absorbed.pk])
    audit_record(
        action=ChangeAction.UNMERGE,
        obj=absorbed,
        changes={"unmerged": [absorbed.pk, merge.target_id]},
        reason=reason,
        user=user,
    )
    return absorbed


def _user(user: Any) -> Any:
    return user if getattr(user, "is_authenticated", False) else None


def _decide_pair(left: int, right: int, status: str, user: Any, probability: float) -> ReviewPair:
    left, right = min(left, right), max(left, right)
    pair, _ = ReviewPair.objects.get_or_create(
        left_id=left,
        right_id=right,
        defaults={"probability": probability, "reason": ReviewReason.UNCERTAIN},
    )
    pair.status = status
    pair.decided_by = _user(user)
    pair.decided_at = timezone.now()
    pair.save(update_fields=["status", "decided_by", "decided_at"])
    return pair


def _root(company: Company) -> Company:
    seen = set()
    while company.merged_into_id is not None and company.pk not in seen:
        seen.add(company.pk)
        company = company.merged_into  # type: ignore[assignment]
    return company


@transaction.atomic
def review_decide(*, pair: ReviewPair, status: str, user: Any = None) -> ReviewPair:
    """Record a decision; "same company" merges the two rows' companies at once."""
    if status not in ReviewStatus.values or status == ReviewStatus.OPEN:
        raise ValueError(f"unknown decision {status!r}")
    pair = _decide_pair(pair.left_id, pair.right_id, status, user, pair.probability)
    if status == ReviewStatus.ACCEPTED:
        left = SourceRow.objects.select_related("company").get(pk=pair.left_id)
        right = SourceRow.objects.select_related("company").get(pk=pair.right_id)
        if left.company and right.company:
            a, b = _root(left.company), _root(right.company)
            if a.pk != b.pk:
                target, absorbed = (a, b) if a.row_count >= b.row_count else (b, a)
                company_merge(
                    target=target,
                    absorbed=absorbed,
                    user=user,
                    reason=f"review: rows {pair.left_id} and {pair.right_id} are one company",
                )
    return pair


def register_records() -> list[CompanyRecord]:
    """Every current, linked source row of a live company, with its stored canonical record."""
    rows = (
        SourceRow.objects.filter(
            is_current=True, company__isnull=False, company__merged_into__isnull=True
        )
        .exclude(error__gt="")
        .values_list("id", "company_id", "canonical")
    )
    return [
        CompanyRecord(
            record_id=str(pk),
            name=str((canonical or {}).get("name") or ""),
            company_id=str(company_id),
            extra={"canonical": canonical or {}},
        )
        for pk, company_id, canonical in rows.iterator(chunk_size=5000)
    ]


def _decisions() -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    accepted: list[tuple[str, str]] = []
    rejected: list[tuple[str, str]] = []
    for left, right, status in ReviewPair.objects.exclude(
        status__in=[ReviewStatus.OPEN, ReviewStatus.SKIPPED]
    ).values_list("left_id", "right_id", "status"):
        pair = (str(left), str(right))
        (accepted if status == ReviewStatus.ACCEPTED else rejected).append(pair)
    return accepted, rejected


def review_labels() -> list[tuple[str, str]]:
    """Pairs of source rows people said are one company (labels for re-training)."""
    return _decisions()[0]


def resolution_run(
    *,
    user: Any = None,
    apply: bool = True,
    resolver: SplinkResolver | None = None,
    progress: Progress | None = None,
) -> dict[str, Any]:
    """Resolve the whole register again; merge what the model joins, queue what it doubts.

    Splits are not applied automatically (a company the model would cut in two is reported
    and its rows queued for review): un-merging facts a person may have confirmed is a
    decision for a person.
    """
    started = time.monotonic()
    records = register_records()
    if progress:
        progress(len(records) // 2)
    accepted, rejected = _decisions()
    resolver = resolver or model_resolver()
    result = resolver.resolve(records, accepted=accepted, rejected=rejected)
    company_of = {r.record_id: int(r.company_id or 0) for r in records}
    companies_in: dict[str, set[int]] = defaultdict(set)
    clusters_of_company: dict[int, set[str]] = defaultdict(set)
    for record_id, cluster in result.cluster_of.items():
        companies_in[cluster].add(company_of[record_id])
        clusters_of_company[company_of[record_id]].add(cluster)
    rows_per_company = Counter(company_of.values())
    splits = [c for c, clusters in clusters_of_company.items() if len(clusters) > 1]
    # A company whose rows the model spreads over several clusters is left to a person (its
    # rows are queued): merging it would join those clusters through it, the chaining the
    # clustering guards exist to prevent, and it would be absorbed once per cluster.
    undecided = set(splits)
    merges: list[tuple[int, list[int]]] = []
    for members in companies_in.values():
        members = members - undecided
        if len(members) > 1:
            ordered = sorted(members, key=lambda c: (-rows_per_company[c], c))
            merges.append((ordered[0], ordered[1:]))
    queued = 0
    if apply:
        with transaction.atomic():
            companies = Company.objects.in_bulk([c for t, rest in merges for c in (t, *rest)])
            for target, absorbed in merges:
                for other in absorbed:
                    company_merge(
                        target=companies[target],
                        absorbed=companies[other],
                        user=user,
                        reason="resolution run: the model puts their rows together",
                    )
            queued = _queue(result.review)
    if progress:
        progress(len(records) - len(records) // 2)
    return {
        "rows": len(records),
        "companies_before": len(rows_per_company),
        "clusters": len(set(result.cluster_of.values())),
        "merged": sum(len(rest) for _, rest in merges),
        "split_suggested": len(splits),
        "queued_for_review": queued,
        "compared_pairs": result.stats.candidate_pairs,
        "applied": apply,
        "seconds": round(time.monotonic() - started, 2),
        "engine_seconds": result.stats.seconds,
    }


def _review_pair(left: int, right: int, item: Any) -> ReviewPair:
    return ReviewPair(
        left_id=min(left, right),
        right_id=max(left, right),
        probability=item.probability,
        reason=item.reason if item.reason in ReviewReason.values else ReviewReason.UNCERTAIN,
        levels=dict(item.levels),
        match_weights=dict(item.match_weights),
    )


def review_queue_add(*, pairs: Iterable[tuple[int, int, Any]]) -> int:
    """Add the uncertain pairs of an incremental link (source-row ids and the engine's review
    pair) to the queue; pairs already there, open or decided, are left as they are."""
    existing = set(ReviewPair.objects.values_list("left_id", "right_id"))
    fresh: dict[tuple[int, int], ReviewPair] = {}
    for left, right, item in pairs:
        key = (min(left, right), max(left, right))
        if key in existing or key in fresh:
            continue
        fresh[key] = _review_pair(left, right, item)
    ReviewPair.objects.bulk_create(list(fresh.values()), batch_size=1000)
    return len(fresh)


def _queue(review: Iterable[Any]) -> int:
    """Replace the open review pairs with the run's; decided pairs are kept as they are."""
    decided = set(
        ReviewPair.objects.exclude(status=ReviewStatus.OPEN).values_list("left_id", "right_id")
    )
    ReviewPair.objects.filter(status=ReviewStatus.OPEN).delete()
    fresh = []
    seen: set[tuple[int, int]] = set()
    for item in review:
        try:
            a, b = int(item.left), int(item.right)
        except ValueError:
            continue
        key = (min(a, b), max(a, b))
        if key in decided or key in seen or a == b:
            continue
        seen.add(key)
        fresh.append(_review_pair(a, b, item))
    ReviewPair.objects.bulk_create(fresh, batch_size=1000)
    return len(fresh)
