"""Web views: composer round trip, warnings shown, exports, calculator, catalogue, programme."""

from __future__ import annotations

import csv
import io
import json
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from partnernet.apps.strategy import services
from partnernet.apps.strategy.models import DealCalculation, Strategy, Tactic
from partnernet.engines.pricing.chain import Deal, DealLine, FixedMargin, price_deal

pytestmark = pytest.mark.django_db


def test_pages_need_a_login(client) -> None:
    response = client.get(reverse("strategy:strategy_list"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_list_create_and_copy(admin_client) -> None:
    page = admin_client.get(reverse("strategy:strategy_list"))
    assert page.status_code == 200
    assert "new_vendor_market_share" in page.content.decode()
    response = admin_client.post(
        reverse("strategy:strategy_create"),
        {
            "title": "Regional push",
            "role": "distributor",
            "goal_metric": "revenue_growth",
            "goal_target": "20",
            "goal_unit": "%",
            "goal_horizon_years": "1",
        },
    )
    strategy = Strategy.objects.get(title="Regional push")
    assert response.status_code == 302 and response["Location"].endswith(
        f"/strategy/{strategy.pk}/"
    )
    copied = admin_client.post(reverse("strategy:example_copy", args=["new_vendor_market_share"]))
    assert copied.status_code == 302
    assert Strategy.objects.filter(copied_from="new_vendor_market_share").count() == 1


def test_composer_saves_choices_and_shows_warnings(admin_client) -> None:
    strategy = services.strategy_create(title="Draft", role="vendor")
    url = reverse("strategy:strategy", args=[strategy.pk])
    page = admin_client.get(url).content.decode()
    assert 'data-dimension="margin"' in page
    assert 'data-dimension="work_with_vendors"' not in page  # not a vendor's dimension
    response = admin_client.post(
        url,
        {
            "section": "choices",
            "margin__present": "1",
            "margin__tactics": ["fixed", "flexible"],
            "margin__note": "n1",
            "distribution__present": "1",
            "distribution__tactics": ["master_distributor"],
            "distribution__master_distributor__years": "3",
            "licensing__present": "1",
        },
    )
    assert response.status_code == 302
    margin = strategy.choices.get(dimension="margin")
    assert (margin.tactics, margin.note) == (["fixed", "flexible"], "n1")
    assert strategy.choices.get(dimension="distribution").parameters == {
        "master_distributor": {"years": 3}
    }
    assert not strategy.choices.filter(dimension="licensing").exists()
    admin_client.cookies["django_language"] = "en"
    html = admin_client.get(url).content.decode()
    assert "exclude each other" in html or "исключают друг друга" in html


def test_header_form_updates_goal(admin_client) -> None:
    strategy = services.strategy_create(title="Draft", role="vendor")
    admin_client.post(
        reverse("strategy:strategy", args=[strategy.pk]),
        {
            "section": "header",
            "title": "Final",
            "role": "partner",
            "goal_metric": "market_share",
            "goal_target": "10",
            "goal_unit": "%",
            "goal_horizon_years": "2",
        },
    )
    strategy.refresh_from_db()
    assert (strategy.title, strategy.role, strategy.goal_horizon_years) == ("Final", "partner", 2)


@pytest.mark.parametrize("fmt, magic", [("pdf", b"%PDF"), ("docx", b"PK"), ("md", b"# ")])
def test_export_downloads(admin_client, fmt, magic) -> None:
    strategy = services.strategy_copy_example(key="new_vendor_market_share", lang="ru")
    response = admin_client.get(reverse("strategy:strategy_export", args=[strategy.pk, fmt]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response.content.startswith(magic)
    example = admin_client.get(
        reverse("strategy:example_export", args=["distributor_margin_growth", fmt])
    )
    assert example.status_code == 200 and example.content.startswith(magic)
    assert (
        admin_client.get(reverse("strategy:strategy_export", args=[strategy.pk, "exe"])).status_code
        == 404
    )


def test_docx_export_carries_the_stored_choices(admin_client) -> None:
    from docx import Document

    strategy = services.strategy_create(title="Тест", role="vendor")
    services.strategy_choice_set(
        strategy=strategy, dimension="margin", tactics=["fixed"], note="для всех"
    )
    response = admin_client.get(reverse("strategy:strategy_export", args=[strategy.pk, "docx"]))
    body = "\n".join(p.text for p in Document(io.BytesIO(response.content)).paragraphs)
    assert "Тест" in body and "для всех" in body


def test_targets_added_and_shown(admin_client) -> None:
    strategy = services.strategy_create(title="T", role="vendor")
    admin_client.post(
        reverse("strategy:target_create", args=[strategy.pk]),
        {"metric": "deals_below_floor", "target_value": "0", "min_level_rank": "0"},
    )
    target = strategy.targets.get()
    page = admin_client.get(reverse("strategy:strategy", args=[strategy.pk])).content.decode()
    # no saved deal yet: a plain note instead of a bar
    assert "aria-valuenow" not in page and "target-note" in page
    result = price_deal(Deal(lines=(DealLine(Decimal(1000)),)), FixedMargin(Decimal(25)))
    services.deal_calculation_save(result=result, inputs={})
    page = admin_client.get(reverse("strategy:strategy", args=[strategy.pk])).content.decode()
    assert 'aria-valuenow="100"' in page  # no deal below the floor
    admin_client.post(reverse("strategy:target_delete", args=[target.pk]))
    assert not strategy.targets.exists()


def test_calculator_computes_saves_and_charts(admin_client) -> None:
    response = admin_client.post(
        reverse("strategy:pricing"),
        {
            "tactic": "fixed",
            "list_price": "1000",
            "quantity": "3",
            "distributor_discount": "35",
            "partner_discount": "25",
            "customer_discount": "0",
            "floor": "30",
            "save": "on",
            "title": "Bank X",
            "stage_presale_by": "partner",
            "stage_pilot_by": "partner",
            "stage_implementation_by": "partner",
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    partner_row = html.split('data-role="partner"')[1].split("</tr>")[0]
    assert re.search(r"750[.,]00", partner_row) and re.search(r"25[.,]00", partner_row)
    assert 'id="waterfall-spec"' in html and "vega-embed" in html
    spec = json.loads(
        html.split('id="waterfall-spec" type="application/json">')[1].split("</script>")[0]
    )
    assert [row["end"] for row in spec["data"]["values"]][-1] == 1950.0
    saved = DealCalculation.objects.get()
    assert (saved.title, saved.below_floor, saved.partner_margin_pct) == ("Bank X", True, 25)


def test_calculator_reports_form_errors(admin_client) -> None:
    response = admin_client.post(
        reverse("strategy:pricing"),
        {
            "tactic": "floating_by_status",
            "list_price": "100",
            "quantity": "1",
            "status_discounts": "Silver=15",
            "status": "Gold",
            "stage_presale_by": "partner",
            "stage_pilot_by": "partner",
            "stage_implementation_by": "partner",
        },
    )
    assert response.status_code == 200
    assert "waterfall-spec" not in response.content.decode()
    assert response.context["form"].errors["status"]


def test_catalogue_page_and_custom_tactic(admin_client) -> None:
    page = admin_client.get(reverse("strategy:catalogue")).content.decode()
    assert "Фиксированная маржинальность" in page or "Fixed margin" in page
    response = admin_client.post(
        reverse("strategy:catalogue"),
        {"dimension": "margin", "key": "rebate", "name_ru": "Бонус", "roles": ["vendor"]},
    )
    assert response.status_code == 302 and Tactic.objects.filter(key="rebate").exists()
    clash = admin_client.post(
        reverse("strategy:catalogue"), {"dimension": "margin", "key": "fixed", "name_ru": "x"}
    )
    assert clash.status_code == 200 and clash.context["form"].non_field_errors()


def test_program_page(admin_client) -> None:
    response = admin_client.get(reverse("strategy:program"))
    assert response.status_code == 200 and 'id="program-table"' in response.content.decode()


def test_russian_is_the_default_ui_language(admin_client) -> None:
    page = admin_client.get(reverse("strategy:strategy_list")).content.decode()
    assert "Стратегии работы с каналом" in page and "Примеры из книги" in page


def test_measurable_tactics_suggest_targets(admin_client) -> None:
    strategy = services.strategy_copy_example(key="new_vendor_market_share", lang="en")
    url = reverse("strategy:strategy", args=[strategy.pk])
    page = admin_client.get(url).content.decode()
    # the limited club is measured by partner counts; flexible margin by partner margins
    assert "?metric=partner_count&amp;dimension=work_with_partners" in page
    assert "?metric=partner_margin_pct&amp;dimension=margin" in page
    prefilled = admin_client.get(url + "?metric=partner_margin_pct&dimension=margin")
    assert prefilled.context["target_form"].initial == {
        "metric": "partner_margin_pct",
        "dimension": "margin",
    }
    admin_client.post(
        reverse("strategy:target_create", args=[strategy.pk]),
        {
            "metric": "partner_margin_pct",
            "target_value": "25",
            "min_level_rank": "0",
            "dimension": "margin",
        },
    )
    assert strategy.targets.get().dimension == "margin"
    assert "?metric=partner_margin_pct" not in admin_client.get(url).content.decode()


def test_live_check_of_an_unsaved_draft(admin_client) -> None:
    strategy = services.strategy_copy_example(key="new_vendor_market_share", lang="en")
    response = admin_client.post(
        reverse("strategy:strategy_check", args=[strategy.pk]),
        {"margin__present": "1", "margin__tactics": ["fixed", "flexible"]},
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    assert response.status_code == 200 and html.startswith('<ul class="list-group')
    assert 'data-rule="exclusive_conflict"' in html
    assert strategy.choices.get(dimension="margin").tactics == ["flexible"]  # nothing saved
    clean = admin_client.post(
        reverse("strategy:strategy_check", args=[strategy.pk]),
        {"margin__present": "1", "margin__tactics": ["flexible"]},
    )
    assert "data-rule=" not in clean.content.decode()


def test_calculator_labels_follow_the_ui_language(admin_client) -> None:
    query = (
        "?tactic=fixed&list_price=100&quantity=1&partner_discount=25&customer_discount=0&floor=20"
        "&stage_presale_by=partner&stage_pilot_by=partner&stage_implementation_by=partner"
    )
    url = reverse("strategy:pricing") + query
    assert "Партнёр" in admin_client.get(url).content.decode()
    admin_client.cookies["django_language"] = "en"
    english = admin_client.get(url).content.decode()
    assert '"Partner margin"' in english and "Партнёр" not in english


def test_licensing_comparison_page(admin_client) -> None:
    query = (
        "?licence_price=1000000&support_pct=20&first_year_support_included=on&support_indexation_pct=0"
        "&subscription_price=350000&indexation_pct=0&horizon_years=6&partner_discount=25"
        "&distributor_discount=35&customer_discount=0"
    )
    response = admin_client.get(reverse("strategy:licensing") + query)
    html = response.content.decode()
    assert response.status_code == 200 and 'id="licensing-table"' in html
    assert response.context["comparison"]["break_even_year"] == 6
    spec = response.context["chart"]
    assert len(spec["data"]["values"]) == 12
    assert admin_client.get(reverse("strategy:licensing")).context.get("comparison") is None


def _deal(lines: list[dict[str, str]], **extra: str) -> dict[str, str]:
    data = {
        "tactic": "fixed",
        "distributor_discount": "35",
        "partner_discount": "25",
        "customer_discount": "0",
        "floor": "20",
        "stage_presale_by": "partner",
        "stage_pilot_by": "partner",
        "stage_implementation_by": "partner",
        "lines-TOTAL_FORMS": str(len(lines)),
        "lines-INITIAL_FORMS": "0",
        "lines-MIN_NUM_FORMS": "1",
        "lines-MAX_NUM_FORMS": "200",
    }
    for index, line in enumerate(lines):
        data.update({f"lines-{index}-{key}": value for key, value in line.items()})
    data.update(extra)
    return data


LINES = [
    {"name": "Licence", "list_price": "1000", "quantity": "3"},
    {"name": "Removed", "list_price": "5", "quantity": "1", "DELETE": "on"},
    {"name": "Support", "list_price": "333.33", "quantity": "2"},
]


def test_calculator_prices_several_lines_per_line_and_for_the_deal(admin_client) -> None:
    response = admin_client.post(reverse("strategy:pricing"), _deal(LINES, save="on"))
    assert response.status_code == 200
    rows = {row["line"]: row for row in response.context["deal_rows"]}
    assert set(rows) == {1, 2, "total"}  # the removed line is not priced
    assert (rows[1]["name"], rows[2]["name"]) == ("Licence", "Support")
    # support: 333.33 × 0.75 = 249.9975 → 250.00 a unit; the partner keeps 83.33 a unit
    assert (rows[2]["partner_total"], rows[2]["partner_margin"]) == (
        Decimal("500.00"),
        Decimal("166.66"),
    )
    total = rows["total"]
    assert (
        total["customer_total"]
        == Decimal("3666.66")
        == rows[1]["customer_total"] + rows[2]["customer_total"]
    )
    assert total["partner_margin"] == Decimal("916.66")
    assert (
        total["distributor_margin"] == rows[1]["distributor_margin"] + rows[2]["distributor_margin"]
    )
    html = response.content.decode()
    assert 'id="line-table"' in html and 'data-line="total"' in html
    saved = DealCalculation.objects.get()
    assert len(saved.result["lines"]) == 2 and saved.customer_price == Decimal("3666.66")


def test_calculator_line_errors_and_at_least_one_line(admin_client) -> None:
    bad = admin_client.post(
        reverse("strategy:pricing"),
        _deal([{"list_price": "100", "quantity": "1"}, {"list_price": "-1", "quantity": "0"}]),
    )
    assert "result" not in bad.context
    assert set(bad.context["lines"].errors[1]) == {"list_price", "quantity"}
    none_left = admin_client.post(
        reverse("strategy:pricing"),
        _deal([{"list_price": "100", "quantity": "1", "DELETE": "on"}]),
    )
    assert "result" not in none_left.context and none_left.context["lines"].non_form_errors()


def test_calculator_exports_the_computed_table(admin_client) -> None:
    url = reverse("strategy:pricing")
    response = admin_client.post(url, _deal(LINES, export="csv", title="Bank X", save="on"))
    assert response["Content-Disposition"] == 'attachment; filename="deal-bank-x.csv"'
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [row["line"] for row in rows] == ["1", "2", "total"]
    assert rows[1]["partner_margin"] == "166.66" and rows[2]["customer_total"] == "3666.66"
    assert rows[2]["partner_margin_pct"] == "25.00"
    assert not DealCalculation.objects.exists()  # a download is not a save
    xlsx = admin_client.post(url, _deal(LINES, export="xlsx"))
    values = list(load_workbook(io.BytesIO(xlsx.content)).active.values)
    assert values[0][:3] == ("line", "name", "quantity")
    assert values[-1][0] == "total" and values[-1][values[0].index("customer_total")] == 3666.66
    # without a distributor its columns are empty
    direct = admin_client.post(url, _deal(LINES[:1], export="csv", distributor_discount=""))
    row = next(csv.DictReader(io.StringIO(direct.content.decode("utf-8-sig"))))
    assert row["distributor_total"] == "" and row["partner_total"] == "2250.00"
