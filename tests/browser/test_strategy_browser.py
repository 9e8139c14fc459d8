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
