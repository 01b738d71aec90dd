"""The ingest processes' commits: SQLite commits without waiting for the disk under the shared
lock, and the WAL is synced after the lock is released and before the batch is answered."""

from __future__ import annotations

import fcntl
import os
import threading
from pathlib import Path

import pytest

from frontoffice.collector.member import LockedAppend
from frontoffice.collector.writer import GroupCommitWriter
from frontoffice.storage import open_store
from frontoffice.storage.port import AppendBatch, AppendResult
from frontoffice.storage.sql import SqlStore
from frontoffice.tenancy import service as tenancy
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
    writer = GroupCommitWriter(LockedAppend(store, lock), queue_limit=10_000, retry_after_seconds=1)
    steps: list[tuple[object, ...]] = []
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
        steps.append(("sync", os.readlink(f"/proc/self/fd/{fd}"), free, count))
        real(fd)

    def done(result: AppendResult | None, exc: BaseException | None) -> None:
        steps.append(("answer", None if result is None else result.inserted, exc))
        answered.release()

    monkeypatch.setattr(os, "fdatasync", fdatasync)
    answered = threading.Semaphore(0)
    writer.start()
    try:
        writer.submit_with(AppendBatch(ws.id, src.id, [record("a"), record("b")]), done)
        assert answered.acquire(timeout=10)
        # committed (both rows visible), then synced outside the lock, then answered
        assert steps == [("sync", f"{db}-wal", True, 2), ("answer", 2, None)]
        writer.submit_with(AppendBatch(ws.id, src.id, [record("c")]), done)
        assert answered.acquire(timeout=10)
        assert [s[0] for s in steps[2:]] == ["sync", "answer"]
    finally:
        writer.stop()
        store.close()


def test_a_failed_sync_answers_with_the_error_and_the_retry_stores_nothing_twice(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The commit went through but the disk refused the sync: the client must not get a
    success; its retry finds the events already in the log (stored once)."""
    db = tmp_path / "log.db"
    store = open_store(f"sqlite:///{db}", server=True)
    store.upgrade()
    ws = tenancy.create_workspace(store, "acme", "EU")
    src, _ = tenancy.create_source(store, ws.id, "web", "web")
    writer = GroupCommitWriter(LockedAppend(store, tmp_path / "log.db.ingest-lock"),
                               queue_limit=10_000, retry_after_seconds=1)
    outcomes: list[tuple[AppendResult | None, BaseException | None]] = []
    answered = threading.Semaphore(0)

    def done(result: AppendResult | None, exc: BaseException | None) -> None:
        outcomes.append((result, exc))
        answered.release()

    def broken(fd: int) -> None:
        raise OSError(5, "Input/output error")

    writer.start()
    try:
        with monkeypatch.context() as patch:
            patch.setattr(os, "fdatasync", broken)
            writer.submit_with(AppendBatch(ws.id, src.id, [record("a"), record("b")]), done)
            assert answered.acquire(timeout=10)
        assert outcomes[0][0] is None and isinstance(outcomes[0][1], OSError)
        writer.submit_with(AppendBatch(ws.id, src.id, [record("a"), record("b")]), done)
        assert answered.acquire(timeout=10)
        retried = outcomes[1][0]
        assert retried is not None and (retried.inserted, retried.duplicates) == (0, 2)
        assert int(store.query("SELECT count(*) FROM events")[0][0]) == 2
    finally:
        writer.stop()
        store.close()


def test_sealing_waits_while_this_process_holds_the_shared_lock(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The committer holds up every member of the pool; this process's sealer must not take its
    GIL meanwhile."""
    store = open_store(f"sqlite:///{tmp_path / 'log.db'}", server=True)
    store.upgrade()
    ws = tenancy.create_workspace(store, "acme", "EU")
    src, _ = tenancy.create_source(store, ws.id, "web", "web")
    appender = LockedAppend(store, tmp_path / "log.db.ingest-lock")
    inside, release = threading.Event(), threading.Event()
    real_append = store.append_drafts

    def slow_append(drafts: object) -> object:
        inside.set()
        assert release.wait(10)
        return real_append(drafts)  # type: ignore[arg-type]

    monkeypatch.setattr(store, "append_drafts", slow_append)
    first = appender.draft([AppendBatch(ws.id, src.id, [record("a")])])
    committing = threading.Thread(target=appender.append_drafts, args=(first,))
    committing.start()
    assert inside.wait(10)
    sealed: list[object] = []
    sealer = threading.Thread(
        target=lambda: sealed.append(appender.draft([AppendBatch(ws.id, src.id, [record("b")])])))
    sealer.start()
    sealer.join(0.3)
    try:
        assert sealer.is_alive() and not sealed  # waiting for the lock to be released
        release.set()
        committing.join(10)
        sealer.join(10)
        assert len(sealed) == 1
    finally:
        release.set()
        appender.close()
        store.close()
