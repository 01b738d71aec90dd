"""One contract for decisions' storage ports, run on the in-memory fake and on SQLite and
PostgreSQL: versions, the newest version of each action, the log, outcomes stored once,
unsettled purchases, model versions, the projection cursor."""

from __future__ import annotations

from typing import Any

from frontoffice.bootstrap import Hubs
from frontoffice.decisions.arbiter import Arbiter
from frontoffice.decisions.capability import CAPABILITY
from frontoffice.decisions.catalogue import Action
from frontoffice.decisions.decide import Ask, decide
from frontoffice.decisions.ports import LoggedDecision, Outcome
from frontoffice.decisions.service import save_action
from frontoffice.decisions.store import DecisionsStore
from frontoffice.decisions.wiring import wire
from frontoffice.domain.events import iso, now
from frontoffice.settings import Settings
from frontoffice.storage.sql import SqlStore
from frontoffice.tenancy import service as tenancy
from tests.fakes.decisions import FakeDecisionsStore
from tests.integration.decisions_support import ACTIONS, shop
from tests.integration.identity_support import Brand


def _decision(i: str, person: str, at: str, chosen: list[str]) -> LoggedDecision:
    return LoggedDecision(i, person, "web", "home", at, "rules", chosen, {"propensity": 1.0})


def _contract(t: Any) -> None:
    assert t.save("w1", "dress", "active", {"title": "A"}, "2026-01-01T00:00:00.000Z") == 1
    assert t.save("w1", "dress", "active", {"title": "B"}, "2026-01-02T00:00:00.000Z") == 2
    assert t.save("w1", "coat", "retired", {"title": "C"}, "2026-01-02T00:00:00.000Z") == 1
    assert t.save("w2", "dress", "active", {"title": "Z"}, "2026-01-02T00:00:00.000Z") == 1
    assert [(a.action_id, a.version, a.doc["title"]) for a in t.current("w1")] == [
        ("coat", 1, "C"), ("dress", 2, "B")]
    assert [a.version for a in t.versions("w1", "dress")] == [1, 2]

    t.log("w1", _decision("d1", "ann", "2026-01-01T10:00:00.000Z", ["dress", "coat"]))
    t.log("w1", _decision("d2", "ann", "2026-01-03T10:00:00.000Z", ["dress"]))
    t.log("w1", _decision("d3", "bob", "2026-01-03T11:00:00.000Z", []))
    assert t.decision("w1", "d1").chosen == ["dress", "coat"]
    assert t.decision("w2", "d1") is None
    assert [d.decision_id for d in t.of_person("w1", "ann", "2026-01-02")] == ["d2"]
    assert t.shown_total("w1", ["dress", "coat", "hat"]) == {"dress": 2, "coat": 1}
    assert [d.decision_id for d in t.decisions("w1", "2026-01-01T10:00:00.000Z", 10)] == ["d2", "d3"]

    def outcome(oid: str, decision: str, action: str, kind: str, at: str) -> Outcome:
        return Outcome(oid, decision, action, kind, 1.0, at, "api")

    assert t.record("w1", outcome("o1", "d1", "dress", "purchase", "2026-01-01T12:00:00.000Z"))
    assert not t.record("w1", outcome("o1", "d1", "dress", "purchase", "2026-01-01T12:00:00.000Z"))
    t.record("w1", outcome("o2", "d1", "coat", "purchase", "2026-01-01T12:00:00.000Z"))
    t.record("w1", outcome("o3", "d1", "coat", "returned", "2026-01-05T12:00:00.000Z"))
    t.record("w1", outcome("o4", "d2", "dress", "purchase", "2026-01-04T12:00:00.000Z"))
    assert [o.outcome_id for o in t.outcomes("w1", ["d1"])] == ["o1", "o2", "o3"]
    assert t.unsettled_purchases("w1", "2026-01-02") == [("d1", "dress")]
    assert t.unsettled_purchases("w1", "2026-02-01") == [("d1", "dress"), ("d2", "dress")]

    assert t.save_model("w1", "bandit", b"one", {"examples": 1}, "2026-01-01") == 1
    assert t.save_model("w1", "bandit", b"two", {"examples": 2}, "2026-01-02") == 2
    t.set_model_status("w1", "bandit", 2, "promoted")
    assert [(v.version, v.status, v.metrics) for v in t.model_versions("w1", "bandit")] == [
        (1, "candidate", {"examples": 1}), (2, "promoted", {"examples": 2})]
    assert t.model_blob("w1", "bandit", 2) == b"two"
    assert t.model_blob("w1", "bandit", 3) is None

    assert t.cursor("w1") == 0
    t.set_cursor("w1", 5)
    t.set_cursor("w1", 9)
    assert (t.cursor("w1"), t.cursor("w2")) == (9, 0)


def test_the_fake_keeps_the_contract() -> None:
    _contract(FakeDecisionsStore())


def test_the_sql_store_keeps_the_contract(store: SqlStore) -> None:
    _contract(DecisionsStore(store))


def test_a_tracked_event_carrying_the_decision_id_becomes_its_outcome_through_the_worker_projection(
        store: SqlStore) -> None:
    s, settings = shop(store), Settings()
    wired = wire(store, settings)
    save_action(wired.store, s.ws, Action.model_validate(ACTIONS[0]), now())
    decision = decide(wired.ports, Arbiter(lambda _: wired.store), s.ws,
                      Ask(s.ann, "web", "home"), now(), 2)
    app, _ = tenancy.create_source(store, s.ws, "app", "app")
    Brand(store, s.ws, {"app": app.id}).send("app", {
        "type": "track", "event": "Order Completed", "userId": "cus_ann", "messageId": "buy-1",
        "timestamp": iso(now()),  # inside the return window: not settled as kept yet
        "properties": {"decision_id": decision["decision_id"], "order_id": "O9"}})
    assert CAPABILITY.projections is not None
    [projection] = [p for p in CAPABILITY.projections(Hubs(settings, lambda _: store), store)
                    if p.name == "decision outcomes"]
    assert projection.catch_up(s.ws, lambda _: None) == 1
    outcomes = wired.store.outcomes(s.ws, [decision["decision_id"]])
    assert [(o.action_id, o.kind, o.reward) for o in outcomes] == [("dress", "purchase", 0.5)]
    assert projection.catch_up(s.ws, lambda _: None) == 0
