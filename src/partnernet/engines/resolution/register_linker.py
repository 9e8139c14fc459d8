"""The probabilistic resolver behind the register's ``Linker`` interface.

The import service links each batch with ``linker.link(candidates, index)`` (see
``deterministic``). ``SplinkLinker`` does the same with the Splink model: it compares the batch
with the register's records (``predict_between``) and with itself (``predict_within``) and
decides per row: an existing company, a new group, and how sure.

The index may be a plain ``CompanyIndex`` (identifiers, name keys per city, domains: enough to
rebuild one record per company name and city) or a ``ResolutionIndex``, which also keeps every
linked row's phones, Latin key and region for a sharper comparison.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence

from partnernet.engines.resolution.clusters import (
    REASON_DIFFERENT_DOMAINS,
    REASON_DIFFERENT_PHONES,
    REASON_IDENTIFIER_CONFLICT,
    REASON_SEPARATED,
    REASON_TWO_COMPANIES,
    REASON_UNCERTAIN,
)
from partnernet.engines.resolution.deterministic import (
    CompanyIndex,
    LinkCandidate,
    LinkDecision,
)
from partnernet.engines.resolution.linker import ReviewPair, SplinkResolver
from partnernet.engines.resolution.records import CompanyRecord

METHOD_MODEL = "model"
METHOD_NEW = "new"

REASON_TEXT = {
    REASON_UNCERTAIN: "uncertain match",
    REASON_SEPARATED: "would join two groups the evidence keeps apart",
    REASON_TWO_COMPANIES: "matches two existing companies",
    REASON_IDENTIFIER_CONFLICT: "different valid identifiers",
    REASON_DIFFERENT_DOMAINS: "would join two groups with different web sites",
    REASON_DIFFERENT_PHONES: "would join two groups with different phones in one city",
    "little_information": "too little information to decide",
}


class ResolutionIndex(CompanyIndex):
    """A ``CompanyIndex`` that also keeps the linked rows themselves (for the model)."""

    def __init__(self) -> None:
        super().__init__()
        self.records: dict[int, list[LinkCandidate]] = defaultdict(list)

    def add_candidate(self, company_id: int, candidate: LinkCandidate) -> None:
        self.records[company_id].append(candidate)
        self.add(
            company_id,
            identifiers=candidate.identifiers,
            name_cities=[(candidate.name_key, candidate.city_key)] if candidate.city_key else [],
            domains=candidate.domains,
        )

    def relabel(self, mapping: Mapping[int, int]) -> None:
        super().relabel(mapping)
        for old, new in mapping.items():
            if old in self.records:
                self.records[new].extend(self.records.pop(old))


def candidate_record(candidate: LinkCandidate, prefix: str = "n") -> CompanyRecord:
    return CompanyRecord(
        record_id=f"{prefix}{candidate.ref}",
        name=candidate.name or candidate.latin_key or candidate.name_key,
        phones=candidate.phones,
        websites=candidate.domains,
        valid_identifiers=dict(candidate.identifiers),
        city_key=candidate.city_key,
        region_key=(candidate.region or None),
        country=candidate.country or "",
    )


def register_records(index: CompanyIndex) -> list[CompanyRecord]:
    """The register as records: the kept rows, or one record per company name and city."""
    out: list[CompanyRecord] = []
    kept = getattr(index, "records", None)
    if kept:
        for company_id, candidates in kept.items():
            for i, c in enumerate(candidates):
                record = candidate_record(c, prefix=f"c{company_id}:{i}:")
                out.append(
                    CompanyRecord(
                        **{**record.__dict__, "company_id": str(company_id)},
                    )
                )
        covered = set(kept)
    else:
        covered = set()
    names: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for (name_key, city_key), ids in index.by_name_city.items():
        for company_id in ids:
            names[company_id].append((name_key, city_key))
    domains: dict[int, list[str]] = defaultdict(list)
    for domain, ids in index.by_domain.items():
        for company_id in ids:
            domains[company_id].append(domain)
    for company_id, identifiers in index.identifiers_of.items():
        if company_id in covered:
            continue
        pairs = names.get(company_id) or [("", "")]
        for i, (name_key, city_key) in enumerate(pairs):
            out.append(
                CompanyRecord(
                    record_id=f"c{company_id}:{i}",
                    name=name_key,
                    websites=tuple(domains.get(company_id, ())),
                    valid_identifiers=dict(identifiers),
                    city_key=city_key or None,
                    company_id=str(company_id),
                )
            )
    return out


class SplinkLinker:
    """``Linker`` over ``SplinkResolver``: one decision per candidate, review pairs kept."""

    name = "splink"

    def __init__(self, resolver: SplinkResolver | None = None) -> None:
        self.resolver = resolver or SplinkResolver()
        self._next_group = 0
        # Review pairs of the last batch, with record ids mapped back: "n<ref>" for a
        # candidate, "c<company_id>:…" for a register record.
        self.review: list[ReviewPair] = []

    def link(self, candidates: Sequence[LinkCandidate], index: CompanyIndex) -> list[LinkDecision]:
        if not candidates:
            return []
        register = register_records(index)
        new = [candidate_record(c) for c in candidates]
        resolution = self.resolver.link(register, new)
        self.review = resolution.review
        best: dict[str, float] = defaultdict(float)
        for a, b, p in resolution.pairs:
            for x, y in ((a, b), (b, a)):
                if x.startswith("n"):
                    key = resolution.cluster_of.get(x)
                    other = y.split(":")[0][1:] if y.startswith("c") else None
                    if other is not None and key == other:
                        best[x] = max(best[x], p)
        reasons: dict[str, str] = {}
        for item in resolution.review:
            for rid in (item.left, item.right):
                if rid.startswith("n") and rid not in reasons:
                    reasons[rid] = REASON_TEXT.get(item.reason, item.reason)
        groups: dict[str, int] = {}
        decisions: list[LinkDecision] = []
        for candidate, record in zip(candidates, new, strict=True):
            rid = record.record_id
            key = resolution.cluster_of.get(rid, rid)
            note = reasons.get(rid, "")
            if not key.startswith("n") and int(key) > 0:
                company_id = int(key)
                score = round(best.get(rid, 1.0), 4)
                decision = LinkDecision(
                    candidate.ref, company_id, None, METHOD_MODEL, score, note or "model match"
                )
                target = company_id
            elif not key.startswith("n"):  # a company created earlier in this batch
                group = -int(key)
                decision = LinkDecision(
                    candidate.ref, None, group, METHOD_MODEL, 1.0, note or "model match"
                )
                target = -group
            else:
                if key not in groups:
                    self._next_group += 1
                    groups[key] = self._next_group
                group = groups[key]
                decision = LinkDecision(
                    candidate.ref, None, group, METHOD_NEW, 1.0, note or "no matching company"
                )
                target = -group
            if isinstance(index, ResolutionIndex):
                index.add_candidate(target, candidate)
            else:
                index.add(
                    target,
                    identifiers=candidate.identifiers,
                    name_cities=[(candidate.name_key, candidate.city_key)]
                    if candidate.city_key
                    else [],
                    domains=candidate.domains,
                )
            decisions.append(decision)
        return decisions
