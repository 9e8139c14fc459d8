"""The Coverage page over a small simulated register: figures, charts, breakdown, CSV."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest
from django.urls import reverse

from partnernet.apps.register.models import Company, Source, SourceRow

from .helpers import DISTRICTS, SmallRegister

URL = "/coverage/"


def spec(body: str, chart: str) -> dict:
    match = re.search(
        rf'<script id="chart-{chart}-spec" type="application/json">(.*?)</script>', body, re.S
    )
    assert match, f"no spec for {chart}"
    return json.loads(match.group(1))


def read_csv(response) -> list[list[str]]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_url_name_and_login_required(client, db) -> None:
    assert reverse("coverage:overview") == URL
    response = client.get(URL)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_page_shows_the_figures_of_the_partner_locators(
    admin_client, register: SmallRegister
) -> None:
    inc = register.sim.incidence
    admin_client.cookies["django_language"] = "en"  # the language switch's cookie
    response = admin_client.get(URL)
    assert response.status_code == 200
    data = response.context["data"]
    # by default only partner locators count, in import order; the lead list is left out
    assert data["lists"] == [s.name for s in register.sources]
    assert data["unique"] == inc.n_companies
    assert data["frequency"] == inc.frequency().tolist()
    body = response.content.decode()
    assert re.search(rf'id="headline-unique">{inc.n_companies}<', body)
    assert f"on {len(register.sources)} lists" in body
    headline = response.context["headline"]
    assert headline.population == round(data["recommended"]["population"])
    assert headline.known_share == pytest.approx(data["unique"] / data["recommended"]["population"])
    assert headline.next_new == round(data["next_list_expected_new"])
    # the form offers every source, the locators ticked
    checked = re.findall(r'name="sources" value="(\d+)"[^>]*checked', body)
    assert sorted(map(int, checked)) == sorted(s.pk for s in register.sources)
    # every estimate is in the table, the recommended one marked
    table = body.split('id="estimates-table"')[1].split("</table>")[0]
    assert table.count("<tr") == len(data["estimates"]) + 1
    assert table.count('data-recommended="1"') == 1


def test_charts_carry_the_report(admin_client, register: SmallRegister) -> None:
    body = admin_client.get(URL).content.decode()
    lists = len(register.sources)
    curve = spec(body, "curve")
    assert curve["$schema"].startswith("https://vega.github.io/schema/vega-lite/v6")
    points = curve["datasets"]["curve"]
    observed = [p for p in points if p["list"] is not None]
    assert [p["list"] for p in observed] == [s.name for s in register.sources]
    assert observed[-1]["companies"] == register.sim.incidence.n_companies
    band = curve["datasets"]["band"][0]
    assert band["low"] <= band["population"]
    frequency = spec(body, "frequency")["datasets"]["frequency"]
    assert [r["companies"] for r in frequency] == register.sim.incidence.frequency().tolist()
    overlap = spec(body, "overlap")["datasets"]["overlap"]
    assert len(overlap) == lists * (lists - 1)
    estimates = spec(body, "estimates")["datasets"]["estimates"]
    assert sum(r["recommended"] for r in estimates) == 1
    assert "vega-embed.min.js" in body


def test_choosing_sources_and_the_lead_list(admin_client, register: SmallRegister) -> None:
    chosen = [register.sources[2], register.leads, register.sources[0]]
    response = admin_client.get(URL, {"sources": [s.pk for s in chosen]})
    data = response.context["data"]
    # import order, whatever order they were ticked in
    assert data["lists"] == [
        register.leads.name,
        register.sources[0].name,
        register.sources[2].name,
    ]
    on_chosen = SourceRow.objects.filter(source__in=chosen).values("company").distinct().count()
    assert data["unique"] == on_chosen


def test_breakdown_alone_keeps_the_default_lists_ticked(
    admin_client, register: SmallRegister
) -> None:
    response = admin_client.get(URL, {"by": "federal_district", "min_companies": 50})
    body = response.content.decode()
    checked = re.findall(r'name="sources" value="(\d+)"[^>]*checked', body)
    assert sorted(map(int, checked)) == sorted(s.pk for s in register.sources)
    assert response.context["data"]["lists"] == [s.name for s in register.sources]


def test_a_new_list_row_shows_at_once(admin_client, register: SmallRegister) -> None:
    before = admin_client.get(URL).context["data"]["unique"]
    newcomer = Company.objects.create(display_name="ООО Новый", name_key="новый")
    SourceRow.objects.create(
        source=register.sources[0], row_number=9999, content_hash="new", company=newcomer
    )
    assert admin_client.get(URL).context["data"]["unique"] == before + 1


def test_breakdown_is_loaded_separately_with_small_group_warning(
    admin_client, register: SmallRegister
) -> None:
    params = {"by": "federal_district", "min_companies": 100}
    page = admin_client.get(URL, params)
    assert "by" not in page.context["data"]  # the page itself does not wait for the groups
    assert 'hx-get="' in page.content.decode()
    admin_client.cookies["django_language"] = "en"
    part = admin_client.get(URL, {**params, "part": "groups"})
    groups = {g["group"]: g for g in part.context["groups"]}
    assert set(groups) == set(DISTRICTS)
    assert sum(g["companies"] for g in groups.values()) == register.sim.incidence.n_companies
    small = groups["Сибирский"]
    assert small["companies"] < 100 and small["small"] and small["lower_bound"]
    body = part.content.decode()
    assert "Too few companies for a model" in body
    assert 'id="chart-groups"' in body
    assert body.count('data-small="1"') == 1


def test_csv_exports(admin_client, register: SmallRegister) -> None:
    inc = register.sim.incidence
    lists = len(register.sources)

    def export(chart: str, **extra) -> list[list[str]]:
        return read_csv(admin_client.get(URL, {"export": "csv", "chart": chart, **extra}))

    curve = export("curve")
    assert len(curve) == 1 + 2 * lists + 1 + lists  # header, observed+expected, joint, extrapolated
    frequency = export("frequency")
    assert [int(r[1]) for r in frequency[1:]] == inc.frequency().tolist()
    overlap = export("overlap")
    assert len(overlap) == 1 + lists * (lists - 1)
    first, second = register.sources[:2]
    both = (
        SourceRow.objects.filter(source=first)
        .filter(company__in=SourceRow.objects.filter(source=second).values("company"))
        .values("company")
        .distinct()
        .count()
    )
    row = next(r for r in overlap if r[0] == first.name and r[1] == second.name)
    assert int(row[4]) == both
    estimates = export("estimates")
    assert sum(1 for r in estimates[1:] if r[-1]) == 1
    per_list = export("lists")
    assert [r[0] for r in per_list[1:]] == [s.name for s in register.sources]
    groups = export("groups", by="federal_district")
    assert sorted(r[0] for r in groups[1:]) == sorted(DISTRICTS)
    assert admin_client.get(URL, {"export": "csv", "chart": "nope"}).status_code == 404


def test_xlsx_export_holds_the_same_rows_as_csv(admin_client, register: SmallRegister) -> None:
    from openpyxl import load_workbook

    query = {"export": "xlsx", "chart": "lists"}
    response = admin_client.get(URL, query)
    assert response["Content-Disposition"].endswith('coverage-lists.xlsx"')
    sheet = load_workbook(io.BytesIO(response.content)).active
    cells = [[str(c) for c in row] for row in sheet.iter_rows(values_only=True)]
    assert cells == read_csv(admin_client.get(URL, {**query, "export": "csv"}))
    page = admin_client.get(URL).content.decode()
    assert "export=xlsx" in page and 'id="lists-xlsx"' in page


def test_page_is_russian_by_default(admin_client, register: SmallRegister) -> None:
    body = admin_client.get(URL).content.decode()
    assert "Покрытие рынка партнёров" in body
    assert "Кривая накопления" in body


def test_empty_register(admin_client, db) -> None:
    Source.objects.all().delete()
    response = admin_client.get(URL)
    assert response.status_code == 200
    assert 'id="coverage-empty"' in response.content.decode()
    assert response.context["data"] is None


@pytest.mark.parametrize("pick", ["one_list", "lead_only", "empty_list"])
def test_too_little_data_still_renders(admin_client, register: SmallRegister, pick: str) -> None:
    if pick == "one_list":
        chosen = [register.sources[0]]
    elif pick == "lead_only":
        chosen = [register.leads]
    else:
        chosen = [Source.objects.create(name="Пустой список", kind="vendor_locator")]
    admin_client.cookies["django_language"] = "en"
    response = admin_client.get(URL, {"sources": [s.pk for s in chosen], "by": "federal_district"})
    assert response.status_code == 200
    assert "At least two lists are needed" in response.content.decode()
    assert response.context["headline"].lower_bound
    part = admin_client.get(
        URL, {"sources": [s.pk for s in chosen], "by": "federal_district", "part": "groups"}
    )
    assert part.status_code == 200
    for chart in ("curve", "frequency", "estimates", "lists", "groups"):
        query = {"sources": [s.pk for s in chosen], "export": "csv", "chart": chart}
        assert admin_client.get(URL, {**query, "by": "federal_district"}).status_code == 200
