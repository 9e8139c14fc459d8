"""Conservative deterministic linking of new source rows to register companies.

The rules, in order (the first that decides wins):

1. the same valid identifier (INN, then OGRN/OGRNIP, Kazakh BIN, Belarusian UNP);
2. else the same normalised name in the same city, unless both sides have their own web
   domains and none is shared (namesakes in one city are common);
3. else the same registered web domain, public mail and hosting domains excluded.

A rule links only to exactly one company and never to a company whose valid identifier of the
same kind differs from the row's (two INNs are two legal entities). Anything else is a new
company. Rows of the same batch link to each other through the same rules: the index learns
every row's keys as it goes.

This module also defines the small interface every linker implements (:class:`Linker`), so the
probabilistic resolver can replace this one without touching the import service:

* the caller builds a :class:`CompanyIndex` from the register's companies (identifiers,
  (name key, city key) pairs, domains);
* it calls ``linker.link(candidates, index)`` with one :class:`LinkCandidate` per source row;
* it gets back one :class:`LinkDecision` per candidate: an existing ``company_id``, or a
  ``new_group`` number (candidates sharing a number become one new company);
* after creating the new companies it calls ``index.relabel({provisional: real_id})`` so the
  index can be reused for the next batch.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Protocol

# Identifier kinds that name one legal entity, strongest first. KPP is not one: it is shared
# by branches and repeats across companies.
IDENTIFIER_KINDS: tuple[str, ...] = ("inn", "ogrn", "bin", "unp")

METHOD_NEW = "new"
METHOD_NAME_CITY = "name_city"
METHOD_DOMAIN = "domain"


@dataclass(frozen=True)
class LinkCandidate:
    """What a linker sees of one source row (built from its canonical record).

    ``identifiers`` holds valid identifiers only; invalid ones never reach a linker.
    The fields after ``domains`` are for richer linkers; the deterministic one ignores them.
    """

    ref: int
    name_key: str
    city_key: str | None = None
    identifiers: Mapping[str, str] = field(default_factory=dict)
    domains: tuple[str, ...] = ()
    name: str = ""
    latin_key: str = ""
    phones: tuple[str, ...] = ()
    region: str | None = None
    country: str | None = None


@dataclass(frozen=True)
class LinkDecision:
    """Where one candidate goes: an existing company or a new group; why; how sure."""

    ref: int
    company_id: int | None
    new_group: int | None
    method: str
    score: float
    reason: str = ""

    @property
    def is_new(self) -> bool:
        return self.company_id is None


class CompanyIndex:
    """In-memory keys of the register's companies, for linking without a query per row.

    Company ids are positive; companies a linker creates during a batch get provisional
    negative ids until :meth:`relabel` gives them their real ones.
    """

    def __init__(self) -> None:
        self.by_identifier: dict[tuple[str, str], set[int]] = defaultdict(set)
        self.by_name_city: dict[tuple[str, str], set[int]] = defaultdict(set)
        self.by_domain: dict[str, set[int]] = defaultdict(set)
        self.identifiers_of: dict[int, dict[str, str]] = defaultdict(dict)
        self.domains_of: dict[int, set[str]] = defaultdict(set)

    def __len__(self) -> int:
        return len(self.identifiers_of)

    def add(
        self,
        company_id: int,
        *,
        identifiers: Mapping[str, str] | None = None,
        name_cities: Iterable[tuple[str, str | None]] = (),
        domains: Iterable[str] = (),
    ) -> None:
        known = self.identifiers_of[company_id]
        for kind, value in (identifiers or {}).items():
            if kind in IDENTIFIER_KINDS and value:
                self.by_identifier[(kind, value)].add(company_id)
                known.setdefault(kind, value)
        for name_key, city_key in name_cities:
            if name_key and city_key:
                self.by_name_city[(name_key, city_key)].add(company_id)
        for domain in domains:
            if domain:
                self.by_domain[domain].add(company_id)
                self.domains_of[company_id].add(domain)

    def relabel(self, mapping: Mapping[int, int]) -> None:
        """Replace provisional ids by real ones everywhere."""
        if not mapping:
            return
        for table in (self.by_identifier, self.by_name_city, self.by_domain):
            for ids in table.values():  # type: ignore[attr-defined]
                if ids & mapping.keys():
                    for old in ids & mapping.keys():
                        ids.discard(old)
                        ids.add(mapping[old])
        for old, new in mapping.items():
            if old in self.identifiers_of:
                self.identifiers_of[new].update(self.identifiers_of.pop(old))
            if old in self.domains_of:
                self.domains_of[new].update(self.domains_of.pop(old))

    def conflicts(self, company_id: int, identifiers: Mapping[str, str]) -> bool:
        """True when the company holds a different valid identifier of a kind the row has."""
        known = self.identifiers_of.get(company_id, {})
        return any(kind in known and known[kind] != value for kind, value in identifiers.items())


class Linker(Protocol):
    """The interface of a linking engine (deterministic here, probabilistic in ``model``)."""

    name: str

    def link(self, candidates: Sequence[LinkCandidate], index: CompanyIndex) -> list[LinkDecision]:
        """One decision per candidate, in order; learns the candidates' keys into ``index``."""
        ...


@lru_cache(maxsize=100_000)
def _default_excluded_domain(domain: str) -> bool:
    from partnernet.engines.contactinfo.domains import is_hosting_domain, is_public_mail_domain

    return is_public_mail_domain(domain) or is_hosting_domain(domain)


class DeterministicLinker:
    """Same valid identifier; else same normalised name in the same city; else same domain."""

    name = "deterministic"

    def __init__(self, excluded_domain: Callable[[str], bool] | None = None) -> None:
        self.excluded_domain = excluded_domain or _default_excluded_domain
        self._next_group = 0

    def link(self, candidates: Sequence[LinkCandidate], index: CompanyIndex) -> list[LinkDecision]:
        decisions: list[LinkDecision] = []
        for candidate in candidates:
            decision = self._decide(candidate, index)
            target = decision.company_id
            if target is None:
                assert decision.new_group is not None
                target = -decision.new_group
            domains = [d for d in candidate.domains if not self.excluded_domain(d)]
            index.add(
                target,
                identifiers={k: v for k, v in candidate.identifiers.items() if v},
                name_cities=[(candidate.name_key, candidate.city_key)],
                domains=domains,
            )
            decisions.append(decision)
        return decisions

    def _unique(
        self, ids: set[int] | None, candidate: LinkCandidate, index: CompanyIndex
    ) -> int | None:
        if not ids:
            return None
        compatible = [c for c in ids if not index.conflicts(c, candidate.identifiers)]
        return compatible[0] if len(compatible) == 1 else None

    def _decide(self, candidate: LinkCandidate, index: CompanyIndex) -> LinkDecision:
        for kind in IDENTIFIER_KINDS:
            value = candidate.identifiers.get(kind)
            if not value:
                continue
            found = self._unique(index.by_identifier.get((kind, value)), candidate, index)
            if found is not None:
                return self._to(candidate, found, kind, f"same {kind.upper()} {value}")
        if candidate.name_key and candidate.city_key:
            key = (candidate.name_key, candidate.city_key)
            found = self._unique(index.by_name_city.get(key), candidate, index)
            # Namesakes in one city are common ("Альянс" in Moscow): two different own web
            # domains say they are different companies.
            own = {d for d in candidate.domains if not self.excluded_domain(d)}
            known = index.domains_of.get(found, set()) if found is not None else set()
            if found is not None and not (own and known and not own & known):
                return self._to(candidate, found, METHOD_NAME_CITY, "same name in the same city")
        for domain in candidate.domains:
            if self.excluded_domain(domain):
                continue
            found = self._unique(index.by_domain.get(domain), candidate, index)
            if found is not None:
                return self._to(candidate, found, METHOD_DOMAIN, f"same web domain {domain}")
        self._next_group += 1
        return LinkDecision(
            ref=candidate.ref,
            company_id=None,
            new_group=self._next_group,
            method=METHOD_NEW,
            score=1.0,
            reason="no company with the same identifier, name and city, or domain",
        )

    @staticmethod
    def _to(candidate: LinkCandidate, found: int, method: str, reason: str) -> LinkDecision:
        if found < 0:  # a company created earlier in this batch
            return LinkDecision(candidate.ref, None, -found, method, 1.0, reason)
        return LinkDecision(candidate.ref, found, None, method, 1.0, reason)
