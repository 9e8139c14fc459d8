"""Non-parametric estimators against published SpadeR output.

Reference numbers: ``SpadeR::ChaoSpecies(x, datatype = "incidence_freq", k = 4)`` output for
ant-community incidence data (16 sampling units per site), printed in the published analysis
script of Ruzi et al. (wet-season sites "H25" and "Z", and "P" for the Q4 > 0 case). The
script quotes D, T, U, Q1..Q4 and the number of species on more than k = 4 units; where that
number is > 0 those species are placed on 5+ units (their exact counts do not enter any of
these estimators, and we spread them so the total of incidences U matches the print-out).
"""

from __future__ import annotations

import numpy as np
import pytest

from partnernet.engines.coverage.estimators import (
    chao2,
    goodness_of_fit,
    ice,
    ichao2,
    jackknife1,
    jackknife2,
    log_normal_ci,
    sample_coverage,
)


def freq(head: list[int], extra: list[int], t: int = 16) -> np.ndarray:
    q = np.zeros(t)
    q[: len(head)] = head
    for k in extra:
        q[k - 1] += 1
    return q


# Site Z: D = 21, T = 16, U = 48, Q1..Q4 = 15, 2, 0, 1, three species on more than 4 units.
SITE_Z = freq([15, 2, 0, 1], [5, 8, 12])
# Site H25: D = 15, T = 16, U = 30, Q1..Q4 = 9, 4, 1, 0, one species on more than 4 units.
SITE_H25 = freq([9, 4, 1, 0], [10])
# Site P: D = 14, T = 16, U = 43, Q1..Q4 = 5, 5, 1, 1, two species on more than 4 units.
SITE_P = freq([5, 5, 1, 1], [9, 12])


def test_reference_data_match_the_print_out() -> None:
    k = np.arange(1, 17)
    assert (SITE_Z.sum(), k @ SITE_Z) == (21, 48)
    assert (SITE_H25.sum(), k @ SITE_H25) == (15, 30)
    assert (SITE_P.sum(), k @ SITE_P) == (14, 43)


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        (SITE_Z, (53.812, 24.084, 30.062, 139.806)),
        (SITE_H25, (21.750, 6.075, 16.492, 45.544)),
        (SITE_P, (15.562, 2.091, 14.214, 25.383)),
    ],
)
def test_chao2_bias_corrected_matches_spader(q: np.ndarray, expected: tuple) -> None:
    e = chao2(q)
    assert (e.population, e.se, *e.ci95) == pytest.approx(expected, abs=2e-3)


@pytest.mark.parametrize(
    ("q", "expected"),
    [(SITE_Z, 73.734), (SITE_H25, 25.968), (SITE_P, 16.919)],
)
def test_ichao2_point_estimate_matches_spader(q: np.ndarray, expected: float) -> None:
    assert ichao2(q).population == pytest.approx(expected, abs=2e-3)


def test_ichao2_interval_contains_estimate_and_is_above_observed() -> None:
    # Our variance is the delta method with the multinomial covariance over all Q_k; SpadeR's
    # printed s.e. differs (its hand-written derivatives), so only the shape is checked here.
    e = ichao2(SITE_P)
    assert e.ci95[0] >= SITE_P.sum()
    assert e.ci95[0] < e.population < e.ci95[1]
    assert e.se is not None and e.se > 0


@pytest.mark.parametrize(
    ("q", "first", "second"),
    [
        (SITE_Z, (35.062, 5.220, 27.954, 49.437), (46.554, 8.727, 34.327, 69.999)),
        (SITE_H25, (23.438, 4.043, 18.461, 35.569), (28.046, 6.729, 20.036, 48.799)),
        (SITE_P, (18.688, 3.014, 15.480, 28.846), (18.979, 4.974, 14.975, 39.427)),
    ],
)
def test_jackknives_match_spader(q: np.ndarray, first: tuple, second: tuple) -> None:
    one, two = jackknife1(q), jackknife2(q)
    assert (one.population, one.se, *one.ci95) == pytest.approx(first, abs=2e-3)
    assert (two.population, two.se, *two.ci95) == pytest.approx(second, abs=2e-3)


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        (SITE_Z, (81.926, 47.514, 36.779, 256.243)),
        (SITE_H25, (25.340, 7.432, 17.919, 51.630)),
        (SITE_P, (17.010, 2.770, 14.648, 27.973)),
    ],
)
def test_ice_with_cut_off_4_matches_spader(q: np.ndarray, expected: tuple) -> None:
    e = ice(q, rare=4)
    assert (e.population, e.se, *e.ci95) == pytest.approx(expected, abs=2e-3)


def test_ice_default_threshold_is_ten() -> None:
    q = freq([15, 2, 0, 1], [5, 8, 12])
    assert ice(q).population != pytest.approx(ice(q, rare=4).population)
    assert ice(q).population == pytest.approx(ice(q, rare=10).population)


def test_no_singletons_means_nothing_is_missing() -> None:
    q = np.array([0, 6, 3, 2, 1.0])
    for estimator in (chao2, ichao2, jackknife1, ice):
        e = estimator(q)
        assert e.population == pytest.approx(q.sum())
        assert e.ci95[0] == pytest.approx(q.sum())


def test_log_normal_interval_never_below_observed() -> None:
    low, high = log_normal_ci(100, 150, 900)
    assert 100 < low < 150 < high
    assert log_normal_ci(100, 100, 0) == (100, 100)


def test_sample_coverage_formula() -> None:
    # 1 − Q1/U · (T−1)Q1 / ((T−1)Q1 + 2Q2) for site Z: 1 − 15/48 · 225/229
    assert sample_coverage(SITE_Z) == pytest.approx(1 - 15 / 48 * 225 / 229)


def test_goodness_of_fit_separates_good_and_bad_models() -> None:
    observed = np.array([400, 200, 100, 50, 25, 12, 6, 3.0])
    assert goodness_of_fit(observed, observed * 1.0) == pytest.approx(1.0)
    flat = np.full(8, observed.sum() / 8)
    assert goodness_of_fit(observed, flat) < 1e-6
