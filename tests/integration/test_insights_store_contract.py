"""One contract for the insights port (``ports.Insights``), run on the in-memory fake and on the
SQL projection over SQLite and PostgreSQL: a store whose click-and-collect orders go late and an
agent who answers after the SLA, rolled up by day and by hour, flagged, acknowledged, snoozed;
next-best-action acceptance read from the decisions' log (its fake, or its SQL store)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import orjson

from frontoffice.decisions.ports import DecisionLog, LoggedDecision, Outcome
from frontoffice.decisions.store import DecisionsStore
from frontoffice.domain.events import EventRecord
from frontoffice.insights import service
from frontoffice.insights.ports import Insights
from frontoffice.insights.projector import InsightsHub
from frontoffice.insights.rates import Windows
from frontoffice.insights.rollup import fold
from frontoffice.storage.port import AppendBatch
from frontoffice.storage.sql import SqlStore
from frontoffice.tenancy import service as tenancy
from tests.fakes.decisions import FakeDecisionsStore
from tests.fakes.insights import FakeInsights, FakeRefs, FakeTasks, add_fact

START = datetime(2026, 9, 7, tzinfo=UTC)  # a Monday; the incidents run in the second week
NOW = datetime(2026, 9, 21, 9, tzinfo=UTC)
LAST_DAY = "2026-09-20"
Event = tuple[str, str, dict[str, Any]]  # family, type, payload


def _z(at: datetime) -> str:
    return at.strftime("%Y-%m-%dT%H:%M:%SZ")


def shop() -> list[Event]:
    """Two stores shipping 8 click-and-collect orders a day, due 10:00 to 17:00; from day 8 ST2's
    four due at 14:00 to 17:00 go late and the one due at 13:00 fails. Two agents answering
    tickets; from day 8 ben answers after the one-hour SLA."""
    events: list[Event] = [
        ("commerce", "location.upserted", {"location_id": s, "region": r})
        for s, r in (("ST1", "north"), ("ST2", "south"))
    ]
    for day in range(14):
        base, incident = START + timedelta(days=day), day >= 7
        for store in ("ST1", "ST2"):
            for slot in range(8):
                due, sid = base + timedelta(hours=10 + slot), f"S-{store}-{day}-{slot}"
                shipment = {"shipment_id": sid, "order_id": f"O-{sid}", "location_id": store,
                            "promised_by": _z(due), "mode": "pickup", "carrier": "own"}
                events.append(("commerce", "shipment.updated", shipment))
                if incident and store == "ST2" and slot >= 3:
                    kind = "failed" if slot == 3 else "late"
                    events.append(("commerce", f"shipment.{kind}", shipment))
        for n, agent in enumerate(("ana", "ben", "ana", "ben")):
            opened, tid = base + timedelta(hours=9 + 2 * n), f"T-{day}-{n}"
            late = incident and agent == "ben"
            answered = opened + timedelta(minutes=150 if late else 20)
            events.append(("inbox", "ticket.opened", {
                "ticket_id": tid, "channel": "email", "team": "care", "at": _z(opened),
                "sla": {"first_response_due": _z(opened + timedelta(hours=1))}}))
            events.append(("inbox", "ticket.assigned", {"ticket_id": tid, "agent_id": agent, "team": "care",
                                                        "at": _z(opened)}))
            if late:
                due = _z(opened + timedelta(hours=1))
                events.append(("inbox", "sla.breached", {"ticket_id": tid, "at": due}))
            events.append(("inbox", "message.sent", {"ticket_id": tid, "at": _z(answered), "author": agent}))
    return events


def record(i: int, family: str, etype: str, payload: dict[str, Any]) -> EventRecord:
    return EventRecord(message_id=f"m{i}", family=family, type=etype, event=None, user_id=None,
                       anonymous_id=None, previous_id=None, group_id=None, timestamp=_z(START),
                       original_timestamp=None, sent_at=None, received_at=_z(START),
                       payload=orjson.dumps(payload))


def folded(events: list[Event]) -> FakeInsights:
    """The fake, given the cells the rollup rule makes of the events (summed as the store sums)."""
    refs, daily, hourly = FakeRefs(), {}, {}  # type: ignore[var-annotated]
    for _, etype, payload in events:
        for fact in fold(refs, etype, payload, _z(START)):
            add_fact(daily, fact, fact.day)
            if fact.hour:
                add_fact(hourly, fact, fact.hour)
    return FakeInsights(daily, hourly)


def _decisions(log: DecisionLog, ws: str) -> None:
    """Three decisions on 2026-09-14: the dress taken twice (a click, then a purchase and a
    click of one decision, counted once), the coat dismissed once and not answered once."""
    for i, chosen in (("d1", ["dress", "coat"]), ("d2", ["dress"]), ("d3", ["coat"])):
        log.log(ws, LoggedDecision(i, f"p-{i}", "web", "home", f"2026-09-14T1{i[1]}:00:00.000Z", "rules",
                                   chosen, {}))
    for oid, decision, action, kind in (("o1", "d1", "dress", "click"), ("o2", "d1", "coat", "dismissed"),
                                        ("o3", "d2", "dress", "purchase"), ("o4", "d2", "dress", "click")):
        log.record(ws, Outcome(oid, decision, action, kind, 1.0, "2026-09-14T20:00:00.000Z", "api"))


def _acceptance(ins: Insights, ws: str, action: str) -> float | None:
    (point,) = service.daily(ins, ws, "nba_acceptance_rate", "action", action, "2026-09-14", 1)
    rate: float | None = point["rate"]
    return rate


def _contract(ins: Insights, ws: str, log: DecisionLog) -> None:
    _decisions(log, ws)
    ins.catch_up(ws)
    assert ins.last_day(ws) == LAST_DAY
    assert {"shipments", "deliveries_late", "deliveries_failed", "sla_missed"} <= set(ins.metrics(ws))
    by_day = {(c.metric, c.day): c.n for c in ins.cells(ws, ["shipments", "deliveries_late"], "2026-09-13",
                                                          "2026-09-14") if c.slice == "ST2"}
    assert by_day == {("shipments", "2026-09-13"): 8, ("shipments", "2026-09-14"): 8,
                      ("deliveries_late", "2026-09-14"): 4}

    late = service.hourly(ins, ws, "late_delivery_rate", "store", "ST2", "2026-09-14", 24)
    assert [p["hour"] for p in late][-1] == "2026-09-14T23" and len(late) == 24
    assert [(p["hour"][-2:], p["rate"]) for p in late if p["exposure"]] == [
        ("10", 0.0), ("11", 0.0), ("12", 0.0), ("13", 0.0),
        ("14", 1.0), ("15", 1.0), ("16", 1.0), ("17", 1.0)]
    misses = service.hourly(ins, ws, "sla_miss_rate", "agent", "ben", "2026-09-14T23", 24)
    assert {p["hour"][-2:]: p["rate"] for p in misses if p["exposure"]} == {"13": 1.0, "17": 1.0}
    assert [c.day for c in ins.hours(ws, ["sla_breaches"], "2026-09-14T00", "2026-09-14T23")
            if c.slice == "ben"] == ["2026-09-14T12", "2026-09-14T16"]

    tasks = FakeTasks({"ben": "eu"})
    run = service.run(ins, ws, NOW, LAST_DAY, Windows(7, 7), decisions=log, tasks=tasks)
    assert (_acceptance(ins, ws, "dress"), _acceptance(ins, ws, "coat")) == (1.0, 0.0)
    assert service.daily(ins, ws, "nba_acceptance_rate", "all", "all", "2026-09-14", 1)[0]["rate"] == 0.5
    log.record(ws, Outcome("o5", "d3", "coat", "click", 1.0, "2026-09-15T08:00:00.000Z", "api"))  # late
    flagged = {(f["metric"], f["dimension"], f["slice"]) for f in ins.flags(ws)}
    assert {("late_delivery_rate", "store", "ST2"), ("sla_miss_rate", "agent", "ben")} <= flagged
    store_late = next(f for f in ins.flags(ws) if f["metric"] == "late_delivery_rate" and f["slice"] == "ST2")
    assert store_late["since"] == "2026-09-14" and store_late["status"] == "open"
    assert any(e.startswith("shipment:S-ST2-7-") for e in store_late["evidence"])
    ben = next(f for f in ins.flags(ws) if f["metric"] == "sla_miss_rate" and f["slice"] == "ben")
    assert (store_late["task"]["team"], ben["task"]["team"]) == ("store-ops", "eu")  # folded on the flag
    assert store_late["task"]["task_id"] == tasks.opened[f"insight:{store_late['flag_id']}:2026-09-14"]["id"]
    assert service.run(ins, ws, NOW, LAST_DAY, Windows(7, 7), decisions=log).raised == [] and run.raised
    assert _acceptance(ins, ws, "coat") == 0.5  # the late click counted once the days are rebuilt

    service.acknowledge(ins, ws, store_late["flag_id"], "lead", NOW)
    service.snooze(ins, ws, run.raised[-1], 24, "lead", NOW)
    statuses = {f["flag_id"]: f["status"] for f in ins.flags(ws)}
    assert statuses[store_late["flag_id"]] == "acknowledged" and statuses[run.raised[-1]] == "snoozed"
    assert [f["flag_id"] for f in ins.flags(ws, ["acknowledged"])] == [store_late["flag_id"]]
    snoozed = ins.flag(ws, run.raised[-1])
    assert snoozed is not None and snoozed["snoozed_until"].startswith("2026-09-22T09")


def test_the_fake_keeps_the_contract() -> None:
    _contract(folded(shop()), "w1", FakeDecisionsStore())


def test_the_sql_projection_keeps_the_contract(store: SqlStore) -> None:
    ws = tenancy.create_workspace(store, "outlet", "EU").id
    records = [record(i, *e) for i, e in enumerate(shop())]
    store.append([AppendBatch(ws, "seeded", records, origin="test")])
    _contract(InsightsHub(store), ws, DecisionsStore(store))
    rebuilt = InsightsHub(store, DecisionsStore(store))
    tasks = {f["flag_id"]: f["task"] for f in rebuilt.flags(ws)}
    rebuilt.rebuild(ws)  # the log replayed, the acceptance counted again from the decisions' log
    assert {f["flag_id"]: f["task"] for f in rebuilt.flags(ws)} == tasks  # the flags keep their tasks
    assert (_acceptance(rebuilt, ws, "dress"), _acceptance(rebuilt, ws, "coat")) == (1.0, 0.5)
    assert len(rebuilt.hours(ws, ["deliveries_late"], "2026-09-14T00", "2026-09-14T23")) == 4 * 5


def test_the_metrics_rolled_up_by_hour_are_the_ones_the_hourly_rates_are_made_of() -> None:
    refs, hourly = FakeRefs(), set()
    for _, etype, payload in shop():
        hourly |= {f.metric for f in fold(refs, etype, payload, _z(START)) if f.hour}
    assert hourly == service.HOURLY
