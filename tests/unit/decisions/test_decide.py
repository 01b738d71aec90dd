"""decide ranks eligible actions by expected kept value, explains them and logs everything;
outcomes join decisions by id."""

from __future__ import annotations

from datetime import timedelta

import pytest

from frontoffice.decisions import service
from frontoffice.errors import InvalidInput, NotFound
from tests.unit.decisions.world import NOW, WS, World, action, shown


def test_ranking_prefers_what_the_person_will_keep_over_a_dearer_item_likely_returned() -> None:
    w = World()
    w.add(action("dress", category="dresses", value=50.0),  # ann keeps size M in dresses
          action("boots", category="shoes", value=52.0))
    decision = w.decide("ann")
    assert shown(decision) == ["dress", "boots"]
    first = decision["actions"][0]
    assert first["p_kept"] > decision["actions"][1]["p_kept"]
    assert "keeps size M in dresses" in first["reasons"]
    assert (first["recommended_size"], decision["actions"][1]["recommended_size"]) == ("M", None)


def test_a_serial_returner_is_expected_to_keep_less() -> None:
    w = World()
    w.add(action("dress"))
    ann, bob = w.decide("ann")["actions"][0], w.decide("bob")["actions"][0]
    assert bob["p_kept"] < ann["p_kept"]
    assert bob["expected_kept_value"] < ann["expected_kept_value"]


def test_every_decision_is_logged_with_candidates_refusals_choice_propensity_and_model() -> None:
    w = World()
    w.add(action("dress"), action("coat"), stocked=True)
    w.prices.open["P-coat"] = "conflict"
    decision = w.decide()
    logged = service.explain(w.store, WS, decision["decision_id"])
    assert [c["action_id"] for c in logged["candidates"]] == ["coat", "dress"]
    assert logged["refusals"] == [{"action_id": "coat", "rule": "price",
                                   "reason": "open price conflict: conflict"}]
    assert logged["chosen"] == ["dress"] and logged["propensity"] == 1.0
    assert logged["model_version"] == "rules:expected-kept-value"
    assert logged["context"]["channel"] == "web" and logged["features"][0]["id"] == "dress"


def test_a_merged_person_id_is_decided_for_the_person_it_was_merged_into() -> None:
    w = World()
    w.customers.merged["ann-old"] = "ann"
    w.add(action("dress"))
    assert w.decide("ann-old")["person_id"] == "ann"


def test_an_unknown_person_is_not_found() -> None:
    with pytest.raises(NotFound, match="No person 'zed'"):
        World().decide("zed")


def test_an_outcome_joins_its_decision_once_and_defaults_to_the_first_action() -> None:
    w = World()
    w.add(action("dress"))
    decision_id = w.decide()["decision_id"]
    first = service.record_outcome(w.store, WS, decision_id, None, "purchase", None, NOW)
    again = service.record_outcome(w.store, WS, decision_id, None, "purchase", None, NOW)
    assert (first["action_id"], first["reward"], first["stored"]) == ("dress", 0.5, True)
    assert again["stored"] is False
    kept = service.record_outcome(w.store, WS, decision_id, "dress", "kept", None,
                                  NOW + timedelta(days=31))
    assert kept["reward"] == 1.0
    assert [o["kind"] for o in service.explain(w.store, WS, decision_id)["outcomes"]] == [
        "purchase", "kept"]


def test_an_outcome_for_an_action_the_decision_did_not_show_is_refused() -> None:
    w = World()
    w.add(action("dress"))
    decision_id = w.decide()["decision_id"]
    with pytest.raises(InvalidInput, match="was not shown"):
        service.record_outcome(w.store, WS, decision_id, "coat", "click", None, NOW)
    with pytest.raises(InvalidInput, match="no default reward"):
        service.record_outcome(w.store, WS, decision_id, None, "liked", None, NOW)
    with pytest.raises(NotFound):
        service.record_outcome(w.store, WS, "dec_nope", None, "click", None, NOW)


def test_each_save_of_an_action_is_a_new_version() -> None:
    w = World()
    w.add(action("dress", title="Dress"))
    w.add(action("dress", title="Wrap dress"))
    versions = service.history(w.store, WS, "dress")
    assert [(v["version"], v["title"]) for v in versions] == [(1, "Dress"), (2, "Wrap dress")]
    assert w.decide()["actions"][0]["version"] == 2


def test_a_persons_consent_is_read_once_per_decision_for_every_purpose_its_candidates_have() -> None:
    w = World()
    w.add(action("dress"), action("sale", kind="offer", purpose="marketing"),
          action("care", kind="service", purpose="essential", product_id=None, skus=[]))
    w.consent.refused.add(("ann", "marketing", "web"))
    decision = w.decide()
    assert w.consent.reads == 1
    assert {r["action_id"]: r["rule"] for r in decision["refused"]} == {"sale": "consent"}
    assert sorted(shown(decision)) == ["care", "dress"]
