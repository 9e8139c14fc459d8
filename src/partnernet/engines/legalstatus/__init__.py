"""Legal-entity status by tax number: is the partner company still alive?

When every address at a company bounces, the company may have closed. Public registers answer
that by INN; this package defines the provider interface and a DaData "find party by INN" client.
Providers raise :class:`RegisterUnavailable` with a clear reason when the service cannot be
reached, so the caller can keep the task open instead of recording a false status.
"""

from partnernet.engines.legalstatus.base import (
    CachedProvider,
    LegalStatus,
    LegalStatusProvider,
    RegisterError,
    RegisterUnavailable,
    Status,
)
from partnernet.engines.legalstatus.dadata import DaDataPartyClient, parse_party_response

__all__ = [
    "CachedProvider",
    "DaDataPartyClient",
    "LegalStatus",
    "LegalStatusProvider",
    "RegisterError",
    "RegisterUnavailable",
    "Status",
    "parse_party_response",
]
