"""The provider interface, the normalised status, and a time-bounded cache."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Protocol


class Status(StrEnum):
    ACTIVE = "active"
    LIQUIDATING = "liquidating"
    LIQUIDATED = "liquidated"
    REORGANISING = "reorganising"
    BANKRUPT = "bankrupt"
    NOT_FOUND = "not_found"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class LegalStatus:
    tax_id: str
    status: Status
    name: str = ""
    ogrn: str = ""
    kpp: str = ""
    registered: date | None = None
    liquidated: date | None = None
    actual_on: date | None = None
    provider: str = ""
    raw: dict = field(default_factory=dict, compare=False, repr=False)

    @property
    def is_alive(self) -> bool:
        return self.status in (Status.ACTIVE, Status.REORGANISING)


class RegisterError(Exception):
    """The register answered, but not with something we can use (bad token, bad request)."""


class RegisterUnavailable(RegisterError):
    """The register could not be reached (no network, timeout, server error)."""


class LegalStatusProvider(Protocol):
    name: str

    def find_by_tax_id(self, tax_id: str) -> LegalStatus: ...


class CachedProvider:
    """Remember answers for ``ttl_seconds`` so a bulk check does not ask twice for one INN.

    Unavailability is not cached: the next call tries the register again.
    """

    def __init__(
        self,
        provider: LegalStatusProvider,
        ttl_seconds: float = 7 * 24 * 3600,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.provider = provider
        self.name = provider.name
        self.ttl = ttl_seconds
        self.clock = clock
        self._cache: dict[str, tuple[float, LegalStatus]] = {}

    def find_by_tax_id(self, tax_id: str) -> LegalStatus:
        now = self.clock()
        hit = self._cache.get(tax_id)
        if hit and now - hit[0] < self.ttl:
            return hit[1]
        status = self.provider.find_by_tax_id(tax_id)
        self._cache[tax_id] = (now, status)
        return status
