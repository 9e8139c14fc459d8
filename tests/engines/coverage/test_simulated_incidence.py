"""The incidence simulator: scenario shapes and the held-out-list truth."""

from __future__ import annotations

import numpy as np
import pytest

from partnernet.engines.simulate.incidence import SCENARIOS, simulate


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_truth_and_shapes(scenario: str) -> None:
    sim = simulate(scenario, 2000, 30, 1)
    assert sim.population == 2000
    assert sim.probabilities.shape == (2000, 31)
    assert sim.incidence.n_lists == 30
    assert 0 < sim.incidence.n_companies <= 2000
    assert sim.next_list_new >= 0
    assert sim.next_list_expected_new > 0


def test_same_seed_same_data() -> None:
    a, b = simulate("beta", 1000, 10, 5), simulate("beta", 1000, 10, 5)
    assert np.array_equal(a.incidence.rows, b.incidence.rows)
    assert np.array_equal(a.incidence.cols, b.incidence.cols)


def test_scenarios_differ_in_what_they_hide() -> None:
    seen = {s: simulate(s, 5000, 40, 2).incidence.n_companies / 5000 for s in SCENARIOS}
    assert seen["uniform"] > seen["beta"] > seen["logit_normal"] > seen["strong"]
    assert seen["strong"] < 0.45  # most quiet companies never appear


def test_logit_normal_lists_are_uneven() -> None:
    sizes = simulate("logit_normal", 5000, 40, 3).incidence.list_sizes()
    assert sizes.max() > 3 * sizes.min()


def test_unknown_scenario() -> None:
    with pytest.raises(ValueError):
        simulate("chaos", 100, 5, 0)
