"""Plain-language reading of a report and chart rows, on reports built by the engine."""

from __future__ import annotations

import pytest
from django.utils import translation

from partnernet.apps.coverage import charts, summary
from partnernet.engines.coverage import analyse
from partnernet.engines.simulate.incidence import simulate


@pytest.fixture(scope="module")
def report() -> dict:
    inc = simulate("beta", 500, 6, 1).incidence
    return analyse(inc, list(inc.lists)).to_json()


def with_recommendation(report: dict, **changes) -> dict:
    return {**report, "recommended": {**report["recommended"], **changes}}


def test_no_reasons_without_a_lower_bound(report: dict) -> None:
    data = with_recommendation(report, lower_bound=False)
    assert summary.lower_bound_reasons(data) == []
    assert summary.headline(data).lower_bound is False


def test_reasons_follow_the_numbers(report: dict) -> None:
    with translation.override("en"):
        misfit = with_recommendation(report, method="chao2", lower_bound=True, gof_p=1e-6)
        assert "duplicates" in summary.lower_bound_reasons(misfit)[0]
        sparse = with_recommendation(report, method="chao2", lower_bound=True, gof_p=None)
        assert "Too few companies" in summary.lower_bound_reasons(sparse)[0]
        quiet = with_recommendation(
            report,
            method="Mh logit-normal",
            lower_bound=True,
            seen_share=0.45,
            gof_p=0.3,
            ci95=[400.0, 900.0],
        )
        (reason,) = summary.lower_bound_reasons(quiet)
        assert "55%" in reason
        open_ended = with_recommendation(
            report, lower_bound=True, seen_share=0.8, gof_p=0.3, ci95=[500.0, None]
        )
        assert "no upper end" in summary.lower_bound_reasons(open_ended)[0]
    with translation.override("ru"):
        assert "дубли" in summary.lower_bound_reasons(misfit)[0]


def test_warnings(report: dict) -> None:
    with translation.override("en"):
        notes = summary.report_warnings(report)
        assert any("rough" in n for n in notes) == (report["unique"] < 200)
        many = {
            **report,
            "lists": [f"L{i}" for i in range(12)],
            "unique": 1000,
            "frequency": [700, 200, 100] + [0] * 9,
            "warnings": ["Mt: not computed (singular)"],
        }
        notes = summary.report_warnings(many)
        assert any("70%" in n and "one list only" in n for n in notes)
        assert any(n.endswith("Mt.") for n in notes)


def test_headline_numbers(report: dict) -> None:
    head = summary.headline(report)
    rec = report["recommended"]
    assert head.unique == report["unique"]
    assert head.lists == len(report["lists"])
    assert head.population == round(rec["population"])
    assert head.low == round(rec["ci95"][0])
    assert 0 < head.known_share <= 1


def test_curve_rows_join_observed_and_extrapolated(report: dict) -> None:
    rows = charts.curve_rows(report)
    names = charts._series_names()
    observed = [r for r in rows if r["series"] == names["observed"]]
    extrapolated = [r for r in rows if r["series"] == names["extrapolated"]]
    assert observed[-1]["companies"] == report["unique"]
    assert extrapolated[0]["lists"] == len(report["lists"])
    assert extrapolated[0]["companies"] == report["unique"]
    values = [r["companies"] for r in extrapolated]
    assert values == sorted(values)  # more lists never find fewer companies


def test_overlap_rows_are_symmetric(report: dict) -> None:
    rows = {(r["list_a"], r["list_b"]): r for r in charts.overlap_rows(report)}
    for (a, b), row in rows.items():
        assert a != b
        assert rows[(b, a)]["both"] == row["both"]
        assert row["both"] <= min(row["size_a"], row["size_b"])


def test_specs_use_the_page_language(report: dict) -> None:
    with translation.override("ru"):
        spec = charts.curve_spec(report)
        assert spec["config"]["locale"]["number"]["thousands"] == "\xa0"
        assert any(r["series"] == "в порядке импорта" for r in spec["datasets"]["curve"])
    with translation.override("en"):
        spec = charts.frequency_spec(report)
        assert spec["config"]["locale"]["number"]["thousands"] == ","
