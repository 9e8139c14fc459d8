"""Partner selection: the fit filters and the four approaches of the book's chapter 6.

Every approach takes plain :class:`~partnernet.engines.selection.records.PartnerRecord` objects
(built by the register app from companies) and returns ranked, explained results. Nothing here
knows about the database.
"""

from partnernet.engines.selection.customer_driven import (
    CustomerCoverage,
    PartnerReach,
    SupplyRelation,
    TargetCustomer,
    customer_driven_selection,
)
from partnernet.engines.selection.fit import FitCriteria, FitResult, fit_score
from partnernet.engines.selection.phased import (
    FunnelStage,
    StageAssignment,
    StageRule,
    assign_stages,
)
from partnernet.engines.selection.records import Authorisation, Office, PartnerRecord
from partnernet.engines.selection.regional import (
    Quota,
    Territory,
    TerritoryGap,
    format_quota,
    parse_quota,
    regional_gaps,
)
from partnernet.engines.selection.specialisation import ShortlistEntry, specialisation_shortlist

__all__ = [
    "Authorisation",
    "CustomerCoverage",
    "FitCriteria",
    "FitResult",
    "FunnelStage",
    "Office",
    "PartnerReach",
    "PartnerRecord",
    "Quota",
    "ShortlistEntry",
    "StageAssignment",
    "StageRule",
    "SupplyRelation",
    "TargetCustomer",
    "Territory",
    "TerritoryGap",
    "assign_stages",
    "customer_driven_selection",
    "fit_score",
    "format_quota",
    "parse_quota",
    "regional_gaps",
    "specialisation_shortlist",
]
