"""The ingest processes' commits: SQLite commits without waiting for the disk under the shared
lock, and the WAL is synced after the lock is released and before the batch is answered."""

from __future__ import annotations

import fcntl
import os
from pathlib import Path

import pytest

from frontoffice.collector.member import LockedAppend
from frontoffice.services import tenancy
from frontoffice.storage import open_store
from frontoffice.storage.port import AppendBatch
from frontoffice.storage.sql import SqlStore
from tests.integration.test_storage import record


def _synchronous(store: SqlStore) -> int:
    return int(store.query("PRAGMA synchronous")[0][0])


def test_a_store_syncs_every_commit_until_told_to_defer(tmp_path: Path) -> None:
    store = open_store(f"sqlite:///{tmp_path / 'log.db'}", server=True)
    try:
        store.upgrade()
        assert _synchronous(store) == 2  # FULL: the commit itself waits for the disk
        store.defer_log_sync()
        assert _synchronous(store) == 1  # NORMAL, on the connection already open too
    finally:
        store.close()


def test_the_member_syncs_the_wal_after_releasing_the_lock_and_before_answering(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = tmp_path / "log.db"
    store = open_store(f"sqlite:///{db}", server=True)
    store.upgrade()
    ws = tenancy.create_workspace(store, "acme", "EU")
    src, _ = tenancy.create_source(store, ws.id, "web", "web")
    lock = tmp_path / "log.db.ingest-lock"
    appender = LockedAppend(store, lock)
    synced: list[tuple[str, bool, int]] = []
    real = os.fdatasync

    def fdatasync(fd: int) -> None:
        with open(lock, "a+b") as probe:  # the pool's lock must be free while the disk works
            try:
                fcntl.flock(probe, fcntl.LOCK_EX | fcntl.LOCK_NB)
                free = True
                fcntl.flock(probe, fcntl.LOCK_UN)
            except BlockingIOError:
                free = False
        count = int(store.query("SELECT count(*) FROM events")[0][0])
        synced.append((os.readlink(f"/proc/self/fd/{fd}"), free, count))
        real(fd)

    monkeypatch.setattr(os, "fdatasync", fdatasync)
    try:
        results = appender.append([AppendBatch(ws.id, src.id, [record("a"), record("b")])])
        assert results[0].inserted == 2
        assert synced == [(f"{db}-wal", True, 2)]  # after the commit, outside the lock
        appender.append([AppendBatch(ws.id, src.id, [record("c")])])
        assert len(synced) == 2
    finally:
        appender.close()
        store.close()
