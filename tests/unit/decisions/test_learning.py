"""The bandit (Vowpal Wabbit cb_explore_adf) learns from outcomes joined to logged decisions;
versions are trained, promoted and rolled back."""

from __future__ import annotations

import random
from datetime import timedelta

import pytest

from frontoffice.decisions import learning, service
from frontoffice.decisions.return_risk import Line
from frontoffice.errors import InvalidInput
from tests.unit.decisions.world import NOW, WS, World, action, shown


def _explore(w: World, rounds: int, liked: str) -> None:
    """Decisions for ann; only ``liked`` ever earns a reward."""
    for i in range(rounds):
        decision = w.decide("ann", n=1, at=NOW + timedelta(minutes=i))
        if shown(decision) == [liked]:
            service.record_outcome(w.store, WS, decision["decision_id"], None, "kept", None, NOW)


def test_a_trained_and_promoted_bandit_learns_to_choose_the_action_that_is_kept() -> None:
    w = World()
    w.add(action("dress", value=60.0), action("coat", value=50.0), action("hat", value=40.0))
    first = learning.train(w.store, w.store, WS, NOW)  # nothing logged yet: an exploring model
    learning.promote(w.store, WS, first["version"])
    _explore(w, 300, liked="hat")
    trained = learning.train(w.store, w.store, WS, NOW)
    assert trained["examples"] == 300 and trained["base_version"] == first["version"]
    learning.promote(w.store, WS, trained["version"])
    w.arbiter.forget(WS)
    later = [w.decide("ann", n=1, at=NOW + timedelta(days=1, minutes=i)) for i in range(100)]
    chose_hat = sum(1 for d in later if shown(d) == ["hat"])
    assert chose_hat >= 85  # epsilon 0.1 explores the other two
    hat = next(d for d in later if shown(d) == ["hat"])
    assert hat["model_version"] == f"bandit:v{trained['version']}"
    assert hat["propensity"] == pytest.approx(0.9 + 0.1 / 3, abs=1e-3)


def test_rollback_promotes_the_version_promoted_before_and_then_the_rules() -> None:
    w = World()
    w.add(action("dress"))
    one = learning.train(w.store, w.store, WS, NOW)["version"]
    two = learning.train(w.store, w.store, WS, NOW)["version"]
    learning.promote(w.store, WS, one)
    learning.promote(w.store, WS, two)
    assert learning.rollback(w.store, WS) == {"kind": "bandit", "rolled_back": two, "promoted": one}
    w.arbiter.forget(WS)
    assert w.decide()["model_version"] == f"bandit:v{one}"
    assert learning.rollback(w.store, WS)["promoted"] is None
    w.arbiter.forget(WS)
    assert w.decide()["model_version"] == "rules:expected-kept-value"
    with pytest.raises(InvalidInput, match="nothing to roll back"):
        learning.rollback(w.store, WS)


def test_decisions_draw_from_the_probabilities_of_the_version_promoted_now() -> None:
    """The scorer reads a version's weights once: a promotion or a rollback is seen at once."""
    w = World()
    w.add(action("dress", value=60.0), action("coat", value=50.0), action("hat", value=40.0))
    first = learning.train(w.store, w.store, WS, NOW)
    learning.promote(w.store, WS, first["version"])
    _explore(w, 150, liked="hat")
    learning.promote(w.store, WS, learning.train(w.store, w.store, WS, NOW)["version"])
    w.arbiter.forget(WS)
    learned = w.store.decision(WS, w.decide()["decision_id"])
    assert learned is not None and max(learned.doc["pmf"]) == pytest.approx(0.9 + 0.1 / 3)
    assert learned.doc["eligible"][learned.doc["pmf"].index(max(learned.doc["pmf"]))] == "hat"
    learning.rollback(w.store, WS)
    w.arbiter.forget(WS)
    untrained = w.store.decision(WS, w.decide()["decision_id"])
    assert untrained is not None and untrained.doc["pmf"] == pytest.approx([1 / 3] * 3)


def test_a_promoted_return_risk_model_ranks_the_product_that_comes_back_lower() -> None:
    rng = random.Random(2)
    lines = [Line(f"c{i % 50}", product, "s", "dresses", "M",
                  rng.random() < (0.7 if product == "P-coat" else 0.1), f"{i:05d}")
             for i in range(600) for product in ("P-dress", "P-coat")]
    w = World()
    w.add(action("dress", value=50.0), action("coat", value=50.0))
    assert w.decide()["return_model"] == "returns:prior"
    saved = learning.train_returns(lines, w.store, WS, NOW)
    assert saved["brier"] < saved["brier_baseline"]
    learning.promote(w.store, WS, saved["version"], "returns")
    w.arbiter.forget(WS)
    decision = w.decide()
    assert decision["return_model"] == f"returns:v{saved['version']}"
    dress, coat = decision["actions"]
    assert (dress["action_id"], coat["action_id"]) == ("dress", "coat")
    assert coat["p_kept"] < 0.5 < dress["p_kept"]
    learning.rollback(w.store, WS, "returns")
    w.arbiter.forget(WS)
    assert w.decide()["return_model"] == "returns:prior"
