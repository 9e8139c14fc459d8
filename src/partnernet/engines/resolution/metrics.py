"""Quality of a clustering against ground truth: pairwise and B-cubed scores.

Pairwise scores count record pairs put in one cluster; B-cubed scores average, per record, the
share of its predicted cluster that is truly its entity (precision) and the share of its entity
that is in its predicted cluster (recall). Both are computed from cluster sizes and the
contingency table, never by listing pairs, so a million records is fine.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class ClusterScores:
    pairwise_precision: float
    pairwise_recall: float
    pairwise_f1: float
    bcubed_precision: float
    bcubed_recall: float
    bcubed_f1: float
    predicted_clusters: int
    true_clusters: int
    records: int


def _pairs(n: int) -> int:
    return n * (n - 1) // 2


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def score_clusters(
    predicted: Mapping[str, Hashable], truth: Mapping[str, Hashable]
) -> ClusterScores:
    """Score ``predicted`` (record id -> cluster) against ``truth`` (record id -> entity).

    Only records present in both mappings count.

    >>> s = score_clusters({"a": 1, "b": 1, "c": 2}, {"a": "x", "b": "x", "c": "x"})
    >>> (s.pairwise_precision, round(s.pairwise_recall, 3), s.predicted_clusters)
    (1.0, 0.333, 2)
    """
    ids = [rid for rid in predicted if rid in truth]
    pred_sizes = Counter(predicted[rid] for rid in ids)
    true_sizes = Counter(truth[rid] for rid in ids)
    both = Counter((predicted[rid], truth[rid]) for rid in ids)

    true_positive = sum(_pairs(n) for n in both.values())
    predicted_pairs = sum(_pairs(n) for n in pred_sizes.values())
    truth_pairs = sum(_pairs(n) for n in true_sizes.values())
    precision = true_positive / predicted_pairs if predicted_pairs else 1.0
    recall = true_positive / truth_pairs if truth_pairs else 1.0

    n = len(ids)
    if n:
        b_precision = sum(c * c / pred_sizes[p] for (p, _t), c in both.items()) / n
        b_recall = sum(c * c / true_sizes[t] for (_p, t), c in both.items()) / n
    else:
        b_precision = b_recall = 1.0
    return ClusterScores(
        pairwise_precision=precision,
        pairwise_recall=recall,
        pairwise_f1=_f1(precision, recall),
        bcubed_precision=b_precision,
        bcubed_recall=b_recall,
        bcubed_f1=_f1(b_precision, b_recall),
        predicted_clusters=len(pred_sizes),
        true_clusters=len(true_sizes),
        records=n,
    )


def pair_recall(
    candidate_pairs: int, found_true_pairs: int, truth: Mapping[str, Hashable]
) -> tuple[float, float]:
    """Blocking figures: (recall of true pairs, share of all pairs compared)."""
    sizes = Counter(truth.values())
    truth_pairs = sum(_pairs(n) for n in sizes.values())
    all_pairs = _pairs(len(truth))
    recall = found_true_pairs / truth_pairs if truth_pairs else 1.0
    share = candidate_pairs / all_pairs if all_pairs else 0.0
    return recall, share
