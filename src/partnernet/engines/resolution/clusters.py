"""Guarded clustering of scored record pairs into companies.

Plain connected components at a threshold chain: one strong but wrong link joins two companies,
and every later link to either side widens the damage. Here pairs are merged greedily from the
strongest down, and a merge is refused when

- the two groups carry different valid identifiers of the same kind (two INNs: two legal
  entities, always);
- a person rejected a pair that would end up inside one group;
- the groups are *well separated*: besides the linking pair, the scored pairs between them are
  mostly confident non-matches (a record without a city that links "Альянс" in Omsk must not
  pull in "Альянс" in Tula), or both groups hold several records and the scored pairs between
  them are on average unlikely matches (average linkage: one strong pair between two
  populated groups does not outweigh the many pairs between them that say "different");
- the groups as wholes contradict each other (they share no identifier, and each lists web
  domains, none in common; or, sharing no domain either, each lists a number in one city,
  none in common): the record that links them is usually one that says little (a name and a
  city), while the others say "two companies";
- both groups are existing register companies (incremental linking proposes such merges for
  review instead of performing them).

Refused merges and pairs in the uncertain band come back as review items with a reason.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

# Review reasons: stable codes (the UI translates them).
REASON_UNCERTAIN = "uncertain"
REASON_SEPARATED = "separated_groups"
REASON_TWO_COMPANIES = "links_two_companies"
REASON_IDENTIFIER_CONFLICT = "identifier_conflict"
REASON_REJECTED = "rejected_by_user"
REASON_DIFFERENT_DOMAINS = "different_domains"
REASON_DIFFERENT_PHONES = "different_phones"
# Refusals a person may overrule by accepting the pair (evidence, not a contradiction).
_SOFT_REASONS = frozenset(
    {
        None,
        REASON_SEPARATED,
        REASON_TWO_COMPANIES,
        REASON_DIFFERENT_DOMAINS,
        REASON_DIFFERENT_PHONES,
    }
)


@dataclass(frozen=True)
class ClusterPolicy:
    """Thresholds of the clustering step (probabilities are Splink match probabilities)."""

    # Chosen on simulated markets with seeds 4-6 (`bench/resolution_bench.py --tune 4,5,6`),
    # never on the reported seeds 1-3: the best mean F1 with mean precision >= 0.99 (with
    # the domain and phone guards below and name frequencies by full words: 0.8 P 0.9939
    # F1 0.9760, 0.75 P 0.9908 F1 0.9779, 0.72 P 0.9896 F1 0.9794, 0.7 P 0.9894 F1 0.9795,
    # 0.6 P 0.9876 F1 0.9802).
    match_threshold: float = 0.75
    # The same band of evidence as 0.2 was before the shipped prior was corrected (x4 odds).
    review_threshold: float = 0.5
    # Scored pairs below the review band are kept as evidence between groups when they are
    # below this probability (and have close names: the linker's pair query); 0.5 keeps every
    # such pair, so the average linkage below sees the pairs that say "different".
    separation_probability: float = 0.5
    # A scored pair below this probability is a confident non-match: evidence that its two
    # records differ.
    non_match_probability: float = 0.02
    # A merge is refused when more than this share of the scored pairs between two groups
    # are such confident non-matches (only checked when there are at least two such pairs).
    max_separated_share: float = 0.34
    # Two groups of several records each merge only when the scored pairs between them are, on
    # average, at least this likely matches (average linkage): one strong pair between two
    # well-populated groups is not enough when the other pairs between them say "different".
    # 0.5 chosen on seeds 4-6 (mean F1 0.9622 -> 0.9688 with 0.4/0.5/0.55 tried).
    min_group_linkage: float = 0.5
    # Two groups that each list web domains, none in common, are two companies unless they
    # share an identifier (a company that moved to a new domain keeps its INN). Likewise two
    # groups that each list a number in the same city, none in common, unless they share an
    # identifier or a domain (one office has one number on most lists; a second line shows
    # up with the company's site). Seeds 4-6: precision 0.9826 -> 0.9888 with domains,
    # -> 0.9924 with phones too, recall 0.9570 -> 0.9552.
    separate_domains: bool = True
    separate_phones: bool = True
    # Two groups that share a valid identifier or a web domain are one company even when the
    # pairs between them disagree on average (the separation and average-linkage guards
    # below): a branch's rows without a site score low against the head office's rows, but the
    # branch's other rows carry the company's site. Seeds 4-6: recall 0.9654 -> 0.9671, the
    # same precision (a shared phone was also tried: +0.1 recall for -0.04 precision).
    shared_site_overrules: bool = True


@dataclass(frozen=True)
class ReviewItem:
    """A pair a person should look at; ``left``/``right`` are record ids."""

    left: str
    right: str
    probability: float
    reason: str


@dataclass
class ClusterResult:
    """``cluster_of`` maps every record id to a cluster key.

    The key is the company id for clusters that contain register records (incremental mode),
    else the smallest record id of the cluster.
    """

    cluster_of: dict[str, str]
    review: list[ReviewItem] = field(default_factory=list)
    refused_merges: int = 0

    def groups(self) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for record_id, key in self.cluster_of.items():
            out.setdefault(key, []).append(record_id)
        for members in out.values():
            members.sort()
        return out


@dataclass
class _Group:
    members: set[str]
    identifiers: dict[str, str]  # kind -> value; a group never holds two values of one kind
    rejected: set[str]  # record ids this group must never contain
    company: str | None  # existing company id (incremental mode)
    domains: set[str] = field(default_factory=set)
    phones: dict[str, set[str]] = field(default_factory=dict)  # city -> phones seen there
    # other root -> [scored pairs, confident non-match pairs, sum of their probabilities]
    cross: dict[str, list[float]] = field(default_factory=dict)


class _Clusterer:
    def __init__(
        self,
        record_ids: Iterable[str],
        identifiers: Mapping[str, Mapping[str, str]],
        companies: Mapping[str, str],
        rejected: Iterable[tuple[str, str]],
        domains: Mapping[str, Iterable[str]] | None = None,
        phones: Mapping[str, Mapping[str, Iterable[str]]] | None = None,
    ) -> None:
        domains = domains or {}
        phones = phones or {}
        self.parent: dict[str, str] = {}
        self.groups: dict[str, _Group] = {}
        for rid in record_ids:
            self.parent[rid] = rid
            self.groups[rid] = _Group(
                members={rid},
                identifiers=dict(identifiers.get(rid, {})),
                rejected=set(),
                company=companies.get(rid),
                domains=set(domains.get(rid, ())),
                phones={c: set(p) for c, p in phones.get(rid, {}).items()},
            )
        for a, b in rejected:
            if a in self.groups and b in self.groups:
                self.groups[a].rejected.add(b)
                self.groups[b].rejected.add(a)
        # Register records of one company start as one group.
        by_company: dict[str, str] = {}
        for rid, company in companies.items():
            if rid not in self.groups:
                continue
            if company in by_company:
                self._union(by_company[company], rid)
            else:
                by_company[company] = rid

    def find(self, rid: str) -> str:
        root = rid
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[rid] != root:  # path compression
            self.parent[rid], rid = root, self.parent[rid]
        return root

    def note_pair(self, a: str, b: str, separated: bool, probability: float) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return
        for x, y in ((ra, rb), (rb, ra)):
            stats = self.groups[x].cross.setdefault(y, [0, 0, 0.0])
            stats[0] += 1
            stats[1] += int(separated)
            stats[2] += probability

    def refusal(self, a: str, b: str, policy: ClusterPolicy, frozen: bool) -> str | None:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return None
        ga, gb = self.groups[ra], self.groups[rb]
        for kind, value in ga.identifiers.items():
            other = gb.identifiers.get(kind)
            if other is not None and other != value:
                return REASON_IDENTIFIER_CONFLICT
        if ga.rejected & gb.members or gb.rejected & ga.members:
            return REASON_REJECTED
        if frozen and ga.company and gb.company and ga.company != gb.company:
            return REASON_TWO_COMPANIES
        same_identifier = bool(set(ga.identifiers.items()) & set(gb.identifiers.items()))
        if policy.shared_site_overrules and (same_identifier or ga.domains & gb.domains):
            return None

        if not same_identifier:
            if (
                policy.separate_domains
                and ga.domains
                and gb.domains
                and not ga.domains & gb.domains
            ):
                return REASON_DIFFERENT_DOMAINS
            if policy.separate_phones and not ga.domains & gb.domains:
                for city, numbers in ga.phones.items():
                    theirs = gb.phones.get(city)
                    if theirs and not numbers & theirs:
                        return REASON_DIFFERENT_PHONES
        scored, separated, total = ga.cross.get(rb, (0, 0, 0.0))
        if separated >= 2 and separated > policy.max_separated_share * scored:
            return REASON_SEPARATED
        if (
            len(ga.members) > 1
            and len(gb.members) > 1
            and scored > 1
            and total < policy.min_group_linkage * scored
        ):
            return REASON_SEPARATED
        return None

    def _union(self, a: str, b: str) -> str:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return ra
        if len(self.groups[ra].members) < len(self.groups[rb].members):
            ra, rb = rb, ra
        big, small = self.groups[ra], self.groups.pop(rb)
        self.parent[rb] = ra
        big.members |= small.members
        big.rejected |= small.rejected
        big.domains |= small.domains
        for city, numbers in small.phones.items():
            big.phones.setdefault(city, set()).update(numbers)
        for kind, value in small.identifiers.items():
            big.identifiers.setdefault(kind, value)
        big.company = big.company or small.company
        # Fold the cross statistics of the absorbed group into the surviving one.
        big.cross.pop(rb, None)
        for other, (n, neg, total) in small.cross.items():
            if other == ra:
                continue
            stats = big.cross.setdefault(other, [0, 0, 0.0])
            stats[0] += n
            stats[1] += neg
            stats[2] += total
            other_cross = self.groups[other].cross
            moved = other_cross.pop(rb, [0, 0, 0.0])
            back = other_cross.setdefault(ra, [0, 0, 0.0])
            for i in range(3):
                back[i] += moved[i]
        return ra

    def union(self, a: str, b: str) -> None:
        self._union(a, b)

    def key_of(self, root: str) -> str:
        group = self.groups[root]
        return group.company if group.company is not None else min(group.members)


def cluster_pairs(
    record_ids: Iterable[str],
    pairs: Iterable[tuple[str, str, float]],
    *,
    policy: ClusterPolicy | None = None,
    identifiers: Mapping[str, Mapping[str, str]] | None = None,
    companies: Mapping[str, str] | None = None,
    accepted: Iterable[tuple[str, str]] = (),
    rejected: Iterable[tuple[str, str]] = (),
    freeze_companies: bool = True,
    domains: Mapping[str, Iterable[str]] | None = None,
    phones: Mapping[str, Mapping[str, Iterable[str]]] | None = None,
) -> ClusterResult:
    """Cluster records from scored pairs ``(left_id, right_id, match_probability)``.

    ``identifiers`` maps a record id to its *valid* identifiers by kind (``{"inn": "77…"}``);
    ``companies`` maps register record ids to their existing company id (incremental mode:
    with ``freeze_companies`` two existing companies are never merged here, only proposed);
    ``accepted``/``rejected`` are pairs decided by a person — accepted pairs are merged first,
    rejected pairs never end up in one cluster.
    """
    policy = policy or ClusterPolicy()
    ids = list(dict.fromkeys(record_ids))
    clusterer = _Clusterer(ids, identifiers or {}, companies or {}, rejected, domains, phones)
    known = clusterer.parent
    scored = [(a, b, p) for a, b, p in pairs if a in known and b in known and a != b]

    for a, b, p in scored:
        clusterer.note_pair(a, b, p < policy.non_match_probability, p)

    review: dict[tuple[str, str], ReviewItem] = {}
    refused = 0

    def propose(a: str, b: str, p: float, reason: str) -> None:
        key = tuple(sorted((clusterer.find(a), clusterer.find(b))))
        current = review.get(key)  # type: ignore[arg-type]
        if current is None or p > current.probability:
            review[key] = ReviewItem(a, b, p, reason)  # type: ignore[index]

    for a, b in accepted:
        if a in known and b in known:
            reason = clusterer.refusal(a, b, policy, frozen=False)
            if reason in _SOFT_REASONS:
                clusterer.union(a, b)  # a person's decision outranks the evidence

    # Ties broken by the ids: the same input always clusters the same way.
    for a, b, p in sorted(scored, key=lambda t: (-t[2], t[0], t[1])):
        if p < policy.match_threshold:
            break
        reason = clusterer.refusal(a, b, policy, frozen=freeze_companies)
        if reason is None:
            if clusterer.find(a) != clusterer.find(b):
                clusterer.union(a, b)
        else:
            refused += 1
            if reason != REASON_REJECTED:
                propose(a, b, p, reason)

    for a, b, p in scored:
        if policy.review_threshold <= p < policy.match_threshold and clusterer.find(
            a
        ) != clusterer.find(b):
            reason = clusterer.refusal(a, b, policy, frozen=freeze_companies)
            if reason in _SOFT_REASONS:
                propose(a, b, p, REASON_UNCERTAIN if reason is None else reason)

    # One review item per pair of final groups (the strongest); merged ones are dropped.
    final: dict[tuple[str, str], ReviewItem] = {}
    for item in review.values():
        ra, rb = clusterer.find(item.left), clusterer.find(item.right)
        if ra == rb:
            continue
        key = (ra, rb) if ra < rb else (rb, ra)
        if key not in final or item.probability > final[key].probability:
            final[key] = item
    items = sorted(final.values(), key=lambda item: -item.probability)
    cluster_of = {rid: clusterer.key_of(clusterer.find(rid)) for rid in ids}
    return ClusterResult(cluster_of=cluster_of, review=items, refused_merges=refused)
