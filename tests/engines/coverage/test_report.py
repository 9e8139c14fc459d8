"""analyse / analyse_by end to end on simulated markets with known truth."""

from __future__ import annotations

import json

import numpy as np
import pytest

from partnernet.engines.coverage import IncidenceMatrix, analyse, analyse_by
from partnernet.engines.coverage.recommend import recommend, supported_methods
from partnernet.engines.simulate.incidence import simulate


def test_moderate_heterogeneity_gives_a_confident_estimate_near_truth() -> None:
    sim = simulate("logit_normal", 3000, 40, 21)
    report = analyse(sim.incidence, list(sim.incidence.lists))
    rec = report.recommended
    assert not rec.lower_bound
    assert rec.population == pytest.approx(3000, rel=0.1)
    assert rec.ci95[0] <= 3000 <= rec.ci95[1]
    assert rec.method == "Mth logit-normal"


def test_strong_heterogeneity_is_flagged_as_a_lower_bound() -> None:
    sim = simulate("strong", 3000, 40, 21)
    report = analyse(sim.incidence, list(sim.incidence.lists))
    rec = report.recommended
    assert rec.lower_bound
    assert rec.ci95[0] <= 3000
    assert "lower bound" in rec.reason


def test_report_json_shape_from_a_plain_mapping() -> None:
    sim = simulate("beta", 1500, 10, 2)
    inc = sim.incidence
    mapping: dict[str, set[str]] = {}
    for row, col in zip(inc.rows, inc.cols, strict=True):
        mapping.setdefault(f"c{row}", set()).add(inc.lists[col])
    data = analyse(mapping, list(inc.lists)).to_json()
    json.dumps(data)
    assert data["unique"] == inc.n_companies
    assert data["frequency"] == inc.frequency().tolist()
    methods = {e["method"] for e in data["estimates"]}
    assert {"chao2", "ichao2", "jackknife1", "jackknife2", "ice", "M0", "Mt"} <= methods
    assert {"Mh Darroch", "Mh Poisson2", "Mh Gamma3.5"} <= methods
    assert set(data["recommended"]) >= {"method", "population", "ci95", "lower_bound", "reason"}
    assert data["next_list_expected_new"] > 0
    assert len(data["curve"]) == 20  # 10 observed + 10 extrapolated
    assert len(data["overlap"]["counts"]) == 10
    assert len(data["list_uniqueness"]) == 10


def test_list_order_is_the_import_order() -> None:
    sim = simulate("beta", 800, 6, 4)
    lists = list(reversed(sim.incidence.lists))
    report = analyse(sim.incidence, lists)
    assert report.lists == lists
    assert report.curve[0]["list"] == lists[0]
    # The random-order curve and the estimates do not depend on the order.
    forward = analyse(sim.incidence, list(sim.incidence.lists))
    assert report.recommended.population == pytest.approx(forward.recommended.population)


def test_choosing_sources_restricts_the_analysis() -> None:
    sim = simulate("beta", 800, 6, 4)
    chosen = list(sim.incidence.lists[:3])
    report = analyse(sim.incidence, chosen)
    assert report.lists == chosen
    assert report.unique == sim.incidence.first_lists(3).n_companies


def test_analyse_by_groups_with_small_sample_warning() -> None:
    sim = simulate("logit_normal", 3000, 20, 8)
    inc = sim.incidence
    rng = np.random.default_rng(0)
    regions = rng.choice(["ЦФО", "СЗФО"], size=inc.n_companies, p=[0.97, 0.03])
    groups = dict(zip(inc.companies, regions, strict=True))
    reports = analyse_by(inc, list(inc.lists), groups, min_companies=100)
    assert set(reports) == {"ЦФО", "СЗФО"}
    assert reports["ЦФО"].unique + reports["СЗФО"].unique == inc.n_companies
    assert any("too few" in w for w in reports["СЗФО"].warnings)
    assert reports["СЗФО"].recommended.lower_bound
    assert not any("too few" in w for w in reports["ЦФО"].warnings)


@pytest.mark.parametrize("scenario", ["logit_normal", "beta", "uniform"])
def test_groups_skip_only_intervals_the_recommendation_does_not_use(scenario: str) -> None:
    sim = simulate(scenario, 1500, 12, 5)
    inc = sim.incidence
    rng = np.random.default_rng(1)
    groups = dict(zip(inc.companies, rng.choice(["a", "b"], size=inc.n_companies), strict=True))
    reports = analyse_by(inc, list(inc.lists), groups, min_companies=100)
    for group, lazy in reports.items():
        mask = np.array([groups[c] == group for c in inc.companies])
        sub = inc.select_companies(mask)
        full = analyse(sub, list(sub.lists))
        assert lazy.recommended == full.recommended
        skipped = [e for e in lazy.estimates if e.details.get("interval") == "not computed"]
        for estimate in skipped:  # only the models outside the AIC support
            assert estimate.method not in supported_methods(full.estimates)
            assert estimate.ci95[1] is None
        kept = {e.method: e for e in lazy.estimates if e not in skipped}
        for estimate in full.estimates:
            if estimate.method in kept:
                assert kept[estimate.method].ci95 == pytest.approx(estimate.ci95)


def test_no_repeats_means_only_a_lower_bound() -> None:
    matrix = IncidenceMatrix.from_mapping({"a": {"x"}, "b": {"y"}, "c": {"y"}}, ["x", "y"])
    report = analyse(matrix, ["x", "y"])
    assert report.recommended.lower_bound
    assert report.recommended.ci95[1] is None
    assert report.unique == 3


def test_recommendation_without_candidates_falls_back_to_chao2() -> None:
    rec = recommend([], np.array([5, 0, 0]), 5)
    assert rec.lower_bound
    assert rec.population == 5


def test_unmerged_duplicates_switch_to_chao2_with_a_warning() -> None:
    # Split 60% of the multi-list companies into two records, as a resolution that misses
    # duplicates would: false one-list companies that no heterogeneity model explains.
    sim = simulate("beta", 3000, 40, 5)
    inc = sim.incidence
    rng = np.random.default_rng(1)
    mapping: dict[object, set[str]] = {}
    for row, col in zip(inc.rows, inc.cols, strict=True):
        mapping.setdefault(int(row), set()).add(inc.lists[col])
    for company, on_lists in list(mapping.items()):
        if len(on_lists) >= 2 and rng.random() < 0.6:
            moved = min(on_lists)
            on_lists.discard(moved)
            mapping[f"duplicate of {company}"] = {moved}
    report = analyse(mapping, list(inc.lists))
    rec = report.recommended
    assert rec.method == "chao2"
    assert rec.lower_bound and rec.ci95[1] is None
    assert "duplicates" in rec.reason
    assert any("one list only" in w for w in report.warnings)


def test_empty_and_tiny_inputs_do_not_fail() -> None:
    empty = analyse({}, ["x", "y"])
    assert empty.unique == 0 and empty.estimates == []
    assert empty.warnings == ["no company is on the chosen lists"]
    single_list = analyse({"a": {"x"}}, ["x"])
    assert single_list.recommended.lower_bound
    assert any("two lists" in w for w in single_list.warnings)
