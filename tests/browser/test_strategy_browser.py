"""Build a strategy in the composer, see its warnings, download its PDF and read it back."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils missing")
def test_build_a_strategy_and_download_its_pdf(page, live_server, tmp_path: Path) -> None:
    page.goto(f"{live_server.url}/strategy/")
    form = page.locator("#strategy-create")
    form.locator("[name=title]").fill("Browser strategy")
    form.locator("[name=role]").select_option("vendor")
    form.locator("[name=goal_metric]").select_option("market_share")
    form.locator("[name=goal_target]").fill("12")
    form.locator("[name=goal_horizon_years]").fill("2")
    form.locator("button[type=submit]").click()
    page.wait_for_selector("#composer")
    assert page.locator("h1").inner_text() == "Browser strategy"

    page.check("#t-sales_channels-distributors_only")
    page.check("#t-distribution-no_distributor")  # contradicts "only through distributors"
    page.check("#t-margin-floating_by_status")
    # the checks follow the unsaved draft (htmx), before anything is saved
    page.wait_for_selector('#findings-list [data-rule="channel_without_distributor"]')
    page.fill("[name=margin__note]", "Gold partners earn most")
    page.click("#save-choices")
    page.wait_for_selector("#findings")
    findings = page.locator("#findings").inner_text()
    assert "no distributor" in findings.lower()
    assert page.is_checked("#t-margin-floating_by_status")

    with page.expect_download() as download_info:
        page.click("#export-pdf")
    pdf = tmp_path / "strategy.pdf"
    download_info.value.save_as(pdf)
    assert pdf.read_bytes().startswith(b"%PDF")
    text = subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Browser strategy" in text
    assert "Floating margin by partner status" in text
    assert "Gold partners earn most" in text


def test_margin_calculator_draws_the_waterfall(page, live_server) -> None:
    page.goto(f"{live_server.url}/strategy/pricing/")
    assert page.is_hidden("[data-field=status_discounts]")
    page.select_option("#id_tactic", "floating_by_status")
    assert page.is_visible("[data-field=status_discounts]")
    assert page.is_hidden("[data-field=partner_discount]")
    page.fill("#id_list_price", "200000")
    page.fill("#id_distributor_discount", "30")
    page.fill("#id_status_discounts", "Silver=15, Gold=20")
    page.fill("#id_status", "Silver")
    page.click("#pricing-form button[type=submit]")
    page.wait_for_selector("#chain-table")
    partner = page.locator("#chain-table tr[data-role=partner]").inner_text()
    assert "30000" in partner.replace(" ", "").replace("\u00a0", "")
    assert "below" in page.locator(".alert-warning").first.inner_text()
    # vega-embed (vendored) renders the chart as SVG or canvas
    page.wait_for_selector("#waterfall svg, #waterfall canvas")
