"""Property: for random consent states and regions, nothing the consent service refuses ever leaves
through any outbound path (event export, people export, decision, message, destination), and what
it allows does leave. The oracle is the existing per-subject check (`services.consent.check`), a
code path independent of the gate's person lookup and merging (each person here has one subject).
SQLite and PostgreSQL; each example works in a workspace of its own."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from frontoffice.bulk.exporter import export_events
from frontoffice.consent import service as consent
from frontoffice.destinations.delivery import deliver_workspace
from frontoffice.destinations.store import DestinationStore
from frontoffice.outbound import service
from frontoffice.outbound.exports import catch_up_people, export_people
from frontoffice.outbound.store import OutboundStore, sql_ports
from frontoffice.storage.sql import SqlStore
from tests.integration.test_outbound_destinations import LOCAL_RECEIVER, Receiver, receiver
from tests.integration.test_outbound_paths import NOW, World, activity, consent_db, new_world, store

__all__ = ["consent_db", "receiver", "store"]
PURPOSES = ("analytics", "marketing_email", "sale_or_sharing", "targeted_advertising")
REGIONS = {"EU": {"address": {"country": "FR"}}, "US-CA": {"address": {"country": "US", "state": "CA"}},
           "none": {}}
PERSON = st.fixed_dictionaries({
    "region": st.sampled_from(sorted(REGIONS)),
    "gpc": st.booleans(),
    "consent": st.dictionaries(st.sampled_from(PURPOSES), st.sampled_from(["granted", "denied", "withdrawn"]),
                               max_size=3),
    "explicit": st.booleans(),
})


def build(world: World, people: list[dict[str, Any]]) -> None:
    events: list[dict[str, Any]] = []
    for i, p in enumerate(people):
        user = f"u{i}"
        identify: dict[str, Any] = {"type": "identify", "userId": user, "messageId": f"{user}-id",
                                    "traits": {**REGIONS[p["region"]], "email": f"{user}@mail-prop.org"},
                                    "timestamp": "2026-02-01T10:00:00Z"}
        if p["gpc"]:
            identify["context"] = {"gpc": True}
        events += [identify, activity(user, 1)]
    world.append(events)
    hub = consent.ConsentHub.of(world.store)
    hub.catch_up(world.ws)
    for i, p in enumerate(people):
        if p["consent"]:
            consent.record(world.store, hub, world.ws, consent.Capture(
                subject=f"user_id:u{i}", purposes=p["consent"], explicit=p["explicit"],
                at=datetime(2026, 2, 3, tzinfo=UTC)), NOW)
    catch_up_people(world.store, world.ws)
    rows = world.store.query("SELECT value, person_id FROM identity_index WHERE workspace_id = ? AND "
                             "kind = 'user_id'", (world.ws,))
    world.people = {str(value): str(pid) for value, pid in rows}


def oracle(world: World, n: int, purpose: str, channel: str) -> set[str]:
    return {f"u{i}" for i in range(n)
            if consent.check(world.store, world.ws, f"user_id:u{i}", purpose, channel, NOW).decision.allowed}


def owner(event: dict[str, Any]) -> str:
    return str(event.get("userId") or event["subject"].partition(":")[2])


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(people=st.lists(PERSON, min_size=1, max_size=4), purpose=st.sampled_from(PURPOSES))
def test_nothing_refused_ever_leaves_and_everything_allowed_does(
        store: SqlStore, receiver: Receiver, tmp_path: Path, people: list[dict[str, Any]],
        purpose: str) -> None:
    world = new_world(store)
    hook = DestinationStore(store, frozenset({"127.0.0.1"})).create(world.ws, "hook", receiver.url,
                                                                    "sale_or_sharing")
    build(world, people)
    n = len(people)
    pid_of = world.people

    out = tmp_path / f"{world.ws}.ndjson"
    export_events(store, world.ws, out, purpose=purpose if purpose != "marketing_email" else "analytics")
    exported = {owner(orjson.loads(line)) for line in out.read_bytes().splitlines()}
    assert exported == oracle(world, n, purpose if purpose != "marketing_email" else "analytics", "export")

    folder = tmp_path / f"{world.ws}-people"
    export_people(store, world.ws, folder, "csv", "sale_or_sharing")
    people_rows = {line.split(",")[0] for line in (folder / "people.csv").read_text().splitlines()[1:]}
    assert people_rows == {pid_of[u] for u in oracle(world, n, "sale_or_sharing", "export")}

    channel = {"analytics": "web", "marketing_email": "email", "sale_or_sharing": "webhook",
               "targeted_advertising": "ads"}[purpose]
    for i in range(n):
        candidate = service.Candidate("a", purpose, channel)
        result = service.decide(sql_ports(store), world.ws, f"user_id:u{i}", [candidate], NOW)
        assert bool(result.allowed) == (f"u{i}" in oracle(world, n, purpose, channel))
        sent = service.send_message(sql_ports(store), world.ws, service.MessageRequest(
            f"user_id:u{i}", "email", "marketing_email", "tpl"), NOW)
        assert sent.queued == (f"u{i}" in oracle(world, n, "marketing_email", "email"))
    queued = {m["person_id"] for m in OutboundStore(store).outbox(world.ws)}
    assert queued == {pid_of[u] for u in oracle(world, n, "marketing_email", "email")}

    before = len(receiver.received)
    deliver_workspace(store, world.ws, NOW, timeout_s=5, backoff_s=0, allow=LOCAL_RECEIVER)
    bodies = [orjson.loads(b) for _, b in receiver.received[before:]]
    assert all(b["destination"] == hook.name for b in bodies)
    assert {owner(b["event"]) for b in bodies} == oracle(world, n, "sale_or_sharing", "webhook")
