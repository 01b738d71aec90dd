"""Segments in real time on SQLite and PostgreSQL: memberships follow each projected event with
the reason, windows expire on time, and batch (the compiled SQL) says the same."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from frontoffice.consent import service as consent
from frontoffice.identity.people_store import PeopleSql
from frontoffice.outbound.exports import export_people
from frontoffice.segments import service
from frontoffice.storage import open_store
from frontoffice.storage.sql import SqlStore
from tests.integration.segments_support import DAY_S, T0, World, new_world


@pytest.fixture
def store(database_url: str) -> Iterator[SqlStore]:
    s = open_store(database_url)
    yield s
    s.close()


@pytest.fixture
def world(store: SqlStore) -> World:
    return new_world(store)


def test_a_person_enters_a_segment_on_the_event_that_meets_it_and_the_history_says_why(world: World) -> None:
    world.segment("repeat_buyers", {"did": "Order Completed", "at_least": 2})
    world.track("ann", "Order Completed", 0, total=30)
    world.project()
    assert world.members("repeat_buyers") == set()
    world.track("ann", "Order Completed", 60, total=20)
    world.project()
    ann = world.person("ann")
    assert world.members("repeat_buyers") == {ann}
    [entered] = world.data.history(world.ws, person_id=ann)
    assert entered["change"] == "entered" and "2 time(s), needs 2" in entered["why"]
    assert entered["cause"].startswith("event seq")


def test_segments_run_apart_from_identity_look_again_soon_until_identity_has_placed_the_log(
        world: World) -> None:
    world.segment("buyers", {"did": "Order Completed"})
    world.project()
    projector = world.projector
    assert projector is not None and projector.due(world.ws) is None  # nothing to wait for
    world.track("ann", "Order Completed", 0)
    assert projector.catch_up(world.ws) == 0  # identity (in the other worker) has not placed it yet
    due = projector.due(world.ws)
    assert due is not None and due <= time.monotonic() + 0.1
    world.project()
    assert world.members("buyers") == {world.person("ann")}
    assert projector.due(world.ws) is None


def test_a_windowed_membership_ends_when_the_window_passes_without_any_new_event(world: World) -> None:
    world.segment("recent_buyers", {"did": "Order Completed", "within_days": 7})
    world.track("bob", "Order Completed", 0)
    world.project()
    bob = world.person("bob")
    assert world.members("recent_buyers") == {bob}
    world.at(7 * DAY_S - 60)
    world.project()
    assert world.members("recent_buyers") == {bob}
    assert world.projector is not None
    wake = world.projector.due(world.ws)  # the runner's timer: the window ends in 60 s
    assert wake is not None and 59 < wake - time.monotonic() <= 61
    world.at(7 * DAY_S + 1)
    world.project()
    assert world.members("recent_buyers") == set()
    exited = world.data.history(world.ws, person_id=bob)[0]
    assert exited["change"] == "exited" and exited["cause"].startswith("time")
    assert service.size_over_time(world.data, world.ws, "recent_buyers") == [
        {"day": "2026-11-01", "entered": 1, "exited": 0, "size": 1},
        {"day": "2026-11-08", "entered": 0, "exited": 1, "size": 0}]


def test_a_returning_persons_event_evaluates_only_what_it_feeds_unless_a_window_has_come_due(
        world: World) -> None:
    world.trait({"name": "orders", "op": "count", "event": "Order Completed"})
    world.trait({"name": "views", "op": "count", "event": "Product Viewed"})
    world.segment("recent_viewers", {"did": "Product Viewed", "within_days": 1})
    world.track("di", "Product Viewed", 0)
    world.project()
    di = world.person("di")
    [stored] = world.data.values(world.ws, di)  # she has no order: orders is not stored
    views = stored["explain"]["as_of_ms"]
    world.at(600)
    world.track("di", "Order Completed", 300)
    world.project()  # her view's window is still open: the order feeds orders, not views
    assert [v["explain"]["as_of_ms"] for v in world.data.values(world.ws, di)] == [world.now_ms, views]
    assert world.members("recent_viewers") == {di}
    world.at(2 * DAY_S)
    world.track("di", "Order Completed", 2 * DAY_S - 60)
    world.project()  # the window came due before her order: she is evaluated wholly, and leaves
    assert world.members("recent_viewers") == set()
    assert [v["explain"]["as_of_ms"] for v in world.data.values(world.ws, di)] == [world.now_ms] * 2


def test_a_trait_none_of_whose_events_a_person_has_is_not_stored_and_reads_as_its_value_over_none(
        world: World) -> None:
    world.trait({"name": "orders", "op": "count", "event": "Order Completed"})
    world.trait({"name": "ltv", "op": "sum", "event": "Order Completed", "property": "total"})
    world.trait({"name": "basket", "op": "avg", "event": "Order Completed", "property": "total"})
    world.trait({"name": "views", "op": "count", "event": "Product Viewed"})
    world.track("ed", "Product Viewed", 0)
    world.project()
    ed = world.person("ed")
    assert [v["trait"] for v in world.data.values(world.ws, ed)] == ["views"]
    found = service.person(world.data, world.ws, ed, world.now_ms)["traits"]
    assert [(t["trait"], t["value"], t["explain"]["events_counted"]) for t in found] == [
        ("basket", None, 0), ("ltv", 0, 0), ("orders", 0, 0), ("views", 1, 1)]
    assert service.person(world.data, world.ws, "nobody")["traits"] == []


def test_computed_traits_explain_their_definition_version_events_and_window(world: World) -> None:
    world.trait({"name": "spend_30d", "op": "sum", "event": "Order Completed", "property": "total",
                 "within_days": 30})
    world.trait({"name": "spend_30d", "op": "sum", "event": "Order Completed", "property": "total",
                 "within_days": 30, "description": "second version"})
    world.track("cy", "Order Completed", 0, total=30)
    world.track("cy", "Order Completed", 10, total=12.5)
    world.track("cy", "Order Completed", -40 * DAY_S, total=99)
    world.project()
    [value] = world.data.values(world.ws, world.person("cy"))
    assert value["value"] == 42.5
    assert value["explain"] | {"as_of_ms": 0} == {
        "definition": "spend_30d", "version": 2, "op": "sum", "events_counted": 2, "window": "last 30 days",
        "as_of_ms": 0}


def test_real_time_and_batch_agree_on_every_kind_of_condition(world: World) -> None:
    world.trait({"name": "fav", "op": "most_frequent", "event": "Product Viewed", "property": "category"})
    world.trait({"name": "days", "op": "days_since", "event": "Order Completed"})
    world.trait({"name": "rr", "op": "ratio", "event": "Order Returned",
                 "denominator": {"event": "Order Completed"}})
    world.segment("shoe_fans", {"computed": "fav", "op": "eq", "value": "shoes"})
    world.segment("lapsed", {"all": [{"computed": "days", "op": "gte", "value": 3},
                                     {"not": {"segment": "shoe_fans"}}]})
    world.segment("browse_then_buy", {"first": "Product Viewed", "then": "Order Completed",
                                      "within_hours": 2})
    world.segment("returners", {"computed": "rr", "op": "gte", "value": 0.5})
    for user, cat, when in (("d1", "shoes", 0), ("d1", "shoes", 10), ("d1", "hats", 20), ("d2", "hats", 0)):
        world.track(user, "Product Viewed", when, category=cat)
    world.track("d1", "Order Completed", 3600)
    world.track("d2", "Order Completed", 3 * 3600)
    world.track("d2", "Order Returned", 4 * 3600)
    world.at(5 * 3600)
    world.project()
    world.at(4 * DAY_S)
    world.project()
    realtime = {name: world.members(name) for name in ("shoe_fans", "lapsed", "browse_then_buy", "returners")}
    d1, d2 = world.person("d1"), world.person("d2")
    assert realtime == {"shoe_fans": {d1}, "lapsed": {d2}, "browse_then_buy": {d1}, "returners": {d2}}
    assert world.batch() == realtime
    assert all(v["agree"] for v in service.agreement(world.data, world.ws, world.now_ms).values())


def test_consent_and_reachability_are_read_through_their_owners_and_batch_agrees(world: World,
                                                                                 tmp_path: Path) -> None:
    world.identify("ann", email="ann@posteo-shop.de", address={"country": "DE"})
    world.identify("bob", email="bob@posteo-shop.de", address={"country": "DE"})
    world.identify("cy", address={"country": "DE"})
    world.project()
    hub = consent.ConsentHub.of(world.store)
    hub.catch_up(world.ws)
    for user in ("ann", "cy"):
        consent.record(world.store, hub, world.ws, consent.Capture(
            subject=f"user_id:{user}", explicit=True, at=T0, purposes={"marketing_email": "granted"}), T0)
    world.segment("mailable", {"all": [{"reachable": "email"},
                                       {"consent": "marketing_email", "channel": "email"}]})
    world.project()
    ann = world.person("ann")
    assert world.members("mailable") == {ann}
    consent.record(world.store, hub, world.ws, consent.Capture(
        subject="email:bob@posteo-shop.de", explicit=True, at=T0,
        purposes={"marketing_email": "granted"}), T0)
    consent.record(world.store, hub, world.ws, consent.Capture(
        subject="user_id:ann", explicit=True, at=T0, purposes={"marketing_email": "denied"}), T0)
    world.project()  # a consent change alone moves the people it is about
    bob = world.person("bob")
    assert world.members("mailable") == {bob} == world.batch()["mailable"]
    [left] = world.data.history(world.ws, person_id=ann)[:1]
    assert left["change"] == "exited" and left["why"].endswith("consent to marketing_email on email: refused")
    [member] = world.data.members(world.ws, "mailable", 1)
    assert "consent to marketing_email on email: allowed" in member["why"]
    consent.record(world.store, hub, world.ws, consent.Capture(
        subject="user_id:cy", explicit=True, at=T0, purposes={"sale_or_sharing": "granted"}), T0)
    world.identify("dan", firstName="Dan", address={"country": "DE"})
    world.segment("not_dan", {"all": [{"did": "identify"},
                                      {"not": {"trait": "firstName", "op": "eq", "value": "Dan"}}]})
    world.project()
    members = world.members("not_dan")
    assert world.person("dan") not in members and len(members) == 3
    done = export_people(world.store, world.ws, tmp_path, "csv", "sale_or_sharing",
                         only=members)  # a segment's members, through the gate
    assert (done.people, done.refused) == (1, 2) and done.refusals[0].rule == "EU/sale_or_sharing/opt_in"
    assert world.person("cy") in done.paths["people"].read_text()


def test_when_identity_merges_two_people_their_events_count_together_and_the_absorbed_one_leaves(
        world: World) -> None:
    world.segment("repeat_buyers", {"did": "Order Completed", "at_least": 2})
    world.segment("visitors", {"did": "Order Completed"})
    world.append([{"type": "track", "event": "Order Completed", "anonymousId": "anon-1",
                   "messageId": "anon-order", "timestamp": "2026-11-01T00:00:10Z"}])
    world.identify("ann", email="ann@posteo-shop.de")
    world.track("ann", "Order Completed", 20)
    world.project()
    anon = PeopleSql(world.store).holders(world.ws, "anonymous_id", ["anon-1"])["anon-1"]
    ann = world.person("ann")
    assert ann not in anon and world.members("repeat_buyers") == set()
    world.append([{"type": "page", "anonymousId": "anon-1", "name": f"p{i}", "messageId": f"anon-page-{i}",
                   "timestamp": f"2026-11-01T00:00:1{i}Z"} for i in range(1, 6)])
    world.project()
    world.append([{"type": "identify", "userId": "ann", "anonymousId": "anon-1",
                   "messageId": "login", "timestamp": "2026-11-01T00:00:30Z"}])  # she signs in
    written: list[str] = []

    def keep(conn: object, cursor: object, statement: str, *args: object) -> None:
        written.append(statement)

    sa.event.listen(world.store.engine, "before_cursor_execute", keep)
    try:
        world.project()
    finally:
        sa.event.remove(world.store.engine, "before_cursor_execute", keep)
    # the merge placed the 8 events of both again, in one statement (one an event before)
    assert len([s for s in written if s.lstrip().startswith("UPDATE segments_events")]) == 1
    survivor = world.person("ann")
    assert PeopleSql(world.store).holders(world.ws, "anonymous_id", ["anon-1"])["anon-1"] == {survivor}
    assert world.members("repeat_buyers") == {survivor} == world.batch()["repeat_buyers"]
    assert world.members("visitors") == {survivor} == world.batch()["visitors"]
    [absorbed] = [p for p in {*anon, ann} if p != survivor]
    left = world.data.history(world.ws, person_id=absorbed)[0]
    assert left["change"] == "exited" and left["cause"] == f"person.merged into {survivor}"


def test_a_person_whose_facts_an_evaluation_leaves_as_they_were_has_none_written_again(
        world: World, store: SqlStore) -> None:
    world.segment("buyers", {"did": "Order Completed"})
    world.track("ann", "Order Completed", 0, total=30)
    world.project()
    before = world.data.facts(world.ws, [world.person("ann")])
    written: list[str] = []

    def keep(conn: object, cursor: object, statement: str, *args: object) -> None:
        written.append(statement)

    sa.event.listen(store.engine, "before_cursor_execute", keep)
    try:
        world.track("ann", "Order Completed", 60, total=20)
        world.project()
    finally:
        sa.event.remove(store.engine, "before_cursor_execute", keep)
    assert world.data.facts(world.ws, [world.person("ann")]) == before
    assert [s for s in written if "segments_facts" in s and not s.lstrip().startswith("SELECT")] == []
    assert any("DELETE FROM segments_due" in s for s in written)  # evaluated, and saved
