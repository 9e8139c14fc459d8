"""CLI: tactics, strategy, pricing and program commands (no database needed)."""

from __future__ import annotations

import io
import json
import shutil
import subprocess
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

COMMANDS = ("tactics", "strategy", "pricing", "program")


def run(*args: str) -> object:
    out = io.StringIO()
    call_command(*args, "--json", stdout=out)
    return json.loads(out.getvalue())


def run_text(*args: str) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_every_command_has_help() -> None:
    from django.core.management import load_command_class

    for name in COMMANDS:
        command = load_command_class("partnernet.cli", name)
        assert len(command.help) > 40
        parser = command.create_parser("partnernet", name)
        for action in parser._actions:
            if action.dest not in ("help", "version") and action.option_strings:
                assert action.help, f"{name} {action.option_strings} lacks help"


def test_tactics_list() -> None:
    data = run("tactics", "list")
    counts = {d["key"]: len(d["tactics"]) for d in data["dimensions"]}
    assert counts["margin"] == 5 and counts["training"] == 6 and len(counts) == 13
    partner = run("tactics", "list", "--role", "partner")
    keys = [d["key"] for d in partner["dimensions"]]
    assert "partner_team" not in keys and "work_with_vendors" in keys
    margin = run("tactics", "list", "--dimension", "margin")
    assert margin["dimensions"][0]["tactics"][0]["key"] == "fixed"
    assert "Фиксированная" in run_text("tactics", "list", "--dimension", "margin")


def test_tactics_list_merges_a_user_catalogue(tmp_path: Path) -> None:
    user = tmp_path / "mine.yaml"
    user.write_text(
        "dimensions:\n  - key: margin\n    tactics:\n"
        "      - {key: rebate, name: {ru: Бонус, en: Rebate}, description: {ru: x, en: x}}\n",
        encoding="utf-8",
    )
    data = run("tactics", "list", "--dimension", "margin", "--catalogue", str(user))
    assert data["dimensions"][0]["tactics"][-1]["origin"] == "user"


def test_strategy_examples_and_check(tmp_path: Path) -> None:
    listed = run("strategy", "example", "--list")
    assert [e["key"] for e in listed["examples"]] == [
        "new_vendor_market_share",
        "distributor_margin_growth",
    ]
    shown = run("strategy", "example", "distributor_margin_growth")
    assert shown["findings"] == [] and shown["strategy"]["role"] == "distributor"
    # a copied example, edited into a conflict, checked from a file
    shown["strategy"]["choices"].append({"dimension": "margin", "tactics": ["fixed", "flexible"]})
    path = tmp_path / "mine.json"
    path.write_text(json.dumps(shown["strategy"]), encoding="utf-8")
    rules = [f["rule"] for f in run("strategy", "check", str(path))["findings"]]
    assert "duplicate_choice" in rules and "exclusive_conflict" in rules
    with pytest.raises(CommandError, match="neither"):
        run("strategy", "check", "no-such-thing")


def test_strategy_export_md_docx(tmp_path: Path) -> None:
    md = tmp_path / "s.md"
    result = run(
        "strategy",
        "export",
        "new_vendor_market_share",
        "--format",
        "md",
        "-o",
        str(md),
        "--lang",
        "en",
    )
    assert result["path"] == str(md)
    assert md.read_text(encoding="utf-8").startswith("# A new vendor")
    docx = tmp_path / "out" / "s.docx"
    run("strategy", "export", "distributor_margin_growth", "--format", "docx", "-o", str(docx))
    assert docx.read_bytes()[:2] == b"PK"
    inline = run("strategy", "export", "new_vendor_market_share", "--format", "md")
    assert inline["content"].startswith("# Новый вендор")
    with pytest.raises(CommandError, match="needs -o"):
        run("strategy", "export", "new_vendor_market_share", "--format", "pdf")


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils missing")
def test_strategy_export_pdf(tmp_path: Path) -> None:
    pdf = tmp_path / "s.pdf"
    run("strategy", "export", "distributor_margin_growth", "--format", "pdf", "-o", str(pdf))
    extracted = subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Мультивендорность" in extracted
    assert "Определяет вендор" in extracted


def test_pricing_deal_fixed() -> None:
    data = run(
        "pricing",
        "deal",
        "--list-price",
        "1000",
        "--quantity",
        "3",
        "--distributor-discount",
        "35",
        "--partner-discount",
        "25",
    )
    partner = next(p for p in data["parties"] if p["role"] == "partner")
    assert (partner["margin"], partner["margin_pct"]) == ("750.00", "25.00")
    assert data["spread"] == "1050.00" and data["warnings"] == []


def test_pricing_deal_other_tactics() -> None:
    status = run(
        "pricing",
        "deal",
        "--tactic",
        "floating_by_status",
        "--list-price",
        "200000",
        "--distributor-discount",
        "30",
        "--status-discount",
        "Registered=10,Silver=15",
        "--status-discount",
        "Gold=20",
        "--status",
        "Silver",
    )
    assert status["discounts"]["partner_pct"] == "15"
    assert [w["code"] for w in status["warnings"]] == ["below_partner_floor"]
    part = run(
        "pricing",
        "deal",
        "--tactic",
        "floating_by_participation",
        "--list-price",
        "100000",
        "--distributor-discount",
        "40",
        "--max-partner-discount",
        "30",
        "--stage-discount",
        "presale=5,pilot=5,implementation=10",
        "--stage",
        "presale=distributor",
        "--stage",
        "implementation=vendor",
        "--floor",
        "10",
    )
    assert part["vendor_revenue"] == "70000.00"
    assert [w["code"] for w in part["warnings"]] == ["participation_reduced"]
    flexible = run(
        "pricing",
        "deal",
        "--tactic",
        "flexible",
        "--list-price",
        "10000",
        "--partner-discount",
        "15",
        "--override-partner-discount",
        "22",
    )
    assert [w["code"] for w in flexible["warnings"]] == ["override_not_approved"]
    inflated = run(
        "pricing",
        "deal",
        "--tactic",
        "inflated_price_list",
        "--list-price",
        "100",
        "--customer-discount",
        "45",
    )
    assert inflated["discounts"]["partner_pct"] == "60"
    with pytest.raises(CommandError, match="--partner-discount"):
        run("pricing", "deal", "--list-price", "1")


def test_pricing_deal_lines_from_csv(tmp_path: Path) -> None:
    lines = tmp_path / "lines.csv"
    lines.write_text("name;list_price;quantity\nServer;500;1\nLicence;120,50;2\n", encoding="utf-8")
    data = run("pricing", "deal", "--lines", str(lines), "--partner-discount", "25")
    assert data["customer_price"] == "741.00" and data["vendor_revenue"] == "555.76"


def test_pricing_licensing() -> None:
    data = run(
        "pricing",
        "licensing",
        "--licence-price",
        "1000000",
        "--subscription-price",
        "350000",
        "--horizon",
        "6",
        "--partner-discount",
        "25",
        "--distributor-discount",
        "35",
    )
    assert data["break_even_year"] == 6
    assert data["perpetual"]["years"][0]["capex"] == "1000000.00"
    assert "break-even year: 6" in run_text(
        "pricing",
        "licensing",
        "--licence-price",
        "1000000",
        "--subscription-price",
        "350000",
        "--horizon",
        "6",
    )


def test_program_evaluate(tmp_path: Path) -> None:
    levels = tmp_path / "levels.yaml"
    levels.write_text(
        "levels:\n"
        "  - {key: registered, name: Registered, rank: 1}\n"
        "  - key: gold\n    name: Gold\n    rank: 2\n"
        "    requirements: {yearly_sales: 1000000, certified_engineers: 1}\n"
        "    benefits: {discount_pct: 25}\n",
        encoding="utf-8",
    )
    partners = tmp_path / "partners.csv"
    partners.write_text(
        "id,name,current_level,yearly_sales,certified_engineers\n"
        "1,Alpha,registered,2000000,1\n2,Beta,gold,10,0\n3,Gamma,registered,5,0\n",
        encoding="utf-8",
    )
    data = run(
        "program",
        "evaluate",
        "--levels",
        str(levels),
        "--partners",
        str(partners),
        "--as-of",
        "2026-01-01",
    )
    assert data["due_for_promotion"] == ["1"] and data["due_for_demotion"] == ["2"]
    gamma = data["partners"][2]
    assert [g["requirement"] for g in gamma["gaps_to_next"]] == [
        "yearly_sales",
        "certified_engineers",
    ]
    assert "due for promotion: 1" in run_text(
        "program", "evaluate", "--levels", str(levels), "--partners", str(partners)
    )


@pytest.mark.django_db
def test_stored_strategy_export_and_programme_from_the_database(tmp_path: Path) -> None:
    from partnernet.apps.register.models import Company
    from partnernet.apps.strategy import services
    from partnernet.apps.strategy.models import PartnerStanding, ProgramLevel

    services.tactic_create(dimension="margin", key="rebate", name_ru="Квартальный бонус")
    strategy = services.strategy_create(title="Stored", role="vendor")
    services.strategy_choice_set(strategy=strategy, dimension="margin", tactics=["rebate"])
    rules = [f["rule"] for f in run("strategy", "check", str(strategy.pk))["findings"]]
    assert "unknown_tactic" not in rules
    md = tmp_path / "stored.md"
    run("strategy", "export", str(strategy.pk), "--format", "md", "-o", str(md))
    assert "Квартальный бонус" in md.read_text(encoding="utf-8")
    with pytest.raises(CommandError, match="no stored strategy"):
        run("strategy", "check", "999999")

    level = ProgramLevel.objects.create(key="gold", name="Gold", rank=1, min_marketing_activities=1)
    company = Company.objects.create(display_name="Alpha", name_key="alpha")
    PartnerStanding.objects.create(company=company, level=level)
    data = run("program", "evaluate")
    assert data["due_for_demotion"] == [str(company.pk)]
    with pytest.raises(CommandError, match="both"):
        run("program", "evaluate", "--levels", "x.yaml")


@pytest.mark.django_db
def test_import_a_strategy_and_load_the_programme(tmp_path: Path) -> None:
    from partnernet.apps.register.models import Company
    from partnernet.apps.strategy.models import Certification, PartnerStanding, Strategy

    imported = run("strategy", "import", "distributor_margin_growth", "--lang", "en")
    stored = Strategy.objects.get(pk=imported["imported"])
    assert stored.role == "distributor" and stored.choices.count() == 12
    assert run("strategy", "check", str(stored.pk))["findings"] == []

    alpha = Company.objects.create(display_name="Alpha", name_key="alpha", inn="7707083893")
    levels = tmp_path / "levels.yaml"
    levels.write_text(
        "levels:\n  - {key: registered, name: Registered, rank: 1}\n"
        "  - {key: gold, name: Gold, rank: 2, requirements: {certified_engineers: 1}}\n",
        encoding="utf-8",
    )
    partners = tmp_path / "partners.yaml"
    partners.write_text(
        "partners:\n"
        "  - id: '7707083893'\n    current_level: registered\n"
        "    certifications: [{person: Ivanov, role: engineer, provider: prometric}]\n"
        "  - {id: '500100732259'}\n",
        encoding="utf-8",
    )
    loaded = run("program", "load", "--levels", str(levels), "--partners", str(partners))["loaded"]
    assert loaded == {
        "levels": 2,
        "partners": 1,
        "certifications": 1,
        "unmatched": ["500100732259"],
    }
    assert PartnerStanding.objects.get(company=alpha).level.key == "registered"
    assert Certification.objects.get(company=alpha).provider == "prometric"
    assert run("program", "evaluate")["due_for_promotion"] == [str(alpha.pk)]


@pytest.mark.django_db
@pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils missing")
def test_stored_copy_of_an_example_exports_to_pdf(tmp_path: Path) -> None:
    from partnernet.apps.strategy import services

    stored = services.strategy_copy_example(key="new_vendor_market_share", lang="ru")
    services.strategy_choice_set(
        strategy=stored, dimension="marketing", tactics=["broad_reach"], note="Вебинары раз в месяц"
    )
    pdf = tmp_path / "stored.pdf"
    run("strategy", "export", str(stored.pk), "--format", "pdf", "-o", str(pdf))
    assert pdf.read_bytes().startswith(b"%PDF")
    text = subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert stored.title.split(":")[0] in text
    assert "Вебинары раз в месяц" in text
    english = tmp_path / "stored-en.pdf"
    run("strategy", "export", str(stored.pk), "--format", "pdf", "-o", str(english), "--lang", "en")
    text = subprocess.run(
        ["pdftotext", str(english), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Company role" in text
