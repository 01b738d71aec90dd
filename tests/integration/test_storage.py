"""The storage port, written once and run on SQLite and on a real PostgreSQL."""

from __future__ import annotations

import threading
from datetime import UTC, datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from frontoffice.domain.events import EventRecord, Rejection
from frontoffice.domain.tenancy import Scope, Status
from frontoffice.errors import AlreadyExists, InvalidInput, NotFound
from frontoffice.storage import open_store
from frontoffice.storage.port import AppendBatch
from frontoffice.storage.sql import SqlStore
from frontoffice.tenancy import service as tenancy


def record(message_id: str, user: str = "u1") -> EventRecord:
    return EventRecord(
        message_id=message_id, family="tracking", type="track", event="Viewed", user_id=user,
        anonymous_id=None, previous_id=None, group_id=None, timestamp="2026-01-01T00:00:00.000Z",
        original_timestamp=None, sent_at=None, received_at="2026-01-01T00:00:01.000Z",
        payload=b'{"messageId":"%s"}' % message_id.encode(),
    )


@pytest.fixture
def tenant(store: SqlStore) -> tuple[str, str]:
    ws = tenancy.create_workspace(store, "acme", "EU")
    source, _ = tenancy.create_source(store, ws.id, "web", "web")
    return ws.id, source.id


def test_migrations_are_versioned_and_idempotent(store: SqlStore) -> None:
    assert store.pending_migrations() == []
    version = store.schema_version()
    assert version >= 1
    assert store.upgrade() == []
    assert store.schema_version() == version


def test_a_new_database_reports_pending_migrations(empty_database_url: str) -> None:
    fresh = open_store(empty_database_url)
    try:
        pending = fresh.pending_migrations()
        assert pending[0] == "0001_baseline"
        assert pending == sorted(pending)
        assert fresh.upgrade() == pending
        assert fresh.pending_migrations() == []
    finally:
        fresh.close()


def test_workspace_source_token_lifecycle(store: SqlStore) -> None:
    ws = tenancy.create_workspace(store, "acme", "eu")
    assert ws.region == "EU"
    with pytest.raises(AlreadyExists):
        tenancy.create_workspace(store, "acme")
    source, key = tenancy.create_source(store, ws.id, "web", "web")
    found = store.source_for_key(tenancy.hash_secret(key))
    assert found is not None and found[0].id == source.id and found[1].id == ws.id
    assert key not in repr(store.sources(ws.id))  # only a hint is kept
    _, secret = tenancy.create_token(store, ws.id, "reader", ["events:read"])
    stored = store.token_for_secret(tenancy.hash_secret(secret))
    assert stored is not None and stored.scopes == frozenset({Scope.EVENTS_READ})
    tenancy.disable_source(store, ws.id, "web")
    tenancy.disable_token(store, ws.id, "reader")
    assert store.source(ws.id, "web").status is Status.DISABLED  # type: ignore[union-attr]
    assert store.tokens(ws.id)[0].status is Status.DISABLED
    store.set_workspace_status(ws.id, Status.DISABLED)
    assert store.workspace("acme").status is Status.DISABLED  # type: ignore[union-attr]
    with pytest.raises(NotFound):
        store.set_workspace_status("nope", Status.ACTIVE)


def test_existing_write_key_can_be_kept_but_never_shared(store: SqlStore) -> None:
    ws = tenancy.create_workspace(store, "acme")
    tenancy.create_source(store, ws.id, "web", "web", write_key="segment-existing-key-123")
    with pytest.raises(InvalidInput, match="This write key cannot be used"):
        tenancy.create_source(store, ws.id, "app", "app", write_key="segment-existing-key-123")


def test_append_stores_each_message_once(store: SqlStore, tenant: tuple[str, str]) -> None:
    ws, src = tenant
    first = store.append([AppendBatch(ws, src, [record("a"), record("b"), record("a")])])
    again = store.append([AppendBatch(ws, src, [record("b"), record("c")])])
    assert (first[0].inserted, first[0].duplicates) == (2, 1)
    assert (again[0].inserted, again[0].duplicates) == (1, 1)
    assert store.message_ids(ws, src) == {"a": 1, "b": 1, "c": 1}
    stored = store.event(ws, src, "b")
    assert stored is not None and stored.record == record("b")


def test_same_message_id_from_two_sources_are_two_events(store: SqlStore,
                                                         tenant: tuple[str, str]) -> None:
    ws, src = tenant
    other, _ = tenancy.create_source(store, ws, "app", "app")
    store.append([AppendBatch(ws, src, [record("m")]), AppendBatch(ws, other.id, [record("m")])])
    assert store.count_events(ws) == 2


def test_rejections_are_quarantined_with_reason(store: SqlStore, tenant: tuple[str, str]) -> None:
    ws, src = tenant
    result = store.append([AppendBatch(ws, src, [], [Rejection(3, "x", "bad type", b"{}")],
                                       origin="import", reference="file.csv:4")])
    assert result[0].quarantined == 1
    entry = store.quarantine(ws)[0]
    assert (entry.origin, entry.reference, entry.reason, entry.message_id) == (
        "import", "file.csv:4", "bad type", "x")
    assert store.count_events(ws) == 0


def test_events_page_in_log_order(store: SqlStore, tenant: tuple[str, str]) -> None:
    ws, src = tenant
    store.append([AppendBatch(ws, src, [record(f"m{i}") for i in range(25)])])
    first = store.events(ws, limit=10)
    rest = store.events(ws, after_seq=first[-1].seq, limit=100)
    ids = [e.record.message_id for e in first + rest]
    assert ids == [f"m{i}" for i in range(25)]


def test_no_read_crosses_workspaces(store: SqlStore, tenant: tuple[str, str]) -> None:
    ws_a, src_a = tenant
    ws_b = tenancy.create_workspace(store, "other")
    src_b, _ = tenancy.create_source(store, ws_b.id, "web", "web")
    store.append([AppendBatch(ws_a, src_a, [record("a1")], [Rejection(0, None, "r", b"1")])])
    store.append([AppendBatch(ws_b.id, src_b.id, [record("b1")])])
    assert [e.record.message_id for e in store.events(ws_b.id)] == ["b1"]
    assert store.count_events(ws_b.id) == 1
    assert store.event(ws_b.id, src_a, "a1") is None
    assert store.quarantine(ws_b.id) == []


def test_a_failed_group_stores_nothing(store: SqlStore, tenant: tuple[str, str]) -> None:
    ws, src = tenant
    broken = record("z")
    object.__setattr__(broken, "payload", None)  # violates NOT NULL mid-group
    with pytest.raises(Exception):  # noqa: B017 - each driver raises its own IntegrityError
        store.append([AppendBatch(ws, src, [record("y")]), AppendBatch(ws, src, [broken])])
    assert store.count_events(ws) == 0


def test_concurrent_writers_store_each_message_once(database_url: str,
                                                    tenant: tuple[str, str]) -> None:
    ws, src = tenant

    def writer() -> None:
        own = open_store(database_url)
        try:
            for start in range(0, 200, 20):
                own.append([AppendBatch(ws, src, [record(f"c{i}") for i in range(start, start + 20)])])
        finally:
            own.close()

    threads = [threading.Thread(target=writer) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    counts = open_store(database_url).message_ids(ws, src)
    assert len(counts) == 200 and set(counts.values()) == {1}


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.lists(st.sampled_from([f"id{i}" for i in range(15)]), max_size=8), max_size=6))
def test_any_sequence_of_retries_stores_the_set_of_ids(store: SqlStore,
                                                       batches: list[list[str]]) -> None:
    ws = tenancy.ensure_workspace(store, "prop")
    existing = store.source(ws.id, "p")
    source = existing or tenancy.create_source(store, ws.id, "p", "web")[0]
    before = set(store.message_ids(ws.id, source.id))
    results = store.append([AppendBatch(ws.id, source.id, [record(m) for m in b]) for b in batches])
    wanted = {m for b in batches for m in b}
    after = store.message_ids(ws.id, source.id)
    assert set(after) == before | wanted
    assert set(after.values()) <= {1}
    assert sum(r.inserted for r in results) == len(wanted - before)


def test_created_at_round_trips_as_utc(store: SqlStore) -> None:
    ws = tenancy.create_workspace(store, "clock")
    loaded = store.workspace("clock")
    assert loaded is not None
    assert loaded.created_at.tzinfo is not None
    assert abs((loaded.created_at - ws.created_at).total_seconds()) < 0.002
    assert loaded.created_at <= datetime.now(UTC)
