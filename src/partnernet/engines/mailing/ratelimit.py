"""Pacing: at most N messages a minute, spread evenly (no bursts that trip a provider's limits).

The clock and sleep are injectable so tests can check the pacing without waiting.
"""

from __future__ import annotations

import time
from collections.abc import Callable


class RateLimiter:
    """Call :meth:`wait` before each message; it sleeps just enough to keep the rate.

    Evenly spaced rather than a token bucket with a burst: mailbox providers count per short
    window, and an even pace is what they like best. After a pause longer than one interval
    (a slow SMTP answer), the next message goes at once but no catching-up burst follows.
    """

    def __init__(
        self,
        per_minute: float | None,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.interval = 60.0 / per_minute if per_minute and per_minute > 0 else 0.0
        self._clock = clock
        self._sleep = sleep
        self._next: float | None = None

    def wait(self) -> float:
        """Block until the next message may go; returns the seconds slept."""
        if self.interval == 0.0:
            return 0.0
        now = self._clock()
        slept = 0.0
        if self._next is not None and now < self._next:
            slept = self._next - now
            self._sleep(slept)
            now = self._next
        self._next = now + self.interval
        return slept
