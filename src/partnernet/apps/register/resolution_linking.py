"""Linking an import against the register with the Splink model (incremental, no re-clustering).

The rule :func:`import_linker` applies when an import does not name its linker:

* the **model linker** (:class:`ModelLinker`) when the register already has live companies:
  the new list is compared with every current source row of the register (the engine's
  ``SplinkResolver.link``: ``predict_between`` against the register, ``predict_within`` for the
  list itself) and each row joins one existing company, or a new one; the register's own
  companies are never merged or split by an import;
* the **deterministic linker** (same valid INN, same name in the same city, same web domain)
  for the first import into an empty register — there is nothing to compare with, and the
  first bulk load is resolved once afterwards (``resolution_run``; the demo does this).

The model is the newest one re-trained on this register (``ResolutionTraining``), else the one
shipped with the engine. Pairs the model is unsure about go to the review queue. Decisions
already taken there carry over to rows that say the same thing: a new row identical (name,
identifiers, place, domains, phones) to a row a person judged "different" from another never
joins that row's company, and one judged "same" joins it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from partnernet.engines.resolution.deterministic import (
    IDENTIFIER_KINDS,
    CompanyIndex,
    DeterministicLinker,
    LinkDecision,
    Linker,
)
from partnernet.engines.resolution.linker import ReviewPair as EngineReviewPair
from partnernet.engines.resolution.linker import SplinkResolver
from partnernet.engines.resolution.records import CompanyRecord

METHOD_MODEL = "model"
METHOD_NEW = "new"
METHOD_DECISION = "decision"
NEW_PREFIX = "n"


def active_model() -> dict[str, Any] | None:
    """The newest model trained on this register, or None (the engine's shipped model)."""
    from .models_jobs import JobStatus, ResolutionTraining

    latest = (
        ResolutionTraining.objects.filter(status=JobStatus.DONE, model__isnull=False)
        .order_by("-finished_at", "-id")
        .values_list("model", flat=True)
        .first()
    )
    return dict(latest) if latest else None


def model_resolver() -> SplinkResolver:
    """The resolver every run of the application uses (the active model)."""
    return SplinkResolver(active_model())


def import_linker() -> Linker:
    """The linker an import uses unless told otherwise (see the module docstring)."""
    from .models import Company

    if Company.objects.filter(merged_into__isnull=True).exists():
        return ModelLinker()
    return DeterministicLinker()


def fingerprint(canonical: Mapping[str, Any]) -> tuple[Any, ...]:
    """What makes two rows say the same thing about a company (for carrying decisions)."""
    city = canonical.get("city") or {}
    return (
        canonical.get("name_key") or "",
        city.get("key") or "",
        tuple(sorted((canonical.get(k) or "") for k in ("inn", "ogrn", "bin", "unp"))),
        tuple(sorted(canonical.get("domains") or ())),
        tuple(sorted(canonical.get("phones") or ())),
    )


def _telling(canonical: Mapping[str, Any]) -> bool:
    """Enough to carry a "same company" decision: a name and a place or a contact or an id.
    (A bare common name repeated elsewhere is not the row a person judged.)"""
    name_key, city, ids, domains, phones = fingerprint(canonical)
    return bool(name_key) and bool(city or any(ids) or domains or phones)


@dataclass(frozen=True)
class CarriedDecision:
    """A decision on a pair of rows, seen from one side: the other row's company."""

    accepted: bool
    company_id: int


def carried_decisions() -> dict[tuple[Any, ...], list[CarriedDecision]]:
    """Decided review pairs by the fingerprint of each side, pointing at the other side."""
    from .models import SourceRow
    from .models_resolution import ReviewPair, ReviewStatus

    decided = list(
        ReviewPair.objects.filter(
            status__in=[ReviewStatus.ACCEPTED, ReviewStatus.REJECTED]
        ).values_list("left_id", "right_id", "status")
    )
    if not decided:
        return {}
    ids = {i for left, right, _ in decided for i in (left, right)}
    rows = {
        pk: (canonical or {}, company_id)
        for pk, canonical, company_id in SourceRow.objects.filter(id__in=ids).values_list(
            "id", "canonical", "company_id"
        )
    }
    out: dict[tuple[Any, ...], list[CarriedDecision]] = defaultdict(list)
    for left, right, status in decided:
        for this, other in ((left, right), (right, left)):
            if this not in rows or other not in rows or rows[other][1] is None:
                continue
            out[fingerprint(rows[this][0])].append(
                CarriedDecision(status == ReviewStatus.ACCEPTED, _live(rows[other][1]))
            )
    return out


def _live(company_id: int) -> int:
    from .models import Company

    seen: set[int] = set()
    while company_id not in seen:
        seen.add(company_id)
        parent = (
            Company.objects.filter(pk=company_id).values_list("merged_into_id", flat=True).first()
        )
        if parent is None:
            break
        company_id = parent
    return company_id


class ModelLinker:
    """The import's ``Linker`` over the engine's incremental Splink linking.

    ``link_rows`` takes the import's canonical records (what the register stores for every
    row, so new and old rows are featurised alike) and returns one decision per row.
    ``review`` holds the last batch's uncertain pairs: ids ``n<ref>`` for the batch's rows,
    source-row ids for the register's; the import service stores them once the rows exist.
    """

    name = "splink"

    def __init__(self, resolver: SplinkResolver | None = None) -> None:
        self.resolver = resolver or model_resolver()
        self.review: list[EngineReviewPair] = []
        self._next_group = 0
        self._carried: dict[tuple[Any, ...], list[CarriedDecision]] | None = None

    # The plain interface (candidates without canonical records) is not what imports use.
    def link(self, candidates: Sequence[Any], index: CompanyIndex) -> list[LinkDecision]:
        raise NotImplementedError("ModelLinker links canonical records: use link_rows")

    def link_rows(
        self, rows: Sequence[tuple[int, Mapping[str, Any]]], index: CompanyIndex
    ) -> list[LinkDecision]:
        from .resolution_services import collector_paused, register_features

        self.review = []
        if not rows:
            return []
        if self._carried is None:
            self._carried = carried_decisions()
        register = register_features(self.resolver)
        with collector_paused():
            company_of = {r.record_id: int(r.company_id or 0) for r in register.records}
        new = [
            CompanyRecord(
                record_id=f"{NEW_PREFIX}{ref}",
                name=str(record.get("name") or ""),
                extra={"canonical": record},
            )
            for ref, record in rows
        ]
        if register.records:
            result = self.resolver.link(register, new)
            cluster_of, pairs = result.cluster_of, result.pairs
            self.review = list(result.review)
        else:  # every live company lost its rows (e.g. all rows erroneous): nothing to link to
            cluster_of, pairs = {}, []
        best: dict[str, float] = defaultdict(float)
        for a, b, p in pairs:
            for x, y in ((a, b), (b, a)):
                if (
                    x.startswith(NEW_PREFIX)
                    and y in company_of
                    and cluster_of.get(x) == str(company_of[y])
                ):
                    best[x] = max(best[x], p)
        groups: dict[str, int] = {}
        decisions: list[LinkDecision] = []
        for (ref, record), rec in zip(rows, new, strict=True):
            rid = rec.record_id
            key = cluster_of.get(rid, rid)
            carried = self._carried.get(fingerprint(record), []) if self._carried else []
            forbidden = {c.company_id for c in carried if not c.accepted}
            joined = [
                c.company_id
                for c in carried
                if c.accepted and c.company_id not in forbidden and _telling(record)
            ]
            same_id = _same_identifier(index, record)
            if joined:
                decision = LinkDecision(
                    ref, joined[0], None, METHOD_DECISION, 1.0, "decided in the review queue"
                )
            elif same_id is not None and same_id[1] not in forbidden:
                kind, found = same_id
                if found > 0:
                    decision = LinkDecision(ref, found, None, kind, 1.0, f"same {kind.upper()}")
                else:  # a company this import creates
                    decision = LinkDecision(ref, None, -found, kind, 1.0, f"same {kind.upper()}")
                    groups.setdefault(key, -found)
            elif key.isdigit() and int(key) not in forbidden:
                score = round(best.get(rid, 1.0), 4)
                decision = LinkDecision(ref, int(key), None, METHOD_MODEL, score, "model match")
            else:
                if key.isdigit():  # a company a person said this row is not
                    key = rid
                if key not in groups:
                    self._next_group += 1
                    groups[key] = self._next_group
                decision = LinkDecision(
                    ref, None, groups[key], METHOD_NEW, 1.0, "no matching company"
                )
            decisions.append(decision)
            _learn(index, decision, record)
        return decisions


def _same_identifier(index: CompanyIndex, record: Mapping[str, Any]) -> tuple[str, int] | None:
    """The one company holding the row's valid identifier (as the deterministic rule finds it:
    also companies with no source rows, e.g. an INN typed by hand). The model never overrules
    the same valid INN, which names one legal entity."""
    from .services import candidate_from_canonical

    candidate = candidate_from_canonical(0, record)
    for kind in IDENTIFIER_KINDS:
        value = candidate.identifiers.get(kind)
        if not value:
            continue
        found = [
            c
            for c in index.by_identifier.get((kind, value), ())
            if not index.conflicts(c, candidate.identifiers)
        ]
        if len(found) == 1:
            return kind, found[0]
    return None


def _learn(index: CompanyIndex, decision: LinkDecision, record: Mapping[str, Any]) -> None:
    """Keep the deterministic index (cached between imports) in step with the decisions."""
    from .services import candidate_from_canonical

    candidate = candidate_from_canonical(decision.ref, record)
    target = decision.company_id if decision.company_id is not None else -(decision.new_group or 0)
    index.add(
        target,
        identifiers=candidate.identifiers,
        name_cities=[(candidate.name_key, candidate.city_key)] if candidate.city_key else [],
        domains=candidate.domains,
    )


def review_row_ids(
    review: Iterable[EngineReviewPair], new_row_ids: Mapping[int, int]
) -> list[tuple[int, int, EngineReviewPair]]:
    """The review pairs with both sides as source-row ids (``n<ref>`` via ``new_row_ids``)."""
    out = []
    for item in review:
        ids = []
        for side in (item.left, item.right):
            if side.startswith(NEW_PREFIX):
                row_id = new_row_ids.get(int(side[len(NEW_PREFIX) :]))
            else:
                row_id = int(side) if side.isdigit() else None
            ids.append(row_id)
        left, right = ids
        if left is not None and right is not None and left != right:
            out.append((left, right, item))
    return out
