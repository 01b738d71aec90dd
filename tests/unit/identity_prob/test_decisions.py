"""Auto-merge, review queue and clusters from scored pairs: the rules, without Splink."""

from __future__ import annotations

import pytest

from frontoffice.identity.probabilistic import ScoredPair, cluster, pair_key, partition


def pair(a: str, b: str, weight: float, conflicts: tuple[str, ...] = ()) -> ScoredPair:
    return ScoredPair(a, b, weight, 0.5, (), "from name (romanised exact)", conflicts)


def test_high_weight_merges_grey_zone_is_queued_low_weight_is_dropped() -> None:
    merge, review = partition([pair("a", "b", 25), pair("c", "d", 10), pair("e", "f", 2)], auto=16, review=6)
    assert [p.key for p in merge] == [("a", "b")]
    assert [p.key for p in review] == [("c", "d")]


def test_a_conflicting_given_name_never_merges_automatically_but_is_queued() -> None:
    twins = pair("anna", "maria", 30, conflicts=("given name",))
    merge, review = partition([twins], auto=16, review=6)
    assert merge == [] and review == [twins]


def test_a_rejected_pair_is_neither_merged_nor_queued_again() -> None:
    rejected = {pair_key("b", "a")}
    pairs = [pair("a", "b", 40), pair("a", "b", 10)]
    merge, review = partition(pairs, auto=16, review=6, rejected_pairs=rejected)
    assert (merge, review) == ([], [])


def test_review_threshold_above_auto_threshold_is_refused() -> None:
    with pytest.raises(ValueError, match="must not exceed"):
        partition([], auto=5, review=10)


def test_clusters_join_merged_pairs_transitively_and_keep_unmatched_records() -> None:
    pairs = [pair("b", "a", 20), pair("c", "b", 20), pair("x", "y", 3)]
    clusters = cluster(pairs, threshold=16, record_ids=["a", "b", "c", "x", "y", "z"])
    assert clusters == {"a": "a", "b": "a", "c": "a", "x": "x", "y": "y", "z": "z"}


def test_cluster_respects_rejected_pairs() -> None:
    clusters = cluster([pair("a", "b", 30)], threshold=16, rejected_pairs={("a", "b")}, record_ids=["a", "b"])
    assert clusters == {"a": "a", "b": "b"}


def test_explanation_states_the_weight_and_the_evidence() -> None:
    p = pair("a", "b", 14.23)
    assert p.explanation == "match weight 14.2 from name (romanised exact)"
    evidence = p.evidence()
    assert evidence.rule == "probabilistic" and evidence.weight == 14.23
