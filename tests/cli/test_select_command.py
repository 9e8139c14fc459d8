"""``partnernet select`` on a small simulated market imported through the register."""

from __future__ import annotations

import io
import json
from collections import Counter
from pathlib import Path

import openpyxl
import pytest
from django.core.management import CommandError, call_command
from django.db import models
from django.utils import translation

from partnernet.apps.register.models import Company, CompanyLocation, CompanySpecialisation
from partnernet.apps.register.services import source_import
from partnernet.apps.selection.models import Partnership, Shortlist
from partnernet.apps.selection.records import partner_records_cache_clear
from partnernet.apps.selection.services import partnership_set
from partnernet.engines import geo
from partnernet.engines.simulate import MarketConfig, simulate_market, write_market

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_records_cache() -> None:
    partner_records_cache_clear()


@pytest.fixture
def simulated(tmp_path: Path) -> None:
    market = simulate_market(MarketConfig(seed=3, n_companies=400, n_lists=6))
    for listed in write_market(market, tmp_path / "lists", formats="csv_utf8_bom"):
        source_import(path=listed.path, source_name=listed.source_name, vendor=listed.vendor)


def select(*args: str) -> dict:
    out = io.StringIO()
    call_command("select", *args, "--json", stdout=out)
    return json.loads(out.getvalue())


@pytest.mark.usefixtures("simulated")
def test_regional_counts_match_the_register() -> None:
    million = {c.key for c in geo.cities() if c.population >= 1_000_000 or c.million_plus}
    moscow = Company.objects.filter(city_key="RU-MOW-moskva", merged_into__isnull=True)
    first = moscow.order_by("id").first()
    assert first is not None
    partnership_set(company=first, stage="authorised")
    # Head offices only: a company counts in its own (primary) city.
    data = select("regional", "--quota", "city:1000000:3:hq", "--top", "1000")
    (quota,) = data["quotas"]
    assert {row["key"] for row in quota["gaps"]} == million
    live = Company.objects.filter(merged_into__isnull=True)
    per_city = Counter(live.values_list("city_key", flat=True))
    for row in quota["gaps"]:
        recruited = 1 if row["key"] == "RU-MOW-moskva" else 0
        assert row["have"] == recruited
        assert row["gap"] == 3 - recruited
        # With no fit criteria every company of the city is a candidate but the recruited one.
        assert row["available"] == per_city[row["key"]] - recruited
        scores = [c["score"] for c in row["candidates"]]
        assert scores == sorted(scores, reverse=True)
    # By default every office counts: a company is in each city where the register has a
    # location of it (once per city), the recruited one wherever it has an office.
    offices: dict[str, set[int]] = {}
    for company_id, city_key in live.values_list("id", "city_key"):
        offices.setdefault(city_key, set()).add(company_id)
    for company_id, city_key in CompanyLocation.objects.filter(
        company__merged_into__isnull=True
    ).values_list("company_id", "city_key"):
        offices.setdefault(city_key, set()).add(company_id)
    assert any(len(offices.get(key, ())) > per_city[key] for key in million), (
        "the simulated market has branches in a million-plus city"
    )
    (quota,) = select("regional", "--quota", "city:1000000:3", "--top", "1000")["quotas"]
    for row in quota["gaps"]:
        here = offices.get(row["key"], set())
        recruited = 1 if first.pk in here else 0
        assert row["have"] == recruited
        assert row["available"] == len(here) - recruited
        branch_only = here - set(live.filter(city_key=row["key"]).values_list("id", flat=True))
        assert row["recruited_at_branches"] == ([first.pk] if first.pk in branch_only else [])


@pytest.mark.usefixtures("simulated")
def test_regional_niche_keeps_only_fitting_candidates() -> None:
    data = select("regional", "--quota", "federal_district:2", "--niche", "cloud", "--top", "50")
    with_cloud = set(
        CompanySpecialisation.objects.filter(specialisation__key="cloud").values_list(
            "company_id", flat=True
        )
    )
    with_any = set(CompanySpecialisation.objects.values_list("company_id", flat=True))
    seen = 0
    for row in data["quotas"][0]["gaps"]:
        for candidate in row["candidates"]:
            seen += 1
            # A fitting candidate works in cloud, or its direction is simply unknown.
            assert candidate["id"] in with_cloud or candidate["id"] not in with_any
            if candidate["id"] not in with_cloud:
                assert "product direction unknown" in candidate["warnings"]
    assert seen


@pytest.mark.usefixtures("simulated")
def test_specialisation_save_and_shortlist_order() -> None:
    data = select("specialisation", "--niche", "infosec", "--limit", "15", "--save", "IS")
    shortlist = Shortlist.objects.get(name="IS")
    assert shortlist.approach == "specialisation"
    assert shortlist.parameters["niches"] == ["information_security"]
    assert list(shortlist.entries.order_by("rank").values_list("company_id", flat=True)) == [
        e["company_id"] for e in data["entries"]
    ]
    assert data["shortlist"]["size"] == len(data["entries"]) <= 15


def test_unknown_niche_is_a_command_error() -> None:
    with pytest.raises(CommandError, match="unknown niche"):
        select("specialisation", "--niche", "quantum-teleportation")


def test_customers_from_files(tmp_path: Path) -> None:
    from tests.apps.selection.conftest import make_company

    delta = make_company("АО Дельта", "RU-TA-kazan", inn="7736207543")
    make_company("Дельта", "RU-OMS-omsk")  # a namesake in Omsk: the city decides
    targets = tmp_path / "targets.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Наименование", "ИНН", "Отрасль", "Размер"])
    sheet.append(["ПАО Нефть", "", "oil_gas", "крупный"])
    sheet.append(["Банк", "", "finance", "средний"])
    book.save(targets)
    suppliers = tmp_path / "suppliers.csv"
    suppliers.write_text(
        "Заказчик;Поставщик;Город;Источник\n"
        "ПАО Нефть;Дельта;Казань;тендер\n"
        "Банк;Дельта;Казань;исследование\n"
        "Банк;ООО Гамма;;исследование\n",
        encoding="cp1251",
    )
    data = select("customers", "--targets", str(targets), "--suppliers", str(suppliers))
    assert data["imports"]["targets"]["created"] == 2
    assert data["imports"]["suppliers"]["linked_by"] == {"name_city": 2}
    top = data["partners"][0]
    assert (top["company_id"], top["weighted"]) == (delta.pk, 4.0)
    customers = {c["name"]: c for c in data["customers"]}
    assert customers["ПАО Нефть"]["completeness"] == "probably incomplete"
    assert customers["Банк"]["suppliers"] == 2 and customers["Банк"]["completeness"] == "ok"
    assert data["covered_share"] == 0.0
    # Re-importing the same files adds nothing.
    again = select("customers", "--targets", str(targets), "--suppliers", str(suppliers))
    assert again["imports"]["targets"]["created"] == 0
    assert again["imports"]["suppliers"]["created"] == 0


def test_phased_evaluate_and_apply() -> None:
    from tests.apps.selection.conftest import make_company

    busy = make_company("Активный", "RU-MOW-moskva")
    idle = make_company("Спящий", "RU-MOW-moskva")
    partnership_set(company=busy, stage="willing", facts={"deals_12m": 3, "certified_people": 1})
    partnership_set(company=idle, stage="vip")
    data = select("phased", "--evaluate")
    moves = {m["name"]: (m["direction"], m["to_stage"]) for m in data["moves"]}
    assert moves == {"Активный": ("promote", "authorised"), "Спящий": ("demote", "willing")}
    applied = select("phased", "--apply")
    assert applied["applied"] == 2
    assert Partnership.objects.get(company=busy).stage.key == "authorised"
    assert Partnership.objects.get(company=idle).stage.key == "willing"
    assert select("phased", "--evaluate")["moves"] == []


def test_human_output_renders(capsys) -> None:
    out = io.StringIO()
    call_command("select", "regional", "--quota", "country:1", stdout=out)
    assert "every country" in out.getvalue()


@pytest.mark.usefixtures("simulated")
def test_regional_plain_text_counts_partners_at_branches(monkeypatch) -> None:
    monkeypatch.setenv("COLUMNS", "250")  # one table row on one line
    million = {c.key for c in geo.cities() if c.population >= 1_000_000 or c.million_plus}
    branch = (
        CompanyLocation.objects.filter(company__merged_into__isnull=True, city_key__in=million)
        .exclude(city_key=models.F("company__city_key"))
        .select_related("company")
        .first()
    )
    assert branch is not None, "the simulated market has a branch in a million-plus city"
    partnership_set(company=branch.company, stage="authorised")
    out = io.StringIO()
    with translation.override("en"):
        call_command("select", "regional", "--quota", "city:1000000:3", "--top", "100", stdout=out)
    text = " ".join(out.getvalue().split())
    assert "incl. 1 at a branch" in text
