"""Regional approach: quotas per territory and the gap report.

A quota reads like the book's examples: "at least 5 integrators in every city of over a million
people" is ``city:1000000:5:integrator``; "20 resellers in every federal district" is
``federal_district:20:reseller``. For each territory the report says how many recruited partners
it has, how many it needs, and which not-yet-recruited companies there fit best, and why.
"""

from __future__ import annotations

import heapq
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from partnernet.engines.errors import CodedError
from partnernet.engines.selection.fit import FitCriteria, fit_score, fit_value
from partnernet.engines.selection.records import PartnerRecord

TERRITORY_TYPES = ("city", "region", "federal_district", "country")
MILLION = 1_000_000


class QuotaError(CodedError):
    """A quota string that cannot be read."""


# The quota token that counts head offices only (by default branches count too).
HEAD_OFFICES_ONLY = "hq"


@dataclass(frozen=True)
class Quota:
    """``head_offices_only``: count a partner only where its head office is; by default a
    partner counts (once) in every territory where the register knows an office of it."""

    territory_type: str
    need: int
    min_population: int = 0
    kinds: frozenset[str] = frozenset()
    head_offices_only: bool = False

    def describe(self) -> str:
        who = "/".join(sorted(self.kinds)) or "partners"
        where = {
            "city": "every city"
            + (f" of {self.min_population:,}+ people" if self.min_population else ""),
            "region": "every region",
            "federal_district": "every federal district",
            "country": "every country",
        }[self.territory_type]
        offices = ", head offices only" if self.head_offices_only else ""
        return f"at least {self.need} {who} in {where}{offices}"


@dataclass(frozen=True)
class Territory:
    """A place a quota is counted in; ``key`` matches the partner record's field for its type."""

    type: str
    key: str
    name: str
    population: int = 0
    million_plus: bool = False
    lat: float | None = None
    lon: float | None = None


@dataclass
class Candidate:
    id: int | str
    name: str
    score: float
    reasons: list[str]
    warnings: list[str]


@dataclass
class TerritoryGap:
    territory: Territory
    have: int
    need: int
    gap: int
    recruited: list[int | str] = field(default_factory=list)
    candidates: list[Candidate] = field(default_factory=list)
    available: int = 0
    # The recruited partners counted here through a branch (a subset of ``recruited``).
    recruited_at_branches: list[int | str] = field(default_factory=list)


def parse_quota(text: str) -> Quota:
    """Read ``TYPE[:MIN_POPULATION]:NEED[:KIND[,KIND]][:hq]``; ``hq`` counts head offices only.

    >>> parse_quota("city:1000000:5")
    Quota(territory_type='city', need=5, min_population=1000000, kinds=frozenset(), \
head_offices_only=False)
    >>> parse_quota("federal_district:20:reseller").kinds
    frozenset({'reseller'})
    >>> parse_quota("city:1000000:5:integrator:hq").head_offices_only
    True
    >>> parse_quota("region:3:hq").kinds
    frozenset()
    >>> parse_quota("planet:3")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    partnernet.engines.selection.regional.QuotaError: unknown territory type 'planet' ...
    """
    parts = [p.strip() for p in text.strip().split(":")]
    if not parts or parts[0] not in TERRITORY_TYPES:
        known = ", ".join(TERRITORY_TYPES)
        raise QuotaError(
            "quota_territory",
            f"unknown territory type {parts[0]!r} (use {known})",
            territory=parts[0],
            known=known,
        )
    kind = parts[0]
    numbers: list[int] = []
    rest = parts[1:]
    while rest and rest[0].replace("_", "").isdigit():
        numbers.append(int(rest.pop(0).replace("_", "")))
    if kind == "city" and len(numbers) == 2:
        min_population, need = numbers
    elif len(numbers) == 1:
        min_population, need = 0, numbers[0]
    else:
        raise QuotaError(
            "quota_syntax",
            f"quota {text!r}: expected {kind}:[MIN_POPULATION:]NEED[:KIND]",
            quota=text,
            kind=kind,
        )
    if need <= 0:
        raise QuotaError(
            "quota_not_positive", f"quota {text!r}: the number needed must be positive", quota=text
        )
    head_offices_only = HEAD_OFFICES_ONLY in rest
    rest = [part for part in rest if part != HEAD_OFFICES_ONLY]
    kinds = frozenset(k for k in (rest[0].split(",") if rest else []) if k)
    return Quota(
        territory_type=kind,
        need=need,
        min_population=min_population,
        kinds=kinds,
        head_offices_only=head_offices_only,
    )


def format_quota(quota: Quota) -> str:
    """The quota as text again (``parse_quota(format_quota(q)) == q``).

    >>> format_quota(parse_quota("city:1_000_000:5:reseller,integrator:hq"))
    'city:1000000:5:integrator,reseller:hq'
    """
    parts = [quota.territory_type]
    if quota.territory_type == "city" and quota.min_population:
        parts.append(str(quota.min_population))
    parts.append(str(quota.need))
    if quota.kinds:
        parts.append(",".join(sorted(quota.kinds)))
    if quota.head_offices_only:
        parts.append(HEAD_OFFICES_ONLY)
    return ":".join(parts)


# The partner record's field holding its place of each territory type.
TERRITORY_FIELD = {
    "city": "city_key",
    "region": "region",
    "federal_district": "federal_district",
    "country": "country",
}


def quota_territories(quota: Quota, territories: Iterable[Territory]) -> list[Territory]:
    """The territories a quota applies to.

    "Cities of over a million" follow the 2021 census list (``million_plus``), not the older
    population figures, which give only 13 such cities.
    """
    chosen = []
    for territory in territories:
        if territory.type != quota.territory_type:
            continue
        if quota.territory_type == "city" and quota.min_population:
            big_enough = territory.population >= quota.min_population or (
                quota.min_population <= MILLION and territory.million_plus
            )
            if not big_enough:
                continue
        chosen.append(territory)
    return chosen


def regional_gaps(
    partners: Sequence[PartnerRecord],
    quota: Quota,
    territories: Iterable[Territory],
    *,
    criteria: FitCriteria | None = None,
    top: int = 10,
) -> list[TerritoryGap]:
    """Have, need, gap and the best candidates for every territory of the quota's type.

    A recruited partner counts towards a territory when it has an office there — its head
    office, or a branch unless the quota counts head offices only — and fits the criteria (a
    recruited partner of the wrong niche does not fill a niche quota); it counts once however
    many offices it has there. Candidates are ranked by fit first and activity second (vendors
    that authorised them, by level); a candidate found through a branch says so and names its
    head office.
    """
    criteria = criteria or FitCriteria(kinds=quota.kinds)
    if quota.kinds and not criteria.kinds:
        criteria = FitCriteria(
            specialisations=criteria.specialisations,
            sectors=criteria.sectors,
            min_size=criteria.min_size,
            kinds=quota.kinds,
            require_all=criteria.require_all,
        )
    # Each partner once per territory: at its head office, else at a branch there. Two plain
    # indexes, no object per record: the whole register passes through here, and allocating a
    # hundred thousand small containers wakes the cyclic garbage collector over all of it.
    by_territory: dict[str, list[PartnerRecord]] = defaultdict(list)
    by_branch: dict[str, list[PartnerRecord]] = defaultdict(list)
    field_name = TERRITORY_FIELD[quota.territory_type]
    count_branches = not quota.head_offices_only
    for record in partners:
        key = getattr(record, field_name)
        if key:
            by_territory[key].append(record)
        if count_branches and record.branches:
            for branch_key in {getattr(office, field_name) for office in record.branches}:
                if branch_key and branch_key != key:
                    by_branch[branch_key].append(record)

    report: list[TerritoryGap] = []
    for territory in quota_territories(quota, territories):
        recruited: list[int | str] = []
        at_branches: list[int | str] = []
        ranked: list[tuple[float, str, PartnerRecord, bool]] = []
        for via_branch, group in (
            (False, by_territory.get(territory.key, ())),
            (True, by_branch.get(territory.key, ())),
        ):
            for record in group:
                score, eligible = fit_value(record, criteria)
                if not eligible:
                    continue
                if record.recruited:
                    recruited.append(record.id)
                    if via_branch:
                        at_branches.append(record.id)
                    continue
                activity = round(score * (1.0 + record.activity()), 4)
                ranked.append((activity, record.name, record, via_branch))
        # Words only for the candidates shown.
        best = heapq.nsmallest(top, ranked, key=lambda item: (-item[0], str(item[1])))
        candidates = []
        for score, _name, record, via_branch in best:
            fit = fit_score(record, criteria)
            reasons = [*fit.reasons]
            if via_branch:
                # Recruiting is agreed with the head office, wherever the branch is.
                head_office = record.city or record.region or record.country or "unknown"
                reasons.append(f"branch office here; head office: {head_office}")
            if record.authorisations:
                reasons.append(f"authorised by {record.vendor_count} vendor(s)")
            candidates.append(
                Candidate(
                    id=record.id,
                    name=record.name,
                    score=score,
                    reasons=reasons,
                    warnings=fit.warnings,
                )
            )
        have = len(recruited)
        report.append(
            TerritoryGap(
                territory=territory,
                have=have,
                need=quota.need,
                gap=max(0, quota.need - have),
                recruited=recruited,
                candidates=candidates,
                available=len(ranked),
                recruited_at_branches=at_branches,
            )
        )
    report.sort(key=lambda g: (-g.gap, -g.territory.population, g.territory.name))
    return report


def default_territories() -> list[Territory]:
    """Cities, regions, federal districts and countries from the bundled geography."""
    from partnernet.engines import geo

    territories: list[Territory] = []
    districts: dict[str, int] = defaultdict(int)
    countries: dict[str, int] = defaultdict(int)
    regions: dict[str, int] = defaultdict(int)
    for city in geo.cities():
        territories.append(
            Territory(
                type="city",
                key=city.key,
                name=city.name_ru,
                population=city.population,
                million_plus=city.million_plus,
                lat=city.lat,
                lon=city.lon,
            )
        )
        if city.federal_district:
            districts[city.federal_district] += city.population
        regions[city.region] += city.population
        countries[city.country] += city.population
    territories += [Territory("federal_district", k, k, v) for k, v in districts.items()]
    territories += [Territory("region", k, k, v) for k, v in regions.items() if k]
    territories += [Territory("country", k, k, v) for k, v in countries.items()]
    return territories
