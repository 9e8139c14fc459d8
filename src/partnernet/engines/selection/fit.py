"""Fit filters shared by every approach: product direction, customer sector, size.

The book's first two questions come before any approach: does the partner already work in our
product direction, and does it sell to the customers our product is for? An SMB-focused
regional partner offered an Enterprise product will not sell it and may resent the offer, so a
mismatch is reported as a warning, not silently filtered.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from partnernet.engines.selection.records import PartnerRecord

SIZE_ORDER = {"small": 0, "medium": 1, "large": 2}
# Sectors that mark the customer segment rather than an industry.
SEGMENTS = frozenset({"enterprise", "smb", "public"})


@dataclass(frozen=True)
class FitCriteria:
    specialisations: frozenset[str] = frozenset()
    sectors: frozenset[str] = frozenset()
    min_size: str = ""
    kinds: frozenset[str] = frozenset()
    # Keep partners whose fit is only partial (e.g. right niche, unknown sector)?
    require_all: bool = False


@dataclass
class FitResult:
    score: float
    eligible: bool
    reasons: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def fit_score(record: PartnerRecord, criteria: FitCriteria, *, explain: bool = True) -> FitResult:
    """Score 0..1 of how well a partner fits, with reasons and warnings in plain words.

    ``explain=False`` skips the words (same score and eligibility): ranking a whole register
    needs the numbers for everyone but the words only for the few shown.

    >>> from partnernet.engines.selection.records import PartnerRecord
    >>> p = PartnerRecord(id=1, name="A", specialisations=frozenset({"infosec"}),
    ...                   sectors=frozenset({"smb"}))
    >>> r = fit_score(p, FitCriteria(specialisations=frozenset({"infosec"}),
    ...                              sectors=frozenset({"enterprise"})))
    >>> r.eligible, r.warnings
    (True, ['works with smb customers; the target is enterprise'])
    """
    reasons: list[str] = []
    warnings: list[str] = []
    parts: list[float] = []
    eligible = True

    if criteria.specialisations:
        matched = record.specialisations & criteria.specialisations
        share = len(matched) / len(criteria.specialisations)
        parts.append(share)
        if matched:
            if explain:
                reasons.append("works in " + ", ".join(sorted(matched)))
        elif record.specialisations:
            eligible = False
            if explain:
                reasons.append(
                    "other product directions: " + ", ".join(sorted(record.specialisations))
                )
        else:
            # Unknown specialisation is not a mismatch: the lists rarely say.
            parts[-1] = 0.3
            if explain:
                warnings.append("product direction unknown")
        if criteria.require_all and share < 1.0:
            eligible = False

    if criteria.sectors:
        target_segments = criteria.sectors & SEGMENTS
        partner_segments = record.sectors & SEGMENTS
        if target_segments and partner_segments and not (target_segments & partner_segments):
            if explain:
                warnings.append(
                    f"works with {', '.join(sorted(partner_segments))} customers; "
                    f"the target is {', '.join(sorted(target_segments))}"
                )
            parts.append(0.2)
        elif record.sectors & criteria.sectors:
            parts.append(1.0)
            if explain:
                reasons.append("serves " + ", ".join(sorted(record.sectors & criteria.sectors)))
        elif not record.sectors:
            parts.append(0.5)
        else:
            parts.append(0.3)
        if explain:
            verticals = (criteria.sectors - SEGMENTS) & record.sectors
            if verticals:
                reasons.append("vertical experience: " + ", ".join(sorted(verticals)))
        if criteria.require_all and not (record.sectors & criteria.sectors):
            eligible = False

    if criteria.min_size:
        needed = SIZE_ORDER.get(criteria.min_size, 0)
        have = SIZE_ORDER.get(record.size, -1)
        if have == -1:
            parts.append(0.5)
        elif have < needed:
            eligible = False
            parts.append(0.0)
            if explain:
                reasons.append(f"size {record.size} below {criteria.min_size}")
        else:
            parts.append(1.0)

    if criteria.kinds and record.kinds and not (record.kinds & criteria.kinds):
        eligible = False
        if explain:
            reasons.append("is a " + ", ".join(sorted(record.kinds)))

    score = sum(parts) / len(parts) if parts else 1.0
    return FitResult(score=round(score, 4), eligible=eligible, reasons=reasons, warnings=warnings)


def fit_value(record: PartnerRecord, criteria: FitCriteria) -> tuple[float, bool]:
    """``(score, eligible)`` exactly as :func:`fit_score` gives them, without the words.

    Ranking a whole register calls this for every company; the words are made only for the
    few shown (a property test keeps the two functions equal).
    """
    total = 0.0
    count = 0
    eligible = True
    wanted = criteria.specialisations
    if wanted:
        matched = len(record.specialisations & wanted)
        share = matched / len(wanted)
        if matched:
            total += share
        elif record.specialisations:
            eligible = False
        else:
            total += 0.3
        count += 1
        if criteria.require_all and share < 1.0:
            eligible = False
    sectors = criteria.sectors
    if sectors:
        target_segments = sectors & SEGMENTS
        partner_segments = record.sectors & SEGMENTS
        overlap = record.sectors & sectors
        if target_segments and partner_segments and not (target_segments & partner_segments):
            total += 0.2
        elif overlap:
            total += 1.0
        elif not record.sectors:
            total += 0.5
        else:
            total += 0.3
        count += 1
        if criteria.require_all and not overlap:
            eligible = False
    if criteria.min_size:
        have = SIZE_ORDER.get(record.size, -1)
        if have == -1:
            total += 0.5
        elif have < SIZE_ORDER.get(criteria.min_size, 0):
            eligible = False
        else:
            total += 1.0
        count += 1
    if criteria.kinds and record.kinds and not (record.kinds & criteria.kinds):
        eligible = False
    return (round(total / count, 4) if count else 1.0), eligible
