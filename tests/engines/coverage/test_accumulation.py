"""Accumulation curve, extrapolation, overlap and uniqueness on hand-checkable data."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from partnernet.engines.coverage.accumulation import (
    curve,
    extrapolated,
    list_uniqueness,
    next_list_expected_new,
    observed_curve,
    overlap,
    rarefied,
)
from partnernet.engines.coverage.estimators import chao2
from partnernet.engines.coverage.incidence import IncidenceMatrix

LISTS = ["cisco", "vmware", "kaspersky", "huawei", "yadro"]
INCIDENCE = {
    "jet": {"cisco", "vmware", "kaspersky", "huawei"},
    "croc": {"cisco", "vmware", "huawei"},
    "softline": {"vmware", "kaspersky"},
    "ibs": {"cisco", "yadro"},
    "lanit": {"cisco", "vmware", "kaspersky", "huawei", "yadro"},
    "alpha": {"kaspersky"},
    "beta": {"huawei"},
    "gamma": {"yadro"},
    "delta": {"yadro", "huawei"},
}


@pytest.fixture
def matrix() -> IncidenceMatrix:
    return IncidenceMatrix.from_mapping(INCIDENCE, LISTS)


def test_frequency_counts(matrix: IncidenceMatrix) -> None:
    assert matrix.frequency().tolist() == [3, 3, 1, 1, 1]
    assert matrix.list_sizes().tolist() == [4, 4, 4, 5, 4]


def test_rarefaction_equals_the_average_over_all_subsets(matrix: IncidenceMatrix) -> None:
    dense = matrix.dense()
    for t in range(1, 6):
        brute = np.mean(
            [dense[:, list(cols)].any(axis=1).sum() for cols in itertools.combinations(range(5), t)]
        )
        assert rarefied(matrix.frequency(), [t])[0] == pytest.approx(brute)


def test_observed_curve_in_import_order(matrix: IncidenceMatrix) -> None:
    points = observed_curve(matrix)
    assert [p["unique"] for p in points] == [4, 5, 6, 8, 9]
    assert [p["new"] for p in points] == [4, 1, 1, 2, 1]
    assert points[0]["list"] == "cisco"


def test_extrapolation_formula_and_asymptote(matrix: IncidenceMatrix) -> None:
    q = matrix.frequency().astype(float)
    f0 = chao2(q).population - q.sum()
    t, q1 = 5, q[0]
    one = q.sum() + f0 * (1 - (1 - q1 / (t * f0 + q1)))
    assert extrapolated(q, [1])[0] == pytest.approx(one)
    assert next_list_expected_new(q) == pytest.approx(one - q.sum())
    assert extrapolated(q, [10_000])[0] == pytest.approx(q.sum() + f0)
    # A given unseen count is used instead of Chao2's.
    assert extrapolated(q, [10_000], unseen=20.0)[0] == pytest.approx(q.sum() + 20)


def test_curve_points(matrix: IncidenceMatrix) -> None:
    points = curve(matrix, extra_lists=3)
    assert len(points) == 8
    assert points[4]["expected"] == pytest.approx(9)  # all lists: the observed count
    assert [p["extrapolated"] for p in points] == [False] * 5 + [True] * 3
    expected = [p["expected"] for p in points]
    assert expected == sorted(expected)


def test_overlap_counts_and_jaccard(matrix: IncidenceMatrix) -> None:
    result = overlap(matrix)
    counts = np.array(result["counts"])
    assert counts[0, 1] == 3  # cisco ∩ vmware = jet, croc, lanit
    assert counts[0, 0] == 4
    assert result["jaccard"][0][1] == pytest.approx(3 / (4 + 4 - 3), abs=1e-4)
    assert (counts == counts.T).all()


def test_list_uniqueness(matrix: IncidenceMatrix) -> None:
    rows = {r["list"]: r for r in list_uniqueness(matrix)}
    assert rows["yadro"]["unique"] == 1  # gamma
    assert rows["yadro"]["unique_share"] == pytest.approx(0.25)
    assert rows["cisco"]["unique"] == 0


def test_lists_outside_the_selection_are_ignored() -> None:
    m = IncidenceMatrix.from_mapping(INCIDENCE, ["cisco", "yadro"])
    assert m.n_companies == 6  # jet, croc, ibs, lanit, gamma, delta
    assert m.frequency().tolist() == [4, 2]


def test_first_lists_and_select_companies(matrix: IncidenceMatrix) -> None:
    first_two = matrix.first_lists(2)
    assert first_two.n_companies == 5  # jet, croc, ibs, lanit, softline
    only_jet = matrix.select_companies(np.array([c == "jet" for c in matrix.companies]))
    assert only_jet.companies == ("jet",)
    assert only_jet.frequency().tolist() == [0, 0, 0, 1, 0]
