from datetime import date

from partnernet.engines.selection.phased import (
    DEFAULT_FUNNEL,
    propose_moves,
    stage_counts_over_time,
)
from partnernet.engines.selection.records import PartnerRecord
from partnernet.engines.selection.size import size_signal


def p(pid, **facts):
    return PartnerRecord(id=pid, name=f"P{pid}", facts=facts)


def test_moves_promote_demote_and_leave_the_rest():
    partners = [
        p(1, deals_12m=2, certified_people=1),  # willing -> authorised
        p(2),  # vip with nothing -> willing
        p(3, deals_12m=1, certified_people=1),  # already authorised
        p(4, deals_12m=9, certified_people=4, marketing_events_12m=2),  # new: -> vip
    ]
    current = {1: "willing", 2: "vip", 3: "authorised"}
    moves = {m.id: m for m in propose_moves(partners, current, DEFAULT_FUNNEL)}
    assert set(moves) == {1, 2, 4}
    assert (moves[1].direction, moves[1].to_stage) == ("promote", "authorised")
    assert moves[1].lacking == [
        "deals_12m >= 5",
        "certified_people >= 2",
        "marketing_events_12m >= 1",
    ]
    assert (moves[2].direction, moves[2].from_stage, moves[2].to_stage) == (
        "demote",
        "vip",
        "willing",
    )
    assert (moves[4].direction, moves[4].from_stage) == ("promote", "")
    # Promotions first.
    assert [m.direction for m in propose_moves(partners, current)][-1] == "demote"


def test_counts_over_time_use_the_latest_move_before_each_date():
    history = [
        (1, date(2026, 1, 5), "willing"),
        (1, date(2026, 3, 1), "authorised"),
        (2, date(2026, 2, 10), "willing"),
        (2, date(2026, 2, 20), "vip"),
    ]
    points = [date(2026, 1, 31), date(2026, 2, 28), date(2026, 3, 31), date(2025, 12, 31)]
    assert stage_counts_over_time(history, points) == [
        {"willing": 1},
        {"willing": 1, "vip": 1},
        {"authorised": 1, "vip": 1},
        {},
    ]


def test_size_signal_steps():
    assert size_signal(offices=1, vendors=0) == ""
    assert size_signal(offices=1, vendors=2) == "small"
    assert size_signal(offices=3, vendors=0) == "medium"
    assert size_signal(offices=1, vendors=3) == "medium"
    assert size_signal(offices=4, vendors=0) == "large"
    assert size_signal(offices=1, vendors=6) == "large"


def test_rule_metric_must_be_a_name():
    import pytest

    from partnernet.engines.selection.phased import RuleError, StageRule

    for text in ("deals_12m => 7", "=> 7", "deals 12m >= 1"):
        with pytest.raises(RuleError):
            StageRule.parse(text)
