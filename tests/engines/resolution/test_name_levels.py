"""Name comparison levels that need more than an equal key: same words, same sound."""

from __future__ import annotations

import duckdb
import pytest

from partnernet.engines.resolution.clusters import REASON_SEPARATED, ClusterResult, cluster_pairs
from partnernet.engines.resolution.features import same_words, skeleton_of, sound_key
from partnernet.engines.resolution.model import _CROSS_SCRIPT, _SAME_SOUND, _SAME_WORDS


def _holds(condition: str, **columns: str | None) -> bool:
    """Evaluate a level's SQL condition on one pair (``<column>_l`` / ``<column>_r`` values)."""
    names = list(columns)
    select = ", ".join(f"$v{i}::VARCHAR AS {name}" for i, name in enumerate(names))
    params = {f"v{i}": columns[name] for i, name in enumerate(names)}
    row = duckdb.execute(f"SELECT ({condition}) FROM (SELECT {select})", params).fetchone()
    assert row is not None
    return bool(row[0])


@pytest.mark.parametrize(
    ("left", "right", "same"),
    [
        ("informacion tehnolog", "informacionih tehnolog", True),  # an inflected ending
        ("setlab", "setlab", True),
        # glued brands sharing their first morpheme: Jaro-Winkler 0.93, five edits apart
        ("serverteh", "servertehnolog", False),
    ],
)
def test_same_words_is_not_fooled_by_a_shared_prefix(left: str, right: str, same: bool) -> None:
    assert _holds(_SAME_WORDS, name_full_l=left, name_full_r=right) is same
    # the name frequencies count variants with the same test in Python
    assert same_words(left, right) is same


def test_sound_level_tells_a_transcription_from_a_same_script_lookalike() -> None:
    latin, cyrillic = sound_key("LineForce"), sound_key("ООО «Лайнфорс»")
    assert skeleton_of(latin) == skeleton_of(cyrillic) is not None
    cross = f"{_SAME_SOUND} AND {_CROSS_SCRIPT}"
    assert _holds(cross, name_sound_l=latin, name_sound_r=cyrillic)
    # "Garant" and "Granit" share a skeleton but are written in one script: not the strong level.
    garant, granit = sound_key("Garant"), sound_key("Granit")
    assert _holds(_SAME_SOUND, name_sound_l=garant, name_sound_r=granit)
    assert not _holds(cross, name_sound_l=garant, name_sound_r=granit)


def _two_groups_linked_once(cross_probability: float) -> ClusterResult:
    # a1-a2 and b1-b2 are certain pairs; a1-b1 is one strong link; the three other pairs
    # between the groups carry ``cross_probability``.
    pairs = [
        ("a1", "a2", 0.999),
        ("b1", "b2", 0.999),
        ("a1", "b1", 0.95),
        ("a1", "b2", cross_probability),
        ("a2", "b1", cross_probability),
        ("a2", "b2", cross_probability),
    ]
    return cluster_pairs(["a1", "a2", "b1", "b2"], pairs)


def test_one_strong_link_does_not_join_two_groups_the_other_pairs_separate() -> None:
    result = _two_groups_linked_once(0.1)
    clusters = result.cluster_of
    assert clusters["a1"] == clusters["a2"] != clusters["b1"] == clusters["b2"]
    assert [(i.left, i.right, i.reason) for i in result.review] == [("a1", "b1", REASON_SEPARATED)]


def test_groups_whose_pairs_agree_on_average_are_joined() -> None:
    assert len(set(_two_groups_linked_once(0.8).cluster_of.values())) == 1


def test_a_single_record_still_joins_a_group_on_one_strong_pair() -> None:
    pairs = [("a1", "a2", 0.999), ("a1", "b1", 0.95), ("a2", "b1", 0.1)]
    assert len(set(cluster_pairs(["a1", "a2", "b1"], pairs).cluster_of.values())) == 1
