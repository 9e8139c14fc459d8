"""``partnernet coverage`` over a register filled from a simulated market with known truth."""

from __future__ import annotations

import io
import json
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from partnernet.apps.register.models import Company, Source, SourceKind, SourceRow
from partnernet.engines.simulate.incidence import simulate

LISTS = 12
TRUTH = 1500


def run(*args: str) -> dict:
    out = io.StringIO()
    call_command("coverage", "--json", *args, stdout=out)
    return json.loads(out.getvalue())


@pytest.fixture
def register(db) -> dict:
    sim = simulate("beta", TRUTH, LISTS, 3)
    inc = sim.incidence
    now = timezone.now()
    sources = [
        Source.objects.create(
            name=f"Вендор {j + 1}",
            kind=SourceKind.VENDOR_LOCATOR if j % 2 else SourceKind.DISTRIBUTOR_LOCATOR,
            imported_at=now + timedelta(minutes=j),
        )
        for j in range(LISTS)
    ]
    # A lead list is not a partner locator: it must not count unless chosen.
    leads = Source.objects.create(
        name="Лиды с вебинара",
        kind=SourceKind.WEB_FORM_LEADS,
        imported_at=now - timedelta(minutes=1),
    )
    regions = ["Центральный", "Сибирский"]
    companies = Company.objects.bulk_create(
        Company(
            display_name=f"ООО Партнёр {i}",
            name_key=f"партнер {i}",
            federal_district=regions[0] if i % 10 else regions[1],
        )
        for i in range(inc.n_companies)
    )
    rows = [
        SourceRow(
            source=sources[col],
            row_number=n + 1,
            content_hash=f"{row}-{col}",
            company=companies[row],
        )
        for n, (row, col) in enumerate(zip(inc.rows, inc.cols, strict=True))
    ]
    rows.append(SourceRow(source=leads, row_number=1, content_hash="lead", company=companies[0]))
    SourceRow.objects.bulk_create(rows)
    return {"sim": sim, "sources": sources, "companies": companies}


def test_json_shape_and_numbers_match_the_register(register: dict) -> None:
    data = run()
    inc = register["sim"].incidence
    assert data["lists"] == [s.name for s in register["sources"]]
    assert data["unique"] == inc.n_companies
    assert data["frequency"] == inc.frequency().tolist()
    assert {"method", "population", "ci95"} <= set(data["estimates"][0])
    rec = data["recommended"]
    assert set(rec) >= {"method", "population", "ci95", "lower_bound"}
    assert rec["population"] == pytest.approx(TRUTH, rel=0.15)
    assert data["next_list_expected_new"] > 0
    assert data["curve"][0]["list"] == "Вендор 1"
    assert data["curve"][LISTS - 1]["observed"] == inc.n_companies


def test_merged_companies_count_once(register: dict) -> None:
    before = run()["unique"]
    first, second = register["companies"][:2]
    second.merged_into = first
    second.save(update_fields=["merged_into"])
    assert run()["unique"] == before - 1


def test_sources_option_chooses_the_lists(register: dict) -> None:
    data = run("--sources", "Вендор 1", "Вендор 2", "Лиды с вебинара")
    assert data["lists"] == ["Лиды с вебинара", "Вендор 1", "Вендор 2"]  # import order
    with pytest.raises(CommandError, match="no such source"):
        run("--sources", "Нет такого")


def test_by_federal_district_with_small_sample_warning(register: dict) -> None:
    data = run("--by", "federal_district", "--min-companies", "200")
    groups = data["by"]["groups"]
    assert set(groups) == {"Центральный", "Сибирский"}
    assert groups["Центральный"]["unique"] + groups["Сибирский"]["unique"] == data["unique"]
    assert any("too few" in w for w in groups["Сибирский"]["warnings"])
    assert groups["Сибирский"]["recommended"]["lower_bound"] is True


def test_human_output(register: dict) -> None:
    out = io.StringIO()
    call_command("coverage", stdout=out)
    text = out.getvalue()
    assert "Chao" in text or "chao2" in text
    assert str(register["sim"].incidence.n_companies) in text.replace(",", "")
