"""Specialisation approach: a short list of partners in one niche or vertical.

Ranked by fit, then by how deep the partner is in the niche: how many vendors authorised it for
that niche and at what level. A partner authorised by three security vendors at gold level sells
security; one that lists "security" among ten directions on its site may not.
"""

from __future__ import annotations

import heapq
from collections.abc import Sequence
from dataclasses import dataclass, field

from partnernet.engines.selection.fit import FitCriteria, fit_score, fit_value
from partnernet.engines.selection.records import PartnerRecord


@dataclass
class ShortlistEntry:
    id: int | str
    name: str
    score: float
    niche_vendors: int
    best_rank: int
    reasons: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def specialisation_shortlist(
    partners: Sequence[PartnerRecord],
    criteria: FitCriteria,
    *,
    limit: int = 25,
    include_recruited: bool = False,
) -> list[ShortlistEntry]:
    niche = criteria.specialisations
    ranked: list[tuple[float, int, str, int, PartnerRecord]] = []
    for record in partners:
        if record.recruited and not include_recruited:
            continue
        fit_score_value, eligible = fit_value(record, criteria)
        if not eligible or fit_score_value <= 0:
            continue
        vendors: set[str] = set()
        best_rank = 0
        for auth in record.authorisations:
            if not niche or (auth.specialisations & niche):
                vendors.add(auth.vendor)
                best_rank = max(best_rank, auth.rank)
        depth = len(vendors) + 0.5 * best_rank
        ranked.append(
            (
                round(fit_score_value * (1.0 + depth), 4),
                len(vendors),
                record.name,
                best_rank,
                record,
            )
        )
    best = heapq.nsmallest(limit, ranked, key=lambda item: (-item[0], -item[1], str(item[2])))
    entries: list[ShortlistEntry] = []
    for score, vendor_count, name, best_rank, record in best:
        # Words only for the entries kept.
        fit = fit_score(record, criteria)
        reasons = [*fit.reasons]
        if vendor_count:
            reasons.append(f"{vendor_count} vendor authorisation(s) in the niche")
        entries.append(
            ShortlistEntry(
                id=record.id,
                name=name,
                score=score,
                niche_vendors=vendor_count,
                best_rank=best_rank,
                reasons=reasons,
                warnings=fit.warnings,
            )
        )
    return entries
