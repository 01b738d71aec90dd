"""The identity projection on SQLite and PostgreSQL: resolve, resume, rebuild, decide."""

from __future__ import annotations

import orjson
import pytest

from frontoffice.identity import service as identity
from frontoffice.identity.hub import IdentityHub
from frontoffice.identity.projector import Projector
from frontoffice.identity.review import MERGE, SPLIT, identity_source
from frontoffice.identity.rules import person_id_for
from frontoffice.identity.store import IdentitySql
from frontoffice.projection.contract import ProjectionMoved
from frontoffice.storage.sql import SqlStore
from tests.integration.identity_support import Brand, brand, identify, page


def household(b: Brand) -> None:
    b.send("web",
           page("m1", "2026-01-01T10:00:00Z", "anon-1"),
           page("m2", "2026-01-01T10:01:00Z", "anon-1"),
           identify("m3", "2026-01-01T10:02:00Z", user="cus_ann", anon="anon-1",
                    email="Ann.Smith@Posteo.de", firstName="Ann", lastName="Smith",
                    phone="+49 170 1234567"),
           identify("m4", "2026-01-02T09:00:00Z", user="cus_bob", email="family@web.de"),
           identify("m5", "2026-01-02T09:00:00Z", user="cus_cem", email="family@web.de"),
           identify("m6", "2026-01-02T09:00:00Z", user="cus_dan", email="family@web.de"),
           identify("m7", "2026-01-03T09:00:00Z", anon="x", email="test@test.com"),
           identify("m8", "2026-01-03T09:05:00Z", anon="y", email="test@test.com"))
    b.send("pos",
           identify("R-1", "2026-02-01T12:00:00Z", anon="R-1", email="ann.smith@posteo.de",
                    name="Ann Smith", address={"city": "Berlin", "postalCode": "10115", "country": "DE"}),
           identify("R-2", "2026-02-02T12:00:00Z", anon="R-2", phone="030 1234567",
                    address={"country": "DE"}, name="Someone Else"))


def resolve(store: SqlStore, ws: str) -> Projector:
    projector = Projector(store, IdentitySql(store), ws)
    projector.catch_up()
    return projector


def test_anonymous_visits_a_login_and_a_store_receipt_become_one_person(store: SqlStore) -> None:
    b = brand(store)
    household(b)
    resolve(store, b.workspace_id)
    pid = identity.find(store, b.workspace_id, "email:ANN.SMITH@posteo.de")
    assert pid == person_id_for(b.rid("web", "m1"))
    person = identity.profile(store, b.workspace_id, pid)
    assert {r["record_id"] for r in person["records"]} == {
        b.rid("web", m) for m in ("m1", "m2", "m3")} | {b.rid("pos", "R-1")}
    assert person["traits"]["email"]["value"] == "ann.smith@posteo.de"
    assert person["traits"]["address"]["record_id"] == b.rid("pos", "R-1")
    assert person["traits"]["firstName"] == {"value": "Ann", "rule": "trusted_source",
                                             "source_id": b.sources["web"], "record_id": b.rid("web", "m3"),
                                             "observed_at": "2026-01-01T10:02:00.000Z"}
    assert identity.lookup(store, b.workspace_id, "phone", "+491701234567") == [pid]


def test_a_family_email_and_a_test_account_merge_nobody(store: SqlStore) -> None:
    b = brand(store)
    household(b)
    resolve(store, b.workspace_id)
    sql = IdentitySql(store)
    people = {sql.persons_of(b.workspace_id, [b.rid("web", m)])[b.rid("web", m)] for m in ("m4", "m5", "m6")}
    assert len(people) == 3
    assert sql.persons_of(b.workspace_id, [b.rid("web", "m7")]) != sql.persons_of(
        b.workspace_id, [b.rid("web", "m8")])
    assert identity.lookup(store, b.workspace_id, "email", "family@web.de") == []  # generic: not indexed


def test_the_projector_resumes_from_its_checkpoint(store: SqlStore) -> None:
    b = brand(store)
    household(b)
    resolve(store, b.workspace_id)
    b.send("app", identify("a1", "2026-03-01T08:00:00Z", user="cus_ann", anon="app-anon"))
    again = Projector(store, IdentitySql(store), b.workspace_id)
    progress = again.catch_up()
    assert progress.events == 1
    from_scratch = Projector(store, IdentitySql(store), b.workspace_id)
    from_scratch.rebuild()
    assert again.graph.partition() == from_scratch.graph.partition()
    assert again.graph.person_of(b.rid("app", "a1")) == person_id_for(b.rid("web", "m1"))


def test_rebuilding_from_the_log_gives_the_same_people_and_golden_records(store: SqlStore) -> None:
    b = brand(store)
    household(b)
    projector = resolve(store, b.workspace_id)
    sql = IdentitySql(store)
    before = (list(sql.iter_persons(b.workspace_id)), sql.mapping(b.workspace_id))
    projector.rebuild()
    assert (list(sql.iter_persons(b.workspace_id)), sql.mapping(b.workspace_id)) == before
    Projector(store, IdentitySql(store), b.workspace_id).rebuild()  # a fresh process, too
    assert (list(sql.iter_persons(b.workspace_id)), sql.mapping(b.workspace_id)) == before


def test_a_split_is_kept_on_rebuild_and_published_as_a_change_event(store: SqlStore) -> None:
    b = brand(store)
    household(b)
    hub = IdentityHub(store)
    hub.catch_up(b.workspace_id)
    ann = person_id_for(b.rid("web", "m1"))
    pids = identity.split(store, hub, b.workspace_id, ann, [b.rid("pos", "R-1")], "cashier typo")
    assert pids == sorted([ann, person_id_for(b.rid("pos", "R-1"))])
    sql = IdentitySql(store)
    types = [e["type"] for e in sql.outbox(b.workspace_id)]
    assert "person.split" in types and "person.updated" in types
    IdentityHub(store).rebuild(b.workspace_id)
    receipt = b.rid("pos", "R-1")
    assert sql.persons_of(b.workspace_id, [receipt])[receipt] == person_id_for(receipt)
    merged = identity.merge(store, IdentityHub(store), b.workspace_id, ann,
                            person_id_for(b.rid("pos", "R-1")), "verified by phone")
    assert merged == ann
    assert identity.find(store, b.workspace_id, person_id_for(b.rid("pos", "R-1"))) == ann  # redirected
    history = identity.history(store, b.workspace_id, ann)
    assert any(h["kind"] == "merged" and h["evidence"]["detail"] == "verified by phone" for h in history)


def test_a_persons_split_and_merge_are_events_of_the_log_that_a_rebuild_replays_in_order(
        store: SqlStore) -> None:
    """Nothing a person decided lives outside the log: with the decisions table empty, a fresh
    process rebuilding from the log alone gets the same people; a split then a merge of the same
    records ends merged, a merge then a split ends split."""
    b = brand(store)
    household(b)
    hub = IdentityHub(store)
    hub.catch_up(b.workspace_id)
    ann, receipt = person_id_for(b.rid("web", "m1")), b.rid("pos", "R-1")
    identity.split(store, hub, b.workspace_id, ann, [receipt], "cashier typo")
    decisions = [e.record for e in store.events(b.workspace_id, source_id=identity_source(b.workspace_id))]
    assert [(d.family, d.type) for d in decisions] == [("identity", SPLIT)]
    assert orjson.loads(decisions[0].payload)["side_a"] == [receipt]
    assert store.query("SELECT count(*) FROM identity_decisions")[0][0] == 0
    sql = IdentitySql(store)
    Projector(store, IdentitySql(store), b.workspace_id).rebuild()
    assert sql.persons_of(b.workspace_id, [receipt])[receipt] == person_id_for(receipt)

    identity.merge(store, hub, b.workspace_id, ann, person_id_for(receipt), "verified by phone")
    Projector(store, IdentitySql(store), b.workspace_id).rebuild()
    assert sql.persons_of(b.workspace_id, [receipt])[receipt] == ann  # the later decision wins

    identity.split(store, hub, b.workspace_id, ann, [receipt], "it was her sister after all")
    before = (list(sql.iter_persons(b.workspace_id)), sql.mapping(b.workspace_id))
    assert sql.persons_of(b.workspace_id, [receipt])[receipt] != ann
    Projector(store, IdentitySql(store), b.workspace_id).rebuild()
    assert (list(sql.iter_persons(b.workspace_id)), sql.mapping(b.workspace_id)) == before
    kinds = [e.record.type for e in store.events(b.workspace_id, source_id=identity_source(b.workspace_id))]
    assert kinds == [SPLIT, MERGE, SPLIT]


def test_the_timeline_lists_the_persons_events_across_channels(store: SqlStore) -> None:
    b = brand(store)
    household(b)
    resolve(store, b.workspace_id)
    _, events = identity.timeline(store, b.workspace_id, person_id_for(b.rid("web", "m1")), 100)
    assert [e.record.message_id for e in events] == ["m1", "m2", "m3", "R-1"]


def test_a_second_projector_on_the_same_workspace_backs_off_instead_of_writing_twice(store: SqlStore) -> None:
    b = brand(store)
    household(b)
    server = Projector(store, IdentitySql(store), b.workspace_id)
    cli = Projector(store, IdentitySql(store), b.workspace_id)
    server.catch_up()
    cli.catch_up()  # loads what the server wrote: nothing left to do
    b.send("app", identify("a1", "2026-03-01T08:00:00Z", user="cus_ann", anon="app-anon"))
    server.catch_up()
    b.send("app", identify("a2", "2026-03-02T08:00:00Z", user="cus_zoe"))
    with pytest.raises(ProjectionMoved, match="Another projector"):
        cli.catch_up()
    assert cli.catch_up().events == 1  # reloaded, then applied only a2
    sql = IdentitySql(store)
    built = (list(sql.iter_persons(b.workspace_id)), sql.mapping(b.workspace_id))
    Projector(store, IdentitySql(store), b.workspace_id).rebuild()
    assert (list(sql.iter_persons(b.workspace_id)), sql.mapping(b.workspace_id)) == built


def _call_completed(mid: str, ts: str, call: str, order_id: str) -> dict[str, object]:
    return {"type": "track", "event": "Call Completed", "messageId": mid, "timestamp": ts,
            "anonymousId": call, "properties": {"order_id": order_id, "topic": "order_status"}}


def test_a_call_that_quotes_an_order_joins_the_buyer_and_lookup_by_order_finds_them(store: SqlStore) -> None:
    b = brand(store)
    b.send("web",
           identify("w1", "2026-01-01T10:00:00Z", user="cus_ann", anon="anon-1", firstName="Ann",
                    lastName="Smith", email="ann.smith@posteo.de"),
           {"type": "track", "event": "Order Completed", "messageId": "w2", "userId": "cus_ann",
            "timestamp": "2026-01-01T10:05:00Z", "properties": {"order_id": "ORD-100200300", "total": 59.0}})
    b.send("pos",  # the call centre: caller ID and the name the agent typed, then the call's topic
           identify("c1", "2026-01-09T08:00:00Z", anon="call_1", name="Ann Smith", phone="+49 170 7654321"),
           _call_completed("c2", "2026-01-09T08:06:00Z", "call_1", "ord-100200300"),
           identify("c3", "2026-01-10T08:00:00Z", anon="call_2", name="Jonas Weber", phone="+49 170 1112223"),
           _call_completed("c4", "2026-01-10T08:06:00Z", "call_2", "ORD-100200300"))
    resolve(store, b.workspace_id)
    ann = identity.find(store, b.workspace_id, "user_id:cus_ann")
    assert identity.find(store, b.workspace_id, "phone:+491707654321") == ann
    gift = identity.find(store, b.workspace_id, "phone:+491701112223")  # a recipient under another name
    assert gift is not None and gift != ann
    quoted = identity.lookup(store, b.workspace_id, "order_ref", "#ORD 100200300")
    assert sorted(quoted) == sorted([ann, gift])
