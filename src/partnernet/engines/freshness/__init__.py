"""How fast a contact base decays, measured from its own history."""

from partnernet.engines.freshness.decay import (
    BOOK_DECAY_RANGE,
    ContactHistory,
    DecayEstimate,
    decay_by_age,
    estimate_decay,
    stalest,
)

__all__ = [
    "BOOK_DECAY_RANGE",
    "ContactHistory",
    "DecayEstimate",
    "decay_by_age",
    "estimate_decay",
    "stalest",
]
