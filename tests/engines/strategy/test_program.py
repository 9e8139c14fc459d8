"""Partner programme: qualifying level, gaps, promotion/demotion, certifications, file loading."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from partnernet.engines.strategy.program import (
    Benefits,
    Certification,
    Level,
    PartnerFacts,
    ProgramError,
    Requirements,
    evaluate,
    load_levels,
    load_partners,
    report,
)

TODAY = date(2026, 6, 1)
LEVELS = [
    Level("gold", "Gold", 3, Requirements(Decimal(20_000_000), 2, 3, 4), Benefits(Decimal(25))),
    Level("registered", "Registered", 1),
    Level("silver", "Silver", 2, Requirements(Decimal(5_000_000), 1, 1, 2), Benefits(Decimal(15))),
]


def partner(**facts) -> PartnerFacts:
    base = dict(id="p1", certified_sales=0, certified_engineers=0)
    base.update(facts)
    return PartnerFacts(**base)


def test_qualifies_for_the_highest_level_with_every_requirement_met() -> None:
    facts = partner(
        current_level="registered",
        yearly_sales=Decimal(25_000_000),
        certified_sales=2,
        certified_engineers=1,  # Gold needs 3
        marketing_activities=5,
    )
    ev = evaluate(facts, LEVELS, on=TODAY)
    assert ev.qualifying_level == "silver"
    assert ev.movement == "promote"
    assert ev.next_level == "gold"
    assert [(g.requirement, g.required, g.actual, g.shortfall) for g in ev.gaps_to_next] == [
        ("certified_engineers", 3, 1, 2)
    ]


def test_demotion_shows_what_the_current_level_lacks() -> None:
    facts = partner(
        current_level="gold",
        yearly_sales=Decimal(12_000_000),
        certified_sales=2,
        certified_engineers=3,
        marketing_activities=4,
    )
    ev = evaluate(facts, LEVELS, on=TODAY)
    assert (ev.qualifying_level, ev.movement) == ("silver", "demote")
    assert [(g.requirement, g.shortfall) for g in ev.gaps_to_current] == [
        ("yearly_sales", Decimal(8_000_000))
    ]


def test_keep_enter_and_leave() -> None:
    assert evaluate(partner(current_level="registered"), LEVELS, on=TODAY).movement == "keep"
    assert evaluate(partner(), LEVELS, on=TODAY).movement == "enter"
    strict = [Level("silver", "Silver", 2, Requirements(Decimal(1), 0, 0, 0))]
    ev = evaluate(partner(current_level="silver"), strict, on=TODAY)
    assert (ev.qualifying_level, ev.movement) == (None, "leave")
    assert ev.next_level == "silver"


def test_only_valid_certificates_count_once_per_person() -> None:
    certs = (
        Certification(
            "Иванов", "engineer", "Acme", "Admin", "pearson_vue", date(2025, 1, 1), date(2027, 1, 1)
        ),
        Certification("Иванов", "engineer", "Acme", "Expert", "prometric", date(2025, 6, 1), None),
        Certification(
            "Петров",
            "engineer",
            "Acme",
            "Admin",
            "vendor_web_course",
            date(2023, 1, 1),
            date(2026, 1, 1),
        ),
        Certification(
            "Сидоров", "engineer", "Acme", "Admin", "training_centre", date(2026, 9, 1), None
        ),
        Certification(
            "Смирнова", "sales", "Other", "Sales 101", "vendor_web_course", date(2025, 1, 1), None
        ),
    )
    facts = partner(certifications=certs)
    actual = facts.actual(TODAY)
    assert actual["certified_engineers"] == 1  # expired and not-yet-issued ones do not count
    assert actual["certified_sales"] == 1
    assert facts.actual(TODAY, vendor="Acme")["certified_sales"] == 0


def test_report_lists_moves() -> None:
    partners = [
        partner(
            id="a",
            current_level="registered",
            yearly_sales=Decimal(6_000_000),
            certified_sales=1,
            certified_engineers=1,
            marketing_activities=2,
        ),
        partner(id="b", current_level="silver"),
        partner(id="c", current_level="registered"),
    ]
    result = report(partners, LEVELS, on=TODAY)
    assert result["levels"] == ["registered", "silver", "gold"]
    assert result["due_for_promotion"] == ["a"]
    assert result["due_for_demotion"] == ["b"]
    assert result["counts"]["keep"] == 1
    json.dumps(result, default=str)


def test_bad_levels_are_rejected() -> None:
    with pytest.raises(ProgramError, match="share a rank"):
        evaluate(partner(), [Level("a", "A", 1), Level("b", "B", 1)], on=TODAY)
    with pytest.raises(ProgramError, match="unknown current level"):
        evaluate(partner(current_level="platinum"), LEVELS, on=TODAY)


def test_load_from_csv_with_semicolons_and_cp1251(tmp_path: Path) -> None:
    levels = tmp_path / "levels.csv"
    levels.write_bytes(
        "key;name;rank;yearly_sales;certified_sales;certified_engineers;marketing_activities;discount_pct\n"
        "base;Базовый;1;0;0;0;0;5\n"
        "pro;Профи;2;1 000 000,50;1;1;1;12,5\n".encode("cp1251")
    )
    partners = tmp_path / "partners.csv"
    partners.write_bytes(
        "id;name;current_level;yearly_sales;certified_sales;certified_engineers;marketing_activities\n"
        "1;ООО Ромашка;base;2000000;1;1;1\n".encode("cp1251")
    )
    loaded = load_levels(levels)
    assert [lv.key for lv in loaded] == ["base", "pro"]
    assert loaded[1].requirements.yearly_sales == Decimal("1000000.50")
    assert loaded[1].benefits.discount_pct == Decimal("12.5")
    facts = load_partners(partners)
    assert facts[0].name == "ООО Ромашка"
    assert evaluate(facts[0], loaded, on=TODAY).movement == "promote"


def test_load_from_yaml_with_certifications(tmp_path: Path) -> None:
    path = tmp_path / "partners.yaml"
    path.write_text(
        """
partners:
  - id: p7
    current_level: silver
    yearly_sales: 6000000
    marketing_activities: 2
    certifications:
      - {person: A, role: sales, provider: vendor_web_course, issued: 2025-01-01}
      - {person: B, role: engineer, provider: pearson_vue, issued: 2025-01-01, expires: 2027-01-01}
""",
        encoding="utf-8",
    )
    (facts,) = load_partners(path)
    assert evaluate(facts, LEVELS, on=TODAY).movement == "keep"
    bad = tmp_path / "bad.yaml"
    bad.write_text("partners:\n  - {id: x, certifications: [{person: A, role: manager}]}\n")
    with pytest.raises(ProgramError, match="role"):
        load_partners(bad)
