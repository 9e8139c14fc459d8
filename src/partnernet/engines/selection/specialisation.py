"""Specialisation approach: a short list of partners in one niche or vertical.

Ranked by fit, then by how deep the partner is in the niche: how many vendors authorised it for
that niche and at what level. A partner authorised by three security vendors at gold level sells
security; one that lists "security" among ten directions on its site may not.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from partnernet.engines.selection.fit import FitCriteria, fit_score
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
    entries: list[ShortlistEntry] = []
    for record in partners:
        if record.recruited and not include_recruited:
            continue
        fit = fit_score(record, criteria)
        if not fit.eligible or fit.score <= 0:
            continue
        in_niche = [a for a in record.authorisations if not niche or (a.specialisations & niche)]
        vendors = {a.vendor for a in in_niche}
        best_rank = max((a.rank for a in in_niche), default=0)
        depth = len(vendors) + 0.5 * best_rank
        reasons = [*fit.reasons]
        if vendors:
            reasons.append(f"{len(vendors)} vendor authorisation(s) in the niche")
        entries.append(
            ShortlistEntry(
                id=record.id,
                name=record.name,
                score=round(fit.score * (1.0 + depth), 4),
                niche_vendors=len(vendors),
                best_rank=best_rank,
                reasons=reasons,
                warnings=fit.warnings,
            )
        )
    entries.sort(key=lambda e: (-e.score, -e.niche_vendors, str(e.name)))
    return entries[:limit]
