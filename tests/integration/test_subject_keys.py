"""One key per subject, whichever store or process makes it, and never a shredded one used again
(SQLite: keys appended and found through each process's in-memory index; PostgreSQL: a keyed
table)."""

from __future__ import annotations

import multiprocessing
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from frontoffice.storage import open_store, sqlite_dedupe
from frontoffice.storage.migrate import revisions
from frontoffice.storage.port import AppendBatch
from frontoffice.storage.sql import SqlStore
from frontoffice.tenancy import service as tenancy
from tests.integration.test_storage import record
from tests.support.legacy import store_made_by_sql_migrations

Tenant = tuple[str, str]


@pytest.fixture
def tenant(store: SqlStore) -> Tenant:
    ws = tenancy.create_workspace(store, "acme", "EU")
    source, _ = tenancy.create_source(store, ws.id, "web", "web")
    return ws.id, source.id


@pytest.fixture
def other(database_url: str, store: SqlStore) -> Iterator[SqlStore]:
    """A second store on the same database: another process's view, with its own index."""
    s = open_store(database_url)
    yield s
    s.close()


def _append(store: SqlStore, tenant: Tenant, message_id: str, user: str) -> None:
    ws, src = tenant
    store.append([AppendBatch(ws, src, [record(message_id, user)])])


def _keys_per_subject(store: SqlStore, ws: str) -> list[int]:
    return [int(n) for (n,) in store.query(
        "SELECT count(*) FROM privacy_subject_keys WHERE workspace_id = ? GROUP BY subject_hash", (ws,))]


def _users(store: SqlStore, ws: str) -> dict[str, str | None]:
    return {e.record.message_id: e.record.user_id for e in store.events(ws)}


def _user(store: SqlStore, tenant: Tenant, message_id: str) -> str | None:
    found = store.event(*tenant, message_id)
    assert found is not None
    return found.record.user_id


def _shred(store: SqlStore, ws: str, user: str) -> None:
    with store.transaction() as cur:
        store.vault.shred(cur, store.sql, ws, {store.vault.keyring.identifier_hash(ws, "user_id", user)})


def test_a_store_that_followed_the_keys_before_uses_the_key_another_store_made(
        store: SqlStore, other: SqlStore, tenant: Tenant) -> None:
    ws = tenant[0]
    _append(other, tenant, "m0", "cus_0")  # the other store's index has followed the table
    _append(store, tenant, "m1", "cus_1")  # a key the other store has not seen
    _append(other, tenant, "m2", "cus_1")
    _append(store, tenant, "m3", "cus_0")
    assert sorted(_keys_per_subject(store, ws)) == [1, 1]
    expected = {"m0": "cus_0", "m1": "cus_1", "m2": "cus_1", "m3": "cus_0"}
    assert _users(store, ws) == expected
    assert _users(other, ws) == expected


def test_a_key_shredded_through_one_store_is_not_used_by_another_that_knew_it(
        store: SqlStore, other: SqlStore, tenant: Tenant) -> None:
    ws = tenant[0]
    _append(other, tenant, "m1", "cus_1")  # the other store made and knows this key
    _shred(store, ws, "cus_1")
    _append(other, tenant, "m2", "cus_1")
    assert _keys_per_subject(store, ws) == [1]
    for s in (store, other):
        assert _user(s, tenant, "m2") == "cus_1"  # sealed under a key the database holds


def test_the_log_read_again_gives_the_events_opened_before_not_opened_twice(
        store: SqlStore, tenant: Tenant) -> None:
    """A worker pass runs every projection over the same new events: the second reader gets the
    events the first opened (decrypting each once)."""
    ws = tenant[0]
    _append(store, tenant, "m1", "cus_1")
    first = store.events(ws)
    _append(store, tenant, "m2", "cus_2")
    again = store.events(ws)
    assert again[0] is first[0]
    assert [e.record.user_id for e in again] == ["cus_1", "cus_2"]


def test_an_event_read_before_its_subject_was_erased_reads_as_erased_after_from_every_store(
        store: SqlStore, other: SqlStore, tenant: Tenant) -> None:
    ws = tenant[0]
    _append(store, tenant, "m1", "cus_1")
    _append(store, tenant, "m2", "cus_2")
    assert _users(other, ws) == {"m1": "cus_1", "m2": "cus_2"}  # opened, and kept, by the other store
    _shred(store, ws, "cus_1")
    assert _users(other, ws) == {"m1": None, "m2": "cus_2"}
    assert other.events(ws)[0].record.payload != b'{"messageId":"m1"}'


def _append_subjects(url: str, tenant: Tenant, start: int, out: multiprocessing.Queue) -> None:
    store = open_store(url)
    try:
        for i in range(30):
            _append(store, tenant, f"p{start}-{i}", f"cus_{(i + start) % 30}")
        out.put(True)
    finally:
        store.close()


def test_processes_making_keys_for_the_same_new_subjects_agree_on_one_each(
        store: SqlStore, tenant: Tenant, database_url: str) -> None:
    ctx = multiprocessing.get_context("spawn")
    out: multiprocessing.Queue = ctx.Queue()
    workers = [ctx.Process(target=_append_subjects, args=(database_url, tenant, k * 10, out))
               for k in range(3)]
    for w in workers:
        w.start()
    assert [out.get(timeout=120) for _ in workers] == [True] * 3
    for w in workers:
        w.join(timeout=60)
        assert w.exitcode == 0
    assert _keys_per_subject(store, tenant[0]) == [1] * 30
    users = _users(store, tenant[0])
    assert len(users) == 90
    assert users == {f"p{k * 10}-{i}": f"cus_{(i + k * 10) % 30}" for k in range(3) for i in range(30)}


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(st.tuples(st.sampled_from(["append", "shred", "rollback"]),
                                st.lists(st.integers(0, 5), min_size=1, max_size=4), st.integers(0, 1)),
                      min_size=1, max_size=14))
def test_every_event_reads_back_unless_its_subject_was_shredded_after_it(
        tmp_path: Path, sqlite_template: Path, steps: list[tuple[str, list[int], int]]) -> None:
    """Two stores on one file, few distinct index keys (collisions) and tiny sorted runs; appends,
    shreddings and rolled-back appends in any order: each subject has at most one key, and every
    event stored since its subject's last shredding reads back through the other store. (An
    event from before is the erasure's to purge; see ``privacy/erasure.py``.)"""
    path = tmp_path / f"k{len(list(tmp_path.iterdir()))}.db"
    shutil.copyfile(sqlite_template, path)  # migrated once per session, not once per example
    stores = [open_store(f"sqlite:///{path}") for _ in range(2)]
    ws = tenancy.create_workspace(stores[0], "acme", "EU")
    src, _ = tenancy.create_source(stores[0], ws.id, "web", "web")
    expected: dict[str, str] = {}
    real_key, real_max = sqlite_dedupe.dedupe_key, sqlite_dedupe.RECENT_MAX
    sqlite_dedupe.dedupe_key = lambda a, b: hash(b) % 3  # type: ignore[assignment]
    sqlite_dedupe.RECENT_MAX = 4
    try:
        for n, (op, subjects, which) in enumerate(steps):
            store, users = stores[which], [f"cus_{s}" for s in subjects]
            if op == "shred":
                for user in users:
                    _shred(store, ws.id, user)
                expected = {m: u for m, u in expected.items() if u not in users}
                continue
            events = [record(f"e{n}-{i}", u) for i, u in enumerate(users)]
            if op == "rollback":
                with pytest.raises(RuntimeError), store.transaction() as cur:
                    store.insert_sealed(cur, ws.id, src.id, events)
                    raise RuntimeError("rolled back")
            else:
                store.append([AppendBatch(ws.id, src.id, events)])
                expected |= {e.message_id: str(e.user_id) for e in events}
            assert all(k == 1 for k in _keys_per_subject(store, ws.id))
            assert {m: _user(stores[1 - which], (ws.id, src.id), m) for m in expected} == expected
    finally:
        sqlite_dedupe.dedupe_key, sqlite_dedupe.RECENT_MAX = real_key, real_max
        for s in stores:
            s.close()


def test_upgrade_keeps_the_keys_of_a_file_made_before_alembic(tmp_path: Path) -> None:
    """A file the .sql migrations made (keys appended in seq order): its events still read back
    after alembic adopts it, and its subjects keep their one key."""
    url = f"sqlite:///{tmp_path / 'old.db'}"
    old = store_made_by_sql_migrations(url)
    ws = tenancy.create_workspace(old, "acme", "EU")
    src, _ = tenancy.create_source(old, ws.id, "web", "web")
    tenant = (ws.id, src.id)
    for i in range(3):
        _append(old, tenant, f"m{i}", f"cus_{i}")
    before = old.query("SELECT seq, subject_hash, wrapped_key FROM privacy_subject_keys ORDER BY seq")
    old.close()
    upgraded = open_store(url)
    assert upgraded.upgrade() == revisions(upgraded.dialect)  # adopted at the baseline, then the rest
    keys = "SELECT seq, subject_hash, wrapped_key FROM privacy_subject_keys ORDER BY seq"
    assert upgraded.query(keys) == before
    _append(upgraded, tenant, "m3", "cus_1")  # sealed under the key stored before the upgrade
    _append(upgraded, tenant, "m4", "cus_7")  # a new subject: a key appended after them
    assert _users(upgraded, ws.id) == {"m0": "cus_0", "m1": "cus_1", "m2": "cus_2", "m3": "cus_1",
                                       "m4": "cus_7"}
    assert _keys_per_subject(upgraded, ws.id) == [1, 1, 1, 1]
    upgraded.close()
