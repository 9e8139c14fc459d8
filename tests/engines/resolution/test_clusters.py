"""Guarded clustering: strongest links first, no chaining, identifiers and decisions respected."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from partnernet.engines.resolution.clusters import (
    REASON_DIFFERENT_DOMAINS,
    REASON_DIFFERENT_PHONES,
    REASON_IDENTIFIER_CONFLICT,
    REASON_SEPARATED,
    REASON_TWO_COMPANIES,
    REASON_UNCERTAIN,
    ClusterPolicy,
    cluster_pairs,
)


def test_strong_links_merge_and_weak_ones_do_not() -> None:
    result = cluster_pairs(["a", "b", "c"], [("a", "b", 0.99), ("b", "c", 0.1)])
    assert result.cluster_of["a"] == result.cluster_of["b"]
    assert result.cluster_of["c"] != result.cluster_of["a"]
    assert result.review == []


def test_uncertain_pairs_are_queued_once_per_pair_of_groups() -> None:
    pairs = [("a", "b", 0.99), ("a", "c", 0.5), ("b", "c", 0.4)]
    result = cluster_pairs(["a", "b", "c"], pairs)
    assert len(result.review) == 1
    item = result.review[0]
    assert (item.reason, item.probability) == (REASON_UNCERTAIN, 0.5)


def test_different_valid_inns_never_merge() -> None:
    identifiers = {"a": {"tax": "inn:1"}, "c": {"tax": "inn:2"}}
    pairs = [("a", "b", 0.999), ("b", "c", 0.999)]
    result = cluster_pairs(["a", "b", "c"], pairs, identifiers=identifiers)
    assert result.cluster_of["a"] == result.cluster_of["b"]
    assert result.cluster_of["c"] != result.cluster_of["a"]
    assert [i.reason for i in result.review] == [REASON_IDENTIFIER_CONFLICT]


def test_one_bridge_does_not_join_two_separated_groups() -> None:
    # Omsk group {o1, o2}, Tula group {t1, t2}; "x" (no city) links strongly to both sides,
    # while every scored pair between the cities says "different".
    pairs = [
        ("o1", "o2", 0.999),
        ("t1", "t2", 0.999),
        ("x", "o1", 0.97),
        ("x", "t1", 0.96),
        ("o1", "t1", 0.001),
        ("o2", "t2", 0.001),
        ("o1", "t2", 0.001),
    ]
    result = cluster_pairs(["o1", "o2", "t1", "t2", "x"], pairs)
    assert result.cluster_of["o1"] == result.cluster_of["x"]
    assert result.cluster_of["t1"] != result.cluster_of["o1"]
    assert result.cluster_of["t1"] == result.cluster_of["t2"]
    assert [i.reason for i in result.review] == [REASON_SEPARATED]


def test_a_link_that_says_little_does_not_join_groups_with_different_domains() -> None:
    # "x" (a name and a city only) scores well with both; each group lists its own site.
    pairs = [("a", "x", 0.95), ("b", "x", 0.9)]
    domains = {"a": ["atlas.ru"], "b": ["atlas-tver.ru"]}
    result = cluster_pairs(["a", "b", "x"], pairs, domains=domains)
    assert result.cluster_of["a"] == result.cluster_of["x"]
    assert result.cluster_of["b"] != result.cluster_of["a"]
    assert [i.reason for i in result.review] == [REASON_DIFFERENT_DOMAINS]


def test_a_shared_identifier_overrules_different_domains() -> None:
    # A company that moved to a new site keeps its INN.
    pairs = [("a", "b", 0.99)]
    domains = {"a": ["old.ru"], "b": ["new.ru"]}
    identifiers = {"a": {"tax": "inn:1"}, "b": {"tax": "inn:1"}}
    result = cluster_pairs(["a", "b"], pairs, domains=domains, identifiers=identifiers)
    assert result.cluster_of["a"] == result.cluster_of["b"]


def test_different_numbers_in_one_city_keep_groups_apart_unless_a_domain_is_shared() -> None:
    pairs = [("a", "x", 0.95), ("b", "x", 0.9)]
    phones = {"a": {"msk": ["+74951111111"]}, "b": {"msk": ["+74952222222"]}}
    result = cluster_pairs(["a", "b", "x"], pairs, phones=phones)
    assert result.cluster_of["b"] != result.cluster_of["a"]
    assert [i.reason for i in result.review] == [REASON_DIFFERENT_PHONES]
    # a second line of one company: the site they share says so
    shared = cluster_pairs(
        ["a", "b", "x"], pairs, phones=phones, domains={"a": ["jet.su"], "b": ["jet.su"]}
    )
    assert len(set(shared.cluster_of.values())) == 1
    # numbers in different cities are a company's branches, not a contradiction
    branches = {"a": {"msk": ["+74951111111"]}, "b": {"spb": ["+78122222222"]}}
    assert len(set(cluster_pairs(["a", "b", "x"], pairs, phones=branches).cluster_of.values())) == 1


def test_groups_sharing_a_site_join_though_their_other_pairs_disagree() -> None:
    # Head office {h1, h2} and a branch {b1, b2}: the branch's b1 lists the company's site,
    # b2 (no site) scores low against the head office; the linking pair is strong.
    pairs = [
        ("h1", "h2", 0.999),
        ("b1", "b2", 0.999),
        ("h1", "b1", 0.95),
        ("h2", "b2", 0.1),
        ("h1", "b2", 0.1),
        ("h2", "b1", 0.3),
    ]
    ids = ["h1", "h2", "b1", "b2"]
    domains = {"h1": ["atlas.ru"], "b1": ["atlas.ru"]}
    assert len(set(cluster_pairs(ids, pairs, domains=domains).cluster_of.values())) == 1
    # without the shared site, average linkage keeps the two groups apart
    apart = cluster_pairs(ids, pairs, policy=ClusterPolicy(shared_site_overrules=False))
    assert len(set(apart.cluster_of.values())) == 2


def test_a_person_can_accept_a_pair_the_contact_guards_refuse() -> None:
    domains = {"a": ["atlas.ru"], "b": ["atlas-tver.ru"]}
    result = cluster_pairs(["a", "b"], [("a", "b", 0.9)], domains=domains, accepted=[("a", "b")])
    assert result.cluster_of["a"] == result.cluster_of["b"]


def test_guards_can_be_switched_off() -> None:
    domains = {"a": ["atlas.ru"], "b": ["atlas-tver.ru"]}
    policy = ClusterPolicy(separate_domains=False)
    result = cluster_pairs(["a", "b"], [("a", "b", 0.9)], domains=domains, policy=policy)
    assert result.cluster_of["a"] == result.cluster_of["b"]


def test_rejected_pair_is_never_joined_even_through_a_third_record() -> None:
    pairs = [("a", "b", 0.99), ("b", "c", 0.99)]
    result = cluster_pairs(["a", "b", "c"], pairs, rejected=[("a", "c")])
    assert result.cluster_of["a"] != result.cluster_of["c"]


def test_accepted_pair_merges_below_threshold() -> None:
    result = cluster_pairs(["a", "b"], [("a", "b", 0.4)], accepted=[("a", "b")])
    assert result.cluster_of["a"] == result.cluster_of["b"]
    assert result.review == []


def test_incremental_mode_keeps_companies_and_proposes_their_merge() -> None:
    companies = {"r1": "C1", "r2": "C1", "r3": "C2"}
    pairs = [("n1", "r1", 0.99), ("n1", "r3", 0.98)]
    result = cluster_pairs(["r1", "r2", "r3", "n1"], pairs, companies=companies)
    assert result.cluster_of["n1"] == "C1"
    assert result.cluster_of["r2"] == "C1"
    assert result.cluster_of["r3"] == "C2"
    assert [i.reason for i in result.review] == [REASON_TWO_COMPANIES]


def test_new_records_form_new_clusters_keyed_by_smallest_id() -> None:
    result = cluster_pairs(["n2", "n1"], [("n2", "n1", 0.95)], companies={})
    assert result.cluster_of == {"n1": "n1", "n2": "n1"}


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, 9), st.integers(0, 9), st.floats(0, 1, allow_nan=False)),
        max_size=40,
    ),
    st.dictionaries(st.integers(0, 9), st.sampled_from(["1", "2", "3"]), max_size=6),
)
def test_no_cluster_ever_holds_two_identifiers_of_one_kind(edges, inns) -> None:
    ids = [f"r{i}" for i in range(10)]
    pairs = [(f"r{a}", f"r{b}", p) for a, b, p in edges]
    identifiers = {f"r{i}": {"tax": v} for i, v in inns.items()}
    result = cluster_pairs(ids, pairs, identifiers=identifiers, policy=ClusterPolicy())
    for members in result.groups().values():
        values = {identifiers[m]["tax"] for m in members if m in identifiers}
        assert len(values) <= 1
    # A strong pair left apart is always explained by a review item for its two groups.
    reviewed = {
        frozenset((result.cluster_of[i.left], result.cluster_of[i.right])) for i in result.review
    }
    for a, b, p in pairs:
        ca, cb = result.cluster_of[a], result.cluster_of[b]
        if p >= ClusterPolicy().match_threshold and ca != cb:
            assert frozenset((ca, cb)) in reviewed
