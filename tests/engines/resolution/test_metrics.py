"""Pairwise and B-cubed scores against hand-counted examples."""

from __future__ import annotations

import pytest

from partnernet.engines.resolution.metrics import pair_recall, score_clusters


def test_perfect_clustering_scores_one() -> None:
    truth = {"a": 1, "b": 1, "c": 2}
    s = score_clusters({"a": "x", "b": "x", "c": "y"}, truth)
    assert (s.pairwise_f1, s.bcubed_f1) == (1.0, 1.0)
    assert (s.predicted_clusters, s.true_clusters) == (2, 2)


def test_over_merge_lowers_precision_only() -> None:
    truth = {"a": 1, "b": 1, "c": 2, "d": 2}
    s = score_clusters({k: 0 for k in truth}, truth)
    # 6 predicted pairs, 2 true ones.
    assert s.pairwise_precision == pytest.approx(2 / 6)
    assert s.pairwise_recall == 1.0
    # Each record: 2 of its cluster's 4 members are its entity.
    assert s.bcubed_precision == pytest.approx(0.5)
    assert s.bcubed_recall == 1.0


def test_split_lowers_recall_only() -> None:
    truth = {"a": 1, "b": 1, "c": 1}
    s = score_clusters({"a": 1, "b": 1, "c": 2}, truth)
    assert s.pairwise_precision == 1.0
    assert s.pairwise_recall == pytest.approx(1 / 3)
    assert s.bcubed_recall == pytest.approx((2 / 3 + 2 / 3 + 1 / 3) / 3)


def test_blocking_figures() -> None:
    truth = {"a": 1, "b": 1, "c": 2, "d": 2}
    recall, share = pair_recall(candidate_pairs=3, found_true_pairs=1, truth=truth)
    assert recall == 0.5
    assert share == 0.5
