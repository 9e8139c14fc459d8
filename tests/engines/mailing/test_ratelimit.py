from __future__ import annotations

import itertools

from partnernet.engines.mailing import RateLimiter


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0
        self.slept: list[float] = []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


def test_even_spacing_at_the_configured_rate() -> None:
    fake = FakeClock()
    limiter = RateLimiter(120, clock=fake.clock, sleep=fake.sleep)  # one per 0.5 s
    starts = []
    for _ in range(5):
        limiter.wait()
        starts.append(fake.now)
        fake.now += 0.1  # the SMTP transaction takes 0.1 s
    assert [round(b - a, 6) for a, b in itertools.pairwise(starts)] == [0.5] * 4


def test_no_catch_up_burst_after_a_slow_send() -> None:
    fake = FakeClock()
    limiter = RateLimiter(60, clock=fake.clock, sleep=fake.sleep)
    limiter.wait()
    fake.now += 5.0  # a slow server
    assert limiter.wait() == 0.0
    assert limiter.wait() == 1.0  # the next one waits a full interval again


def test_zero_or_none_means_unlimited() -> None:
    fake = FakeClock()
    for rate in (0, None):
        limiter = RateLimiter(rate, clock=fake.clock, sleep=fake.sleep)
        assert all(limiter.wait() == 0.0 for _ in range(3))
    assert fake.slept == []
