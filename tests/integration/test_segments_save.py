"""Saving evaluations, on SQLite and PostgreSQL: a page of people costs a few statements (the
worker's CPU per event went mostly into building one statement a row), and a person evaluated
twice in one save ends as the last evaluation says."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from frontoffice.domain.events import StoredEvent
from frontoffice.identity.people_store import PeopleSql
from frontoffice.segments.moments_store import MomentsStore
from frontoffice.segments.ports import Change, Outcome
from frontoffice.segments.store import SegmentsStore
from frontoffice.storage import open_store
from frontoffice.storage.sql import SqlStore
from frontoffice.tenancy import service as tenancy
from tests.integration.test_storage import record
from tests.support.statements import executed


def evaluation(person: str, entered: str, exited: str, n: int) -> Outcome:
    return Outcome(person, "2026-11-01T00:00:00Z", f"event seq {n}", facts={"orders": str(n)},
                   values={"orders": (str(n), '{"events": 1}')},
                   changes=[Change(entered, 1, "entered", "did it"), Change(exited, 1, "exited", "not now")],
                   due_at=1_000 + n)


def test_the_evaluations_of_a_page_of_people_cost_as_many_statements_as_one_person(store: SqlStore) -> None:
    ws = tenancy.create_workspace(store, "save-cost", "EU").id
    data = SegmentsStore(store)
    data.save(ws, [evaluation(f"p{i}", "left", "joined", 0) for i in range(60)])  # members to leave
    with executed(store) as one:
        data.save(ws, [evaluation("p0", "joined", "left", 1)])
    with executed(store) as many:
        data.save(ws, [evaluation(f"p{i}", "joined", "left", 1) for i in range(1, 60)])
    assert len(many) == len(one)
    assert {m["person_id"] for m in data.members(ws, "joined", 100)} == {f"p{i}" for i in range(60)}
    assert data.members(ws, "left", 100) == []
    assert data.facts(ws, ["p7"]) == {"p7": {"orders": "1"}}
    assert data.values(ws, "p7") == [{"trait": "orders", "value": 1, "explain": {"events": 1}}]
    assert data.next_due(ws) == 1_001


def test_a_person_evaluated_twice_in_one_save_ends_as_the_last_evaluation_says(store: SqlStore) -> None:
    ws = tenancy.create_workspace(store, "save-twice", "EU").id
    data = SegmentsStore(store)
    data.save(ws, [evaluation("ann", "b", "a", 1), evaluation("bob", "b", "a", 1),
                   evaluation("ann", "a", "b", 2)])
    assert [m["person_id"] for m in data.members(ws, "a", 10)] == ["ann"]
    assert [m["person_id"] for m in data.members(ws, "b", 10)] == ["bob"]
    assert data.facts(ws, ["ann"]) == {"ann": {"orders": "2"}}
    assert [(h["segment"], h["change"]) for h in reversed(data.history(ws, person_id="ann"))] == [
        ("b", "entered"), ("a", "exited"), ("a", "entered"), ("b", "exited")]
    assert data.due(ws, 10_000, 10) == [("bob", "time: a window or a day passes"),
                                        ("ann", "time: a window or a day passes")]


def plan_of(store: SqlStore, table: str, read: Callable[[], object]) -> str:
    """SQLite's plan of the statement ``read`` runs on ``table``."""
    with executed(store) as captured:
        read()
    statement, params = next((s, p) for s, p in captured if table in s)
    return " ".join(str(row[-1]) for row in store.query(f"EXPLAIN QUERY PLAN {statement}", params))


@pytest.fixture
def sqlite_store(tmp_path: Path, sqlite_template: Path) -> Iterator[SqlStore]:
    shutil.copyfile(sqlite_template, tmp_path / "plans.db")
    store = open_store(f"sqlite:///{tmp_path / 'plans.db'}")
    yield store
    store.close()


def test_reading_the_memberships_of_a_page_of_people_probes_each_person_not_every_member(
        sqlite_store: SqlStore) -> None:
    """SQLite with no statistics took the primary key (it covers the columns read) and scanned
    every member of the workspace: a cost growing with the audience, paid on every page."""
    ws = tenancy.create_workspace(sqlite_store, "members-plan", "EU").id
    data = SegmentsStore(sqlite_store)
    data.save(ws, [evaluation(f"p{i}", "joined", "left", 0) for i in range(40)])
    plan = plan_of(sqlite_store, "segments_members", lambda: data.members_of(ws, ["p1", "p2"]))
    assert "segments_members_person (workspace_id=? AND person_id=?)" in plan


def test_where_identity_placed_a_page_of_events_is_found_by_their_records_not_a_scan_of_every_record(
        sqlite_store: SqlStore) -> None:
    """By seq, SQLite read every record of the workspace (no index leads with seq): 0.1 s a page
    at a million records."""
    ws = tenancy.create_workspace(sqlite_store, "records-plan", "EU").id
    page = [StoredEvent(7, ws, "web", record("m7"))]
    plan = plan_of(sqlite_store, "identity_records", lambda: PeopleSql(sqlite_store).of_stored(ws, page))
    assert "(workspace_id=? AND record_id=?)" in plan


def test_the_identifiers_of_a_page_of_people_are_read_person_by_person_not_kind_by_kind(
        sqlite_store: SqlStore) -> None:
    """With the kinds in the query SQLite took the primary key (kind first) and read every
    identifier of those kinds in the workspace."""
    ws = tenancy.create_workspace(sqlite_store, "identifiers-plan", "EU").id
    plan = plan_of(sqlite_store, "identity_index",
                   lambda: PeopleSql(sqlite_store).identifiers(ws, ["p1", "p2"], {"email", "phone"}))
    assert "identity_index_person (workspace_id=? AND person_id=?)" in plan


def test_the_deferred_firings_a_pass_asks_for_are_found_in_their_index_not_among_every_firing(
        sqlite_store: SqlStore) -> None:
    """Every pass asks for the deferred firings come due and the earliest still waiting; without
    the partial index SQLite read every firing the workspace ever logged, twice a pass."""
    ws = tenancy.create_workspace(sqlite_store, "firings-plan", "EU").id
    moments = MomentsStore(sqlite_store)
    for i in range(20):
        moments.log(ws, {"moment": "thanks", "person_id": f"p{i}", "trigger": "entered vip",
                         "decision": "fired", "rule": "", "reason": "", "message_id": None, "at": i,
                         "resume_at": 50 if i == 3 else None})
    for read in (lambda: moments.next_due(ws), lambda: moments.deferred_due(ws, 10)):
        assert "segments_firings_deferred" in plan_of(sqlite_store, "segments_firings", read)
    assert moments.next_due(ws) == 50
    assert moments.deferred_due(ws, 60) == [{"moment": "thanks", "person_id": "p3", "trigger": "entered vip"}]
    assert moments.next_due(ws) is None
