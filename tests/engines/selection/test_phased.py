import pytest

from partnernet.engines.selection.phased import (
    DEFAULT_FUNNEL,
    FunnelStage,
    RuleError,
    StageRule,
    assign_stages,
    funnel_counts,
)
from partnernet.engines.selection.records import PartnerRecord


def p(pid, **facts):
    return PartnerRecord(id=pid, name=f"P{pid}", facts=facts)


def test_partners_land_in_highest_stage_met_in_order():
    partners = [
        p(1),
        p(2, deals_12m=2, certified_people=1),
        p(3, deals_12m=7, certified_people=3, marketing_events_12m=2),
        # Meets VIP numbers for deals but has nobody certified: stays at stage 1.
        p(4, deals_12m=9, certified_people=0, marketing_events_12m=4),
    ]
    result = {a.id: a for a in assign_stages(partners)}
    assert result[1].stage == "willing" and result[1].next_stage == "authorised"
    assert result[1].lacking == ["deals_12m >= 1", "certified_people >= 1"]
    assert result[2].stage == "authorised"
    assert result[2].lacking == [
        "deals_12m >= 5",
        "certified_people >= 2",
        "marketing_events_12m >= 1",
    ]
    assert result[3].stage == "vip" and result[3].next_stage is None and result[3].lacking == []
    assert result[4].stage == "willing"
    assert funnel_counts(result.values()) == {"willing": 2, "authorised": 1, "vip": 1}


def test_rule_parsing():
    assert StageRule.parse("deals_12m>=3") == StageRule("deals_12m", ">=", 3.0)
    assert StageRule.parse("x < 2").holds({"x": 1})
    with pytest.raises(RuleError):
        StageRule.parse("deals_12m ~ 3")
    with pytest.raises(RuleError):
        StageRule.parse("deals_12m >= many")
    with pytest.raises(RuleError):
        assign_stages([p(1)], [])


def test_custom_funnel():
    stages = (FunnelStage("a", "A"), FunnelStage("b", "B", (StageRule.parse("score>10"),)))
    assert [a.stage for a in assign_stages([p(1, score=11), p(2, score=10)], stages)] == ["b", "a"]
    assert len(DEFAULT_FUNNEL) == 3
