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

import gc
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from typing import Any

from django.db import transaction
from django.db.models import CharField, Model
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext as _

from partnernet.apps.audit.models import ChangeAction
from partnernet.apps.audit.services import audit_record
from partnernet.engines.resolution.linker import RegisterFeatures, SplinkResolver
from partnernet.engines.resolution.records import CompanyRecord
from partnernet.engines.resolution.register_store import RegisterBasis

from . import resolution_store
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
from .services import _company_from_record, company_facts_from_rows, company_refresh

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


class MergeError(ValueError):
    """A merge, un-merge or split refused; ``code`` names the reason for programs, the
    message (translated in the caller's language) says it to people."""

    def __init__(self, message: str, code: str) -> None:
        super().__init__(message)
        self.code = code


class SplitError(MergeError):
    pass


@transaction.atomic
def company_merge(
    *, target: Company, absorbed: Company, user: Any = None, reason: str = ""
) -> CompanyMerge:
    """Merge ``absorbed`` into ``target``: every source row, fact and authorisation moves
    (a fact the target already has stays behind, so nothing is lost); ``absorbed`` keeps
    existing, marked as merged, for un-merge."""
    if target.pk == absorbed.pk:
        raise MergeError(_("A company cannot be merged into itself."), code="same_company")
    if absorbed.merged_into_id is not None:
        raise MergeError(
            _("Company %(absorbed)s is already merged into company %(target)s.")
            % {"absorbed": absorbed.pk, "target": absorbed.merged_into_id},
            code="already_merged",
        )
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
        raise MergeError(_("This merge was already undone."), code="already_undone")
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


_PRIMARY_IDS = ("inn", "ogrn", "kpp", "bin", "unp")


@transaction.atomic
def company_split(
    *, company: Company, row_ids: Iterable[int], user: Any = None, reason: str = ""
) -> Company:
    """Move the given source rows of ``company`` into a new company, with the facts they
    state: a fact only they state moves (keeping its provenance), a fact the remaining rows
    state too is copied. Undo by merging the new company back (``company_merge``)."""
    rows = list(SourceRow.objects.filter(company=company, id__in=list(row_ids)).order_by("id"))
    if not rows:
        raise SplitError(_("None of these rows belong to the company."), code="no_rows")
    remaining = list(SourceRow.objects.filter(company=company).exclude(id__in=[r.pk for r in rows]))
    if not remaining:
        raise SplitError(_("A split must leave the company at least one row."), code="all_rows")
    now = timezone.now()
    new = _company_from_record(rows[0].canonical or {}, now)
    new.save()
    SourceRow.objects.filter(id__in=[r.pk for r in rows]).update(company=new)
    stays = company_facts_from_rows(company_id=company.pk, rows=remaining, now=now, write=False)
    leaves = company_facts_from_rows(company_id=new.pk, rows=rows, now=now, write=False)
    moved: dict[str, list[int]] = {_label(SourceRow): [r.pk for r in rows]}
    for model, keys in _MOVABLE:
        only_theirs = leaves.get(model, set()) - stays.get(model, set())
        manager = model._default_manager  # type: ignore[attr-defined]
        if model is Authorisation:
            keys, wanted = ("vendor_id", "source_id"), only_theirs
        else:
            keys = tuple(f"{k}_id" if k in ("specialisation", "sector") else k for k in keys)
            wanted = only_theirs
        ids = [
            pk
            for pk, *key in manager.filter(company=company).values_list("id", *keys)
            if tuple(key) in wanted
        ]
        manager.filter(id__in=ids).update(company=new)
        moved[_label(model)] = ids
    company_facts_from_rows(company_id=new.pk, rows=rows, now=now)  # the shared facts
    _forget_primary_facts(company, remaining)
    company_refresh(company_ids=[company.pk, new.pk], new_ids=[new.pk])
    audit_record(
        action=ChangeAction.UNMERGE,
        obj=company,
        changes={
            "split": [company.pk, new.pk],
            "rows": moved[_label(SourceRow)],
            "moved": {k: len(v) for k, v in moved.items() if v},
        },
        reason=reason,
        user=user,
    )
    audit_record(
        action=ChangeAction.CREATE,
        obj=new,
        changes={"split_from": company.pk},
        reason=reason,
        user=user,
    )
    return new


def _forget_primary_facts(company: Company, remaining: list[SourceRow]) -> None:
    """Clear the company's primary identifiers, place and name that no fact supports any
    more (after a split), so that ``company_refresh`` fills them from what remains."""
    changed: list[str] = []
    for kind in _PRIMARY_IDS:
        value = getattr(company, kind)
        if (
            value
            and not CompanyIdentifier.objects.filter(
                company=company, kind=kind, value=value
            ).exists()
        ):
            setattr(company, kind, "")
            setattr(company, f"{kind}_valid", False)
            changed += [kind, f"{kind}_valid"]
    if (
        company.city_key
        and not CompanyLocation.objects.filter(company=company, city_key=company.city_key).exists()
    ):
        company.city_key = company.city_name = company.region = company.federal_district = ""
        changed += ["city_key", "city_name", "region", "federal_district"]
    shown = [(r.canonical or {}).get("display_name") or "" for r in remaining]
    if shown and shown[0] and company.display_name not in shown:
        company.display_name = shown[0][:500]
        changed.append("display_name")
    if changed:
        company.save(update_fields=changed)


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
    proposal = pair.reason == ReviewReason.SPLIT
    split_rows = list(pair.split_rows or [])
    pair = _decide_pair(pair.left_id, pair.right_id, status, user, pair.probability)
    if proposal and status == ReviewStatus.REJECTED:
        _split_decided(pair, split_rows, user)
    elif status == ReviewStatus.ACCEPTED:
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


def _split_decided(pair: ReviewPair, split_rows: list[int], user: Any) -> None:
    """A person said the two rows of a split proposal are different companies: split."""
    left = SourceRow.objects.select_related("company").get(pk=pair.left_id)
    right = SourceRow.objects.get(pk=pair.right_id)
    if left.company is None or left.company_id != right.company_id:
        return  # already apart
    rows = set(split_rows) | {right.pk}
    company_split(
        company=left.company,
        row_ids=sorted(rows - {left.pk}),
        user=user,
        reason=f"review: rows {pair.left_id} and {pair.right_id} are different companies",
    )


# Canonical records read by earlier calls in this process ((database, row id) -> (version,
# record)). A row's version is its content hash and first-seen time: a row's canonical record
# never changes, and a reused id (a row deleted, another inserted) comes with another
# first-seen time. Later calls — the next import of a long-running worker — read only ids,
# companies and versions, and decode JSON only for rows new to them.
_RECORDS: dict[tuple[str, int], tuple[str, CompanyRecord]] = {}
RECORD_CACHE_LIMIT = 500_000


def register_records() -> list[CompanyRecord]:
    """Every current, linked source row of a live company, with its stored canonical record
    (``extra["canonical"]``) and its version (``extra["version"]``)."""
    return _register_records({})


def _register_records(kept: dict[str, CompanyRecord]) -> list[CompanyRecord]:
    """``register_records``, reusing ``kept`` records (id -> record, e.g. restored from the
    prepared register's store, with no canonical record) whose version still matches."""
    from django.db import connection

    alias = str(connection.settings_dict.get("NAME"))
    current = (
        SourceRow.objects.filter(
            is_current=True, company__isnull=False, company__merged_into__isnull=True
        )
        .exclude(error__gt="")
        # In id order: rows an import adds come last, so the prepared register of the last
        # import is extended rather than prepared again (``register_features``).
        .order_by("id")
        # ``first_seen`` as text: it is only compared with itself, and SQLite's timestamp
        # converter would parse 100,000 dates (a second) to build the version string.
        .values_list("id", "company_id", "content_hash", Cast("first_seen", CharField()))
    )
    out: list[CompanyRecord] = []
    missing: dict[int, int] = {}
    versions: dict[int, str] = {}
    # The ids, companies and hashes of 100,000 rows as the database gives them: Django's
    # per-value converters cost more than the rest of the loop.
    sql, params = current.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        while chunk := cursor.fetchmany(20000):
            for pk, company_id, content_hash, first_seen in chunk:
                version = f"{content_hash}|{first_seen}"
                record: CompanyRecord | None = kept.get(str(pk))
                if record is None or record.extra.get("version") != version:
                    cached = _RECORDS.get((alias, pk))
                    record = cached[1] if cached is not None and cached[0] == version else None
                if record is not None:
                    if record.company_id != str(company_id):  # merged or split since
                        record = replace(record, company_id=str(company_id))
                    out.append(record)
                else:
                    missing[pk] = len(out)
                    versions[pk] = version
                    out.append(CompanyRecord(record_id=str(pk)))  # filled below
    ids = list(missing)
    for start in range(0, len(ids), 900):
        for pk, company_id, canonical in SourceRow.objects.filter(
            id__in=ids[start : start + 900]
        ).values_list("id", "company_id", "canonical"):
            record = CompanyRecord(
                record_id=str(pk),
                name=str((canonical or {}).get("name") or ""),
                company_id=str(company_id),
                extra={"canonical": canonical or {}, "version": versions[pk]},
            )
            out[missing[pk]] = record
            if len(_RECORDS) < RECORD_CACHE_LIMIT:
                _RECORDS[(alias, pk)] = (versions[pk], record)
    return out


# The engine's prepared register (normalised rows, word statistics, groups of identical rows)
# of the last import in this process, per database: the next import brings it up to date
# (rows already seen are not normalised again; rows appended since extend the statistics)
# instead of preparing 100,000 rows again. The result equals a fresh preparation. A process's
# first import starts from the basis the last process saved (``resolution_store``).
_FEATURES: dict[str, RegisterFeatures] = {}


def register_features(resolver: SplinkResolver) -> RegisterFeatures:
    """The register's current records, prepared for linking (see ``_FEATURES``)."""
    from django.db import connection

    alias = str(connection.settings_dict.get("NAME"))
    with collector_paused():  # 100,000 records' objects: see ``prepare_register``
        previous: RegisterFeatures | RegisterBasis | None = _FEATURES.get(alias)
        if previous is None:
            previous = resolution_store.load()
        kept = {r.record_id: r for r in previous.records} if previous is not None else {}
        features = resolver.prepare_register(_register_records(kept), previous=previous)
        _FEATURES[alias] = features
        resolution_store.save_if_behind(features)
        # The prepared register lives until the next import: move it (and the rest of the
        # heap) to the oldest generation without a pass over it. Left young, its million
        # objects would be walked by the next collections of each generation in turn
        # (3 s of CPU after a cold start, measured); nothing is kept alive by this.
        gc.freeze()
        gc.unfreeze()
    return features


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector: passes that allocate an object or more per register
    row would make it walk the whole heap (the prepared register's) over and over; nothing
    they build forms cycles."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


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

    A company the model would cut in two is split at once only when the evidence is
    decisive (the parts carry different valid INN/BIN/UNP); otherwise each part it would cut
    off becomes a split proposal in the review queue ("different companies" splits, "same
    company" keeps it whole and is remembered). A split is undone by merging back.
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
    proposals, decisive = _split_proposals(records, result, splits)
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
            for company_id, row_ids, why in decisive:
                company_split(
                    company=Company.objects.get(pk=company_id),
                    row_ids=row_ids,
                    user=user,
                    reason=f"resolution run: {why}",
                )
            queued = _queue([*result.review, *proposals])
    if progress:
        progress(len(records) - len(records) // 2)
    return {
        "rows": len(records),
        "companies_before": len(rows_per_company),
        "clusters": len(set(result.cluster_of.values())),
        "merged": sum(len(rest) for _, rest in merges),
        "split": len(decisive),
        "split_suggested": len(proposals),
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
        split_rows=list(getattr(item, "split_rows", []) or []),
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


@dataclass(frozen=True)
class SplitProposal:
    """A review pair proposing to cut ``split_rows`` (with ``right``) off ``left``'s company."""

    left: str
    right: str
    probability: float
    split_rows: list[int]
    reason: str = ReviewReason.SPLIT
    levels: dict[str, str] = field(default_factory=dict)
    match_weights: dict[str, float] = field(default_factory=dict)


def _tax_ids(records: Iterable[CompanyRecord]) -> set[tuple[str, str]]:
    out = set()
    for record in records:
        canonical = record.extra.get("canonical") or {}
        out |= {(k, canonical[k]) for k in ("inn", "bin", "unp") if canonical.get(k)}
    return out


def _split_proposals(
    records: list[CompanyRecord], result: Any, splits: Iterable[int]
) -> tuple[list[SplitProposal], list[tuple[int, list[int], str]]]:
    """For each company the model spreads over several clusters: its biggest part stays, each
    other part is proposed for a split — or split at once when the evidence is decisive (the
    part's valid INN/BIN/UNP all differ from the staying part's, two legal entities)."""
    by_id = {r.record_id: r for r in records}
    wanted = set(splits)
    parts: dict[int, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for record in records:
        company = int(record.company_id or 0)
        if company in wanted:
            parts[company][result.cluster_of.get(record.record_id, "")].append(record.record_id)
    best: dict[tuple[str, str], float] = {}
    for a, b, p in result.pairs:
        best[(a, b)] = best[(b, a)] = max(p, best.get((a, b), 0.0))
    proposals: list[SplitProposal] = []
    decisive: list[tuple[int, list[int], str]] = []
    for company, clusters in parts.items():
        ordered = sorted(clusters.values(), key=lambda ids: (-len(ids), min(ids, key=int)))
        main, others = ordered[0], ordered[1:]
        main_ids = _tax_ids(by_id[i] for i in main)
        for part in others:
            ids = _tax_ids(by_id[i] for i in part)
            row_ids = sorted(int(i) for i in part)
            main_kinds = {k for k, _ in main_ids}
            if ids and main_ids and not ids & main_ids and {k for k, _ in ids} & main_kinds:
                decisive.append((company, row_ids, "different valid identifiers"))
                continue
            p = max((best.get((a, b), 0.0) for a in main for b in part), default=0.0)
            proposals.append(SplitProposal(main[0], part[0], round(p, 4), row_ids))
    return proposals, decisive


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
