"""The Coverage page in a real browser: the charts render as SVG, the breakdown loads."""

from __future__ import annotations

from tests.apps.coverage.helpers import build_register


def test_coverage_charts_render(page, live_server) -> None:
    register = build_register(truth=300, lists=6)
    unique = register.sim.incidence.n_companies
    page.goto(f"{live_server.url}/coverage/?by=federal_district&min_companies=50")
    assert page.locator("#headline-unique").inner_text().strip() == str(unique)
    for chart in ("curve", "frequency", "estimates", "overlap"):
        page.wait_for_selector(f"#chart-{chart} svg")
    # the breakdown arrives by htmx after the page, with its own chart
    page.wait_for_selector("#chart-groups svg")
    assert page.locator("#groups-table tbody tr").count() == 2
    # vega-embed's action menu offers the image exports
    page.click("#chart-curve details summary")
    assert page.locator("#chart-curve .vega-actions a", has_text="SVG").count() == 1
    # choosing two lists re-runs the analysis on them only
    page.click("[data-coverage-select=none]")
    page.check(f"#coverage-sources input[value='{register.sources[0].pk}']")
    page.check(f"#coverage-sources input[value='{register.sources[1].pk}']")
    page.click("#coverage-form button[type=submit]")
    page.wait_for_selector("#chart-curve svg")
    assert "on 2 lists" in page.locator("#coverage-headline").inner_text()
