"""Exactly once in the log: dedupe on (source, messageId) across stores, processes, rollbacks,
hash collisions and the sorted runs of the embedded default's in-memory index."""

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


@pytest.fixture
def tenant(store: SqlStore) -> tuple[str, str]:
    ws = tenancy.create_workspace(store, "acme", "EU")
    source, _ = tenancy.create_source(store, ws.id, "web", "web")
    return ws.id, source.id


@pytest.fixture
def sqlite_store(tmp_path: Path, sqlite_template: Path) -> Iterator[SqlStore]:
    """The embedded default only: its in-memory index hashes keys and keeps sorted runs."""
    shutil.copyfile(sqlite_template, tmp_path / "log.db")  # migrated once per session
    s = open_store(f"sqlite:///{tmp_path / 'log.db'}")
    yield s
    s.close()


@pytest.fixture
def sqlite_tenant(sqlite_store: SqlStore) -> tuple[str, str]:
    ws = tenancy.create_workspace(sqlite_store, "acme", "EU")
    source, _ = tenancy.create_source(sqlite_store, ws.id, "web", "web")
    return ws.id, source.id


def _append(store: SqlStore, tenant: tuple[str, str], *ids: str) -> int:
    ws, src = tenant
    return store.append([AppendBatch(ws, src, [record(i) for i in ids])])[0].inserted


def test_a_second_store_on_the_same_log_sees_the_first_ones_events(
        store: SqlStore, tenant: tuple[str, str], database_url: str) -> None:
    other = open_store(database_url)
    try:
        assert _append(store, tenant, "a", "b") == 2
        assert _append(other, tenant, "b", "c") == 1  # its index follows the log, not the other store
        assert _append(store, tenant, "c", "d") == 1
        assert store.message_ids(*tenant) == {"a": 1, "b": 1, "c": 1, "d": 1}
        found = other.event(*tenant, "d")
        assert found is not None and found.record.message_id == "d"
    finally:
        other.close()


def test_a_rolled_back_insert_does_not_dedupe_its_retry(store: SqlStore, tenant: tuple[str, str]) -> None:
    ws, src = tenant
    _append(store, tenant, "a")
    with pytest.raises(RuntimeError), store.transaction() as cur:
        assert store.insert_sealed(cur, ws, src, [record("b"), record("c")]) == 2
        assert store.insert_sealed(cur, ws, src, [record("c"), record("d")]) == 1  # sees its own rows
        raise RuntimeError("the caller fails after inserting")
    assert store.event(ws, src, "b") is None
    # The seqs of the rolled-back rows are reused by other events; the retry still goes in.
    assert _append(store, tenant, "x", "y", "z") == 3
    assert _append(store, tenant, "x", "y") == 0  # at the seqs the rolled-back rows had
    assert _append(store, tenant, "b", "c", "d", "z") == 3
    assert store.message_ids(ws, src) == dict.fromkeys("abcdxyz", 1)


def test_colliding_keys_are_told_apart_by_the_log(
        sqlite_store: SqlStore, sqlite_tenant: tuple[str, str], monkeypatch: pytest.MonkeyPatch) -> None:
    store, tenant = sqlite_store, sqlite_tenant
    monkeypatch.setattr(sqlite_dedupe, "dedupe_key", lambda source_id, message_id: 7)
    monkeypatch.setattr(sqlite_dedupe, "RECENT_MAX", 3)  # colliding keys in the dict and in runs
    assert _append(store, tenant, *[f"m{i}" for i in range(10)]) == 10
    assert _append(store, tenant, "m3", "m11", "m9", "m12") == 2
    assert store.message_ids(*tenant) == {f"m{i}": 1 for i in (*range(10), 11, 12)}
    found = store.event(*tenant, "m7")
    assert found is not None and found.record.message_id == "m7"
    assert store.event(*tenant, "m99") is None


def test_keys_moved_into_sorted_runs_still_dedupe(
        sqlite_store: SqlStore, sqlite_tenant: tuple[str, str], monkeypatch: pytest.MonkeyPatch) -> None:
    store, tenant = sqlite_store, sqlite_tenant
    monkeypatch.setattr(sqlite_dedupe, "RECENT_MAX", 16)
    monkeypatch.setattr(sqlite_dedupe, "CATCH_UP_ROWS", 7)
    for start in range(0, 300, 25):
        assert _append(store, tenant, *[f"m{i}" for i in range(start, start + 25)]) == 25
    index = store._dialect.dedupe  # type: ignore[attr-defined]
    assert len(index._runs) >= 2 and index.nbytes > 0
    assert _append(store, tenant, *[f"m{i}" for i in range(0, 320, 3)]) == 7  # m300..m318 step 3
    # A process that starts on the existing log rebuilds the same index in chunks.
    fresh = open_store(f"sqlite:///{store._dialect.path}")  # type: ignore[attr-defined]
    try:
        assert _append(fresh, tenant, "m1", "m299", "m400") == 1
    finally:
        fresh.close()
    assert len(store.message_ids(*tenant)) == 308


def _append_in_process(url: str, tenant: tuple[str, str], ids: list[str], out: multiprocessing.Queue) -> None:
    store = open_store(url)
    try:
        out.put(sum(_append(store, tenant, m) for m in ids))
    finally:
        store.close()


def test_processes_appending_the_same_ids_store_each_once(
        store: SqlStore, tenant: tuple[str, str], database_url: str) -> None:
    ids = [f"m{i}" for i in range(60)]
    ctx = multiprocessing.get_context("spawn")
    out: multiprocessing.Queue = ctx.Queue()
    workers = [ctx.Process(target=_append_in_process, args=(database_url, tenant, ids[k::2] + ids, out))
               for k in range(3)]
    for w in workers:
        w.start()
    inserted = [out.get(timeout=120) for _ in workers]
    for w in workers:
        w.join(timeout=60)
        assert w.exitcode == 0
    assert sum(inserted) == 60
    assert store.message_ids(*tenant) == dict.fromkeys(ids, 1)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(st.tuples(st.lists(st.integers(0, 12), min_size=1, max_size=6), st.booleans(),
                                st.integers(0, 1)), min_size=1, max_size=12))
def test_the_log_holds_each_committed_id_exactly_once(
        tmp_path: Path, sqlite_template: Path, steps: list[tuple[list[int], bool, int]]) -> None:
    """Appends through two stores with tiny runs and few distinct keys, some rolled back: the log
    holds exactly the ids of committed appends, each once."""
    path = tmp_path / f"p{len(list(tmp_path.iterdir()))}.db"
    shutil.copyfile(sqlite_template, path)  # migrated once per session, not once per example
    stores = [open_store(f"sqlite:///{path}") for _ in range(2)]
    ws = tenancy.create_workspace(stores[0], "acme", "EU")
    src, _ = tenancy.create_source(stores[0], ws.id, "web", "web")
    committed: set[str] = set()
    real_key, real_max = sqlite_dedupe.dedupe_key, sqlite_dedupe.RECENT_MAX
    sqlite_dedupe.dedupe_key = lambda s, m: hash(m) % 5  # type: ignore[assignment]
    sqlite_dedupe.RECENT_MAX = 4
    try:
        for ids, fail, which in steps:
            store = stores[which]
            names = [f"m{i}" for i in ids]
            if fail:
                with pytest.raises(RuntimeError), store.transaction() as cur:
                    store.insert_sealed(cur, ws.id, src.id, [record(n) for n in names])
                    raise RuntimeError("rolled back")
            else:
                store.append([AppendBatch(ws.id, src.id, [record(n) for n in names])])
                committed |= set(names)
            assert stores[1 - which].message_ids(ws.id, src.id) == dict.fromkeys(sorted(committed), 1)
    finally:
        sqlite_dedupe.dedupe_key, sqlite_dedupe.RECENT_MAX = real_key, real_max
        for s in stores:
            s.close()


def test_upgrade_keeps_every_event_and_seq_of_a_log_made_before_alembic(tmp_path: Path) -> None:
    """A file the .sql migrations made keeps its rows and seqs when alembic adopts it, and the
    old events still dedupe through the index."""
    url = f"sqlite:///{tmp_path / 'old.db'}"
    old = store_made_by_sql_migrations(url)
    ws = tenancy.create_workspace(old, "acme", "EU")
    src, _ = tenancy.create_source(old, ws.id, "web", "web")
    assert _append(old, (ws.id, src.id), "a", "b") == 2
    before = old.query("SELECT seq, message_id FROM events ORDER BY seq")
    old.close()
    upgraded = open_store(url)
    assert upgraded.upgrade() == revisions(upgraded.dialect)  # adopted at the baseline, then the rest
    assert upgraded.query("SELECT seq, message_id FROM events ORDER BY seq") == before
    assert "UNIQUE" not in upgraded.query("SELECT sql FROM sqlite_master WHERE name = 'events'")[0][0]
    assert _append(upgraded, (ws.id, src.id), "b", "c") == 1
    assert [s for s, _ in upgraded.query("SELECT seq, message_id FROM events ORDER BY seq")] == [1, 2, 3]
    upgraded.close()
