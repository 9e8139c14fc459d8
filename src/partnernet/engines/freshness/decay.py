"""Yearly decay of a contact base, estimated from when contacts were found to have left.

Each contact is watched from the day it entered the base (``first_seen``) until the day it was
found to have left (``left_on``, an event) or, if still there, the day it was last confirmed
(``last_confirmed``, censored). With a constant hazard the maximum-likelihood rate is
events / person-years, and the share lost in a year is ``1 - exp(-rate)``; its 95% interval
comes from the exact Poisson interval of the event count. The book's rule of thumb — a base loses
5-10% a year — is shown beside the measurement, not used in it.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from scipy.stats import chi2

BOOK_DECAY_RANGE = (0.05, 0.10)
DAYS_PER_YEAR = 365.25


@dataclass(frozen=True)
class ContactHistory:
    id: int | str
    first_seen: date
    last_confirmed: date | None = None
    left_on: date | None = None


@dataclass(frozen=True)
class DecayEstimate:
    contacts: int
    departures: int
    person_years: float
    yearly_decay: float | None
    ci95: tuple[float, float] | None
    book_range: tuple[float, float] = BOOK_DECAY_RANGE

    @property
    def compared_to_book(self) -> str:
        if self.yearly_decay is None:
            return "not enough history"
        low, high = self.book_range
        if self.yearly_decay < low:
            return "slower than the book's 5-10% a year"
        if self.yearly_decay > high:
            return "faster than the book's 5-10% a year"
        return "within the book's 5-10% a year"


def _exposure_years(contact: ContactHistory, today: date) -> tuple[float, bool]:
    end = contact.left_on or contact.last_confirmed or today
    days = max(0, (end - contact.first_seen).days)
    return days / DAYS_PER_YEAR, contact.left_on is not None


def estimate_decay(contacts: Iterable[ContactHistory], *, today: date) -> DecayEstimate:
    """Constant-hazard estimate of the share of contacts lost per year, with a 95% interval.

    >>> from datetime import date
    >>> hist = [ContactHistory(i, date(2020, 1, 1), last_confirmed=date(2025, 1, 1))
    ...         for i in range(90)]
    >>> hist += [ContactHistory(100 + i, date(2020, 1, 1), left_on=date(2022, 1, 1))
    ...          for i in range(10)]
    >>> est = estimate_decay(hist, today=date(2025, 1, 1))
    >>> est.departures, round(est.person_years), round(est.yearly_decay, 3)
    (10, 470, 0.021)
    """
    n = events = 0
    exposure = 0.0
    for contact in contacts:
        years, left = _exposure_years(contact, today)
        n += 1
        exposure += years
        events += left
    if exposure <= 0:
        return DecayEstimate(n, events, 0.0, None, None)
    rate = events / exposure
    low_events = chi2.ppf(0.025, 2 * events) / 2 if events else 0.0
    high_events = chi2.ppf(0.975, 2 * events + 2) / 2

    def to_share(r: float) -> float:
        return 1.0 - math.exp(-r)

    return DecayEstimate(
        contacts=n,
        departures=events,
        person_years=round(exposure, 3),
        yearly_decay=to_share(rate),
        ci95=(to_share(low_events / exposure), to_share(high_events / exposure)),
    )


def decay_by_age(
    contacts: Iterable[ContactHistory], *, today: date, max_years: int = 10
) -> list[dict[str, float | int]]:
    """For each year of age k: contacts watched through year k and the share that left in it."""
    at_risk = [0] * max_years
    left = [0] * max_years
    for contact in contacts:
        years, did_leave = _exposure_years(contact, today)
        whole = min(int(years), max_years)
        for k in range(whole):
            at_risk[k] += 1
        if did_leave and whole < max_years:
            at_risk[whole] += 1
            left[whole] += 1
    return [
        {
            "year": k + 1,
            "at_risk": at_risk[k],
            "left": left[k],
            "share_left": (left[k] / at_risk[k]) if at_risk[k] else 0.0,
        }
        for k in range(max_years)
        if at_risk[k]
    ]


def stalest(
    contacts: Sequence[ContactHistory], *, today: date, limit: int = 50
) -> list[tuple[ContactHistory, int]]:
    """Active contacts by days since last confirmed, oldest first: the ones to re-verify."""
    active = [c for c in contacts if c.left_on is None]
    aged = [(c, (today - (c.last_confirmed or c.first_seen)).days) for c in active]
    aged.sort(key=lambda pair: -pair[1])
    return aged[:limit]
