"""Pair decisions as log events, and what each does to the graph."""

from __future__ import annotations

import pytest

from frontoffice.identity.graph import Graph
from frontoffice.identity.review import ACCEPT, MATCH, REJECT, PairDecision, apply, decision_of
from frontoffice.identity.rules import GraphConfig
from tests.unit.identity_core.support import node


def test_a_decision_round_trips_through_its_log_event_with_a_stable_message_id() -> None:
    decision = PairDecision(REJECT, "pos:2", "web:1", "review", "rejected by kim", 9.5, 0.99, 7, "kim")
    record = decision.record("2026-01-01T00:00:00.000Z")
    assert record.family == "identity" and record.type == "identity.reject"
    assert decision_of(record) == decision
    swapped = PairDecision(REJECT, "web:1", "pos:2", "review", "other words", review_id=7)
    assert swapped.message_id == decision.message_id


def test_an_unknown_decision_kind_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown pair decision"):
        PairDecision("identity.maybe", "a", "b", "review", "")


def test_a_rejected_pair_blocks_a_merge_through_a_shared_identifier() -> None:
    graph = Graph(GraphConfig())
    graph.add(node("web:1", 1, "user_id:cus_anna"))
    graph.add(node("pos:2", 2, "loyalty_id:L-200"))
    apply(graph, PairDecision(REJECT, "pos:2", "web:1", "review", "twins"))
    graph.add(node("web:3", 3, "user_id:cus_anna", "loyalty_id:L-200"))
    assert graph.person_of("web:1") == graph.person_of("web:3") != graph.person_of("pos:2")


def test_a_match_merges_and_an_accept_overrides_a_conflict_a_match_cannot() -> None:
    graph = Graph(GraphConfig())
    graph.add(node("web:1", 1, "user_id:cus_1"))
    graph.add(node("web:2", 2, "user_id:cus_2"))
    graph.add(node("pos:3", 3, "loyalty_id:L-3"))
    apply(graph, PairDecision(MATCH, "pos:3", "web:1", "probabilistic", "match weight 20.0 from name", 20.0))
    assert graph.person_of("pos:3") == graph.person_of("web:1")
    apply(graph, PairDecision(MATCH, "web:2", "web:1", "probabilistic", "match weight 20.0", 20.0))
    assert graph.person_of("web:2") != graph.person_of("web:1")  # two logins: a conflict
    apply(graph, PairDecision(ACCEPT, "web:2", "web:1", "review", "accepted by kim from review 1"))
    assert graph.person_of("web:2") == graph.person_of("web:1")
