"""Outcomes arrive as tracked events carrying the decision id, joined once by the projection;
a purchase not returned within the return window is settled as kept."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import orjson

from frontoffice.decisions.outcome_events import OutcomeHub
from frontoffice.domain.events import EventRecord, StoredEvent
from tests.fakes.consent import FakeLog
from tests.unit.decisions.world import NOW, WS, World, action


def _track(seq: int, event: str, properties: dict[str, Any], days: int = 0) -> StoredEvent:
    at = (NOW + timedelta(days=days)).isoformat().replace("+00:00", "Z")
    body = {"type": "track", "event": event, "properties": properties}
    return StoredEvent(seq, WS, "web", EventRecord(
        f"m{seq}", "segment", "track", event, "u1", None, None, None, at, None, None, at,
        orjson.dumps(body)))


def _world() -> tuple[World, FakeLog, str]:
    w = World()
    w.add(action("dress"), action("coat"))
    return w, FakeLog(), w.decide(n=2)["decision_id"]


def test_a_tracked_event_with_the_decision_id_is_an_outcome_joined_once() -> None:
    w, log, decision = _world()
    log.stored += [_track(1, "Product Clicked", {"decision_id": decision, "action_id": "coat"}),
                   _track(2, "Page Viewed", {"decision_id": decision}),  # no outcome kind
                   _track(3, "Product Clicked", {"sku": "x"}),  # no decision
                   _track(4, "Order Completed", {"decision_id": "dec_other"})]  # not ours
    hub = OutcomeHub(log, w.store, 30, lambda: NOW)
    assert hub.catch_up(WS) == 1
    assert [(o.action_id, o.kind, o.reward) for o in w.store.outcomes(WS, [decision])] == [
        ("coat", "click", 0.1)]
    assert hub.rebuild(WS) == 1  # joined again, stored once
    assert len(w.store.outcomes(WS, [decision])) == 1


def test_a_purchase_kept_past_the_return_window_is_settled_as_kept_and_a_return_is_not() -> None:
    w, log, decision = _world()
    other = w.decide("bob", n=1)["decision_id"]
    log.stored += [_track(1, "Order Completed", {"decision_id": decision}),
                   _track(2, "Order Completed", {"decision_id": other}),
                   _track(3, "Product Returned", {"decision_id": other}, days=10)]
    clock = [NOW + timedelta(days=20)]
    hub = OutcomeHub(log, w.store, 30, lambda: clock[0])
    hub.catch_up(WS)
    assert {o.kind for o in w.store.outcomes(WS, [decision])} == {"purchase"}
    clock[0] = NOW + timedelta(days=31)
    assert hub.catch_up(WS) == 1
    assert [(o.kind, o.reward) for o in w.store.outcomes(WS, [decision])] == [
        ("purchase", 0.5), ("kept", 1.0)]
    assert {o.kind for o in w.store.outcomes(WS, [other])} == {"purchase", "returned"}
    assert hub.catch_up(WS) == 0


def test_an_event_may_name_its_outcome_and_reward() -> None:
    w, log, decision = _world()
    log.stored.append(_track(1, "Survey Answered", {"decision_id": decision, "outcome": "liked",
                                                    "reward": 0.3}))
    OutcomeHub(log, w.store, 30, lambda: NOW).catch_up(WS)
    assert [(o.kind, o.reward, o.source) for o in w.store.outcomes(WS, [decision])] == [
        ("liked", 0.3, "event:1")]
