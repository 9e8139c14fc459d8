"""Composer checks: each documented rule fires where it should and nowhere else."""

from __future__ import annotations

from decimal import Decimal

import pytest

from partnernet.engines.strategy.catalogue import default_catalogue, merge
from partnernet.engines.strategy.compose import (
    RULES,
    Choice,
    Goal,
    Strategy,
    check,
    strategy_from_dict,
    strategy_to_dict,
)
from partnernet.engines.strategy.examples import examples

GOAL = Goal("market_share", Decimal(10), Decimal(2))


def make(role: str = "vendor", *choices: Choice, goal: Goal | None = GOAL) -> Strategy:
    return Strategy(title={"en": "t"}, role=role, goal=goal, choices=tuple(choices))


# One mutually compatible tactic per dimension, usable by every role the dimension has.
DEFAULTS = {
    "sales_channels": "partners_only",
    "distribution": "master_distributor",
    "work_with_partners": "limited_club",
    "price_list": "partner_only_list",
    "discount_policy": "combined",
    "margin": "fixed",
    "licensing": "both",
    "training": "classroom_or_online",
    "marketing": "combined",
    "partner_team": "with_assistants",
    "product_lines": "everyone_sells_everything",
    "work_with_vendors": "mono_or_multi_vendor",
    "sales_and_technical": "mandatory",
}


def full(role: str, **overrides: tuple[str, ...]) -> Strategy:
    """A strategy with a compatible tactic in every dimension of ``role``, plus overrides."""
    choices = []
    for dim in default_catalogue().for_role(role):
        tactics = overrides.pop(dim.key, (DEFAULTS[dim.key],))
        choices.append(Choice(dim.key, tuple(tactics)))
    assert not overrides, f"not dimensions of {role}: {overrides}"
    return make(role, *choices)


def rules(strategy: Strategy) -> list[str]:
    return [f.rule for f in check(strategy)]


def test_book_examples_have_no_findings() -> None:
    assert set(examples()) == {"new_vendor_market_share", "distributor_margin_growth"}
    for strategy in examples().values():
        assert check(strategy) == []


def test_examples_follow_the_books_choices() -> None:
    vendor = examples()["new_vendor_market_share"]
    assert vendor.role == "vendor"
    assert vendor.goal and (vendor.goal.target, vendor.goal.horizon_years) == (15, 3)
    assert vendor.chosen("training") == {"vendor_web_courses", "specialised"}
    assert vendor.chosen("margin") == {"flexible"}
    distributor = examples()["distributor_margin_growth"]
    assert distributor.goal and (distributor.goal.target, distributor.goal.horizon_years) == (30, 1)
    left_to_vendor = {c.dimension for c in distributor.choices if c.vendor_decides}
    assert left_to_vendor == {"price_list", "discount_policy", "margin", "licensing", "training"}
    vendors = distributor.choice("work_with_vendors")
    assert vendors and vendors.parameters["mono_or_multi_vendor"]["portfolio"] == "multi"


def test_a_complete_default_strategy_is_clean_for_every_role() -> None:
    for role in ("vendor", "distributor", "partner"):
        assert rules(full(role)) == [], role


def test_empty_dimensions_are_those_of_the_role() -> None:
    found = [f for f in check(make("partner")) if f.rule == "dimension_empty"]
    assert [f.dimension for f in found] == [
        "licensing",
        "marketing",
        "product_lines",
        "work_with_vendors",
        "sales_and_technical",
    ]


def test_goal_rules() -> None:
    assert "goal_missing" in rules(make(goal=None))
    assert "goal_not_measurable" in rules(make(goal=Goal("market_share", None, Decimal(3))))
    assert "goal_not_measurable" in rules(make(goal=Goal("market_share", Decimal(5), None)))
    assert not {"goal_missing", "goal_not_measurable"} & set(rules(make()))


def test_role_applicability() -> None:
    # a vendor does not decide how to work with vendors (§5.12)
    vendor = make("vendor", Choice("work_with_vendors", ("single_owner",)))
    assert "dimension_not_for_role" in rules(vendor)
    # the inflated price list is the vendor's tool
    distributor = full("distributor", margin=("inflated_price_list",))
    found = [f for f in check(distributor) if f.rule == "tactic_not_for_role"]
    assert [(f.dimension, f.tactics) for f in found] == [("margin", ("inflated_price_list",))]
    assert "unknown_role" in rules(make("reseller"))


def test_vendor_cannot_leave_a_dimension_to_the_vendor() -> None:
    vendor = full("vendor")
    choices = tuple(
        Choice("licensing", vendor_decides=True) if c.dimension == "licensing" else c
        for c in vendor.choices
    )
    assert rules(make("vendor", *choices)) == ["vendor_decides_for_vendor"]
    distributor = full("distributor")
    choices = tuple(
        Choice("licensing", vendor_decides=True) if c.dimension == "licensing" else c
        for c in distributor.choices
    )
    assert rules(make("distributor", *choices)) == []


def test_exclusive_tactics_conflict() -> None:
    strategy = full("vendor", margin=("fixed", "flexible"))
    found = [f for f in check(strategy) if f.rule == "exclusive_conflict"]
    assert len(found) == 1 and set(found[0].tactics) == {"fixed", "flexible"}
    assert found[0].severity == "error"
    # floating by status and by participation are a legitimate combination
    assert rules(full("vendor", margin=("floating_by_status", "floating_by_participation"))) == []


def test_combination_rules() -> None:
    assert rules(full("vendor", licensing=("perpetual", "subscription"))) == [
        "combination_suggested"
    ]
    assert rules(full("vendor", licensing=("both", "perpetual"))) == ["combination_redundant"]
    assert rules(full("vendor", marketing=("broad_reach", "focused_it_audience"))) == [
        "combination_suggested"
    ]


def test_unknown_names_and_duplicates() -> None:
    assert "unknown_dimension" in rules(make("vendor", Choice("astrology", ("stars",))))
    assert "unknown_tactic" in rules(make("vendor", Choice("margin", ("generous",))))
    twice = make("vendor", Choice("margin", ("fixed",)), Choice("margin", ("flexible",)))
    assert "duplicate_choice" in rules(twice)


@pytest.mark.parametrize(
    "parameters, ok",
    [
        ({"master_distributor": {"years": 3}}, True),
        ({"master_distributor": {"years": "two"}}, False),
        ({"master_distributor": {"years": -1}}, False),
        ({"master_distributor": {"months": 3}}, False),
        ({"several_distributors": {"years": 3}}, False),
    ],
)
def test_parameters_are_checked(parameters, ok) -> None:
    strategy = full("vendor")
    choices = tuple(
        Choice("distribution", ("master_distributor",), parameters=parameters)
        if c.dimension == "distribution"
        else c
        for c in strategy.choices
    )
    assert (rules(make("vendor", *choices)) == []) is ok


CROSS = [
    (
        "channel_without_distributor",
        dict(sales_channels=("distributors_only",), distribution=("no_distributor",)),
    ),
    ("direct_sales_with_channel_tactics", dict(sales_channels=("direct_only",))),
    (
        "public_list_with_inflated_price",
        dict(price_list=("open_list",), margin=("inflated_price_list",)),
    ),
    ("competence_club_without_training", dict(work_with_partners=("limited_club",), training=())),
    (
        "small_team_for_wide_channel",
        dict(partner_team=("all_by_themselves",), work_with_partners=("unlimited_circle",)),
    ),
    (
        "status_margin_without_status_discount",
        dict(margin=("floating_by_status",), discount_policy=("by_volume",)),
    ),
    (
        "presale_led_with_competitive_presale",
        dict(product_lines=("presale_led",), sales_and_technical=("competitive",)),
    ),
]


@pytest.mark.parametrize("rule, overrides", CROSS, ids=[c[0] for c in CROSS])
def test_cross_dimension_rules(rule, overrides) -> None:
    found = rules(full("vendor", **overrides))
    assert rule in found
    assert RULES[rule].source


def test_cross_rules_stay_quiet_on_compatible_choices() -> None:
    quiet = [
        dict(sales_channels=("distributors_only",), distribution=("master_distributor",)),
        dict(price_list=("closed_on_request",), margin=("inflated_price_list",)),
        dict(work_with_partners=("limited_club",), training=("vendor_web_courses",)),
        dict(margin=("floating_by_status",), discount_policy=("combined",)),
        dict(product_lines=("presale_led",), sales_and_technical=("mandatory",)),
    ]
    for overrides in quiet:
        assert rules(full("vendor", **overrides)) == [], overrides


def test_every_rule_is_documented() -> None:
    for rule in RULES.values():
        assert rule.severity in ("error", "warning", "info")
        assert rule.summary and rule.source


def test_findings_carry_both_languages_and_the_source() -> None:
    finding = check(make("vendor", goal=None))[0].to_dict()
    assert finding["rule"] == "goal_missing"
    assert finding["message"]["ru"] and finding["message"]["en"]
    assert "§5.14" in finding["source"]


def test_user_tactics_validate_against_a_merged_catalogue() -> None:
    user = {
        "dimensions": [
            {"key": "margin", "tactics": [{"key": "rebate", "name": "R", "description": "d"}]}
        ]
    }
    merged = merge(default_catalogue(), user)
    strategy = full("vendor", margin=("rebate",))
    assert [f.rule for f in check(strategy, merged)] == []
    assert "unknown_tactic" in rules(strategy)


def test_round_trip_through_plain_data() -> None:
    for strategy in examples().values():
        assert strategy_from_dict(strategy_to_dict(strategy)) == strategy


def test_plain_string_texts_are_accepted() -> None:
    strategy = Strategy(
        title="Один язык",
        role="partner",
        goal=Goal("revenue", Decimal(5), Decimal(1), description="рост"),
        choices=(Choice("marketing", ("combined",), note="в рамках бюджета"),),
        summary="кратко",
    )
    data = strategy_to_dict(strategy)
    assert data["title"] == {"ru": "Один язык", "en": "Один язык"}
    assert data["choices"][0]["note"]["ru"] == "в рамках бюджета"
    assert strategy_from_dict(data).choice("marketing").tactics == ("combined",)
