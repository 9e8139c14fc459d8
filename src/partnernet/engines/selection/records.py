"""The plain record every selection approach works on."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True)
class Authorisation:
    """A vendor's authorisation of a partner, with the level normalised to a rank (0 = lowest)."""

    vendor: str
    level: str = ""
    rank: int = 0
    specialisations: frozenset[str] = frozenset()
    last_seen: date | None = None


@dataclass(frozen=True, slots=True)
class Office:
    """A place other than the head office where the register saw the company (a branch)."""

    city_key: str = ""
    city: str = ""
    region: str = ""
    federal_district: str = ""
    country: str = ""


@dataclass(slots=True)
class PartnerRecord:
    """One company as selection sees it.

    ``kinds`` says what the company does in the channel (integrator, reseller, distributor…);
    ``size`` is a coarse signal (``small``, ``medium``, ``large`` or empty when unknown);
    ``recruited`` marks companies already in the user's own partner network.
    ``facts`` carries numeric signals for funnel rules (deals_12m, certified_people…).
    The place fields are the head office (the primary location); ``branches`` are the other
    offices the register knows.

    Not frozen (but treat it as read-only): a frozen dataclass costs a ``object.__setattr__``
    per field, which is most of the time of loading a 100,000-company register.
    """

    id: int | str
    name: str
    city_key: str = ""
    city: str = ""
    region: str = ""
    federal_district: str = ""
    country: str = ""
    specialisations: frozenset[str] = frozenset()
    sectors: frozenset[str] = frozenset()
    kinds: frozenset[str] = frozenset()
    size: str = ""
    authorisations: tuple[Authorisation, ...] = ()
    source_count: int = 0
    recruited: bool = False
    facts: dict[str, float] = field(default_factory=dict)
    branches: tuple[Office, ...] = ()

    @property
    def vendor_count(self) -> int:
        return len({a.vendor for a in self.authorisations})

    def activity(self) -> float:
        """How visible and active the partner is: vendors that authorised it, weighted by level.

        A partner on many vendors' lists at high levels sells; one seen once may be dormant.
        """
        if len(self.authorisations) == 1:
            return 1.0 + 0.5 * self.authorisations[0].rank
        best_rank: dict[str, int] = {}
        for auth in self.authorisations:
            best_rank[auth.vendor] = max(best_rank.get(auth.vendor, 0), auth.rank)
        return sum(1.0 + 0.5 * rank for rank in best_rank.values())
