import math
import random
from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from partnernet.engines.freshness import ContactHistory, decay_by_age, estimate_decay, stalest

TODAY = date(2026, 1, 1)


def test_recovers_a_known_yearly_decay_from_simulated_history():
    rng = random.Random(7)
    true_decay = 0.08
    rate = -math.log(1 - true_decay)
    contacts = []
    for i in range(5000):
        start = TODAY - timedelta(days=rng.randint(0, 8 * 365))
        leave_after = rng.expovariate(rate) * 365.25
        left = start + timedelta(days=leave_after)
        contacts.append(
            ContactHistory(i, start, left_on=left)
            if left < TODAY
            else ContactHistory(i, start, last_confirmed=TODAY)
        )
    est = estimate_decay(contacts, today=TODAY)
    assert abs(est.yearly_decay - true_decay) < 0.01
    assert est.ci95[0] < true_decay < est.ci95[1]
    assert est.compared_to_book == "within the book's 5-10% a year"


def test_empty_history_says_so():
    est = estimate_decay([], today=TODAY)
    assert est.yearly_decay is None and est.compared_to_book == "not enough history"


def test_no_departures_has_zero_estimate_with_an_upper_bound():
    hist = [ContactHistory(i, date(2024, 1, 1), last_confirmed=TODAY) for i in range(20)]
    est = estimate_decay(hist, today=TODAY)
    assert est.yearly_decay == 0.0 and est.ci95[0] == 0.0 and 0 < est.ci95[1] < 0.2
    assert est.compared_to_book == "slower than the book's 5-10% a year"


def test_decay_by_age_and_stalest():
    hist = [
        ContactHistory(1, date(2023, 1, 1), left_on=date(2024, 6, 1)),  # left in year 2
        ContactHistory(2, date(2023, 1, 1), last_confirmed=date(2025, 6, 1)),
        ContactHistory(3, date(2025, 1, 1), last_confirmed=date(2025, 2, 1)),
    ]
    rows = {r["year"]: r for r in decay_by_age(hist, today=TODAY)}
    assert rows[1]["at_risk"] == 2 and rows[1]["left"] == 0
    assert rows[2]["at_risk"] == 2 and rows[2]["left"] == 1 and rows[2]["share_left"] == 0.5
    assert [c.id for c, _ in stalest(hist, today=TODAY)] == [3, 2]


@given(st.lists(st.tuples(st.integers(0, 3000), st.integers(0, 3000), st.booleans()), max_size=50))
def test_estimate_is_a_share_and_interval_contains_it(items):
    hist = []
    for i, (start_ago, length, left) in enumerate(items):
        start = TODAY - timedelta(days=start_ago)
        end = min(TODAY, start + timedelta(days=length))
        hist.append(
            ContactHistory(i, start, left_on=end)
            if left
            else ContactHistory(i, start, last_confirmed=end)
        )
    est = estimate_decay(hist, today=TODAY)
    if est.yearly_decay is not None:
        assert 0.0 <= est.yearly_decay <= 1.0
        assert est.ci95[0] <= est.yearly_decay + 1e-12 <= est.ci95[1] + 1e-12
