"""One ingest process of the pool: parses, validates and durably appends collector batches.

Started by the API process (``collector/pool.py``) with one end of a socket pair; reads request
frames from it, runs the same pipeline as the in-process collector and answers each request once
its events are committed (group commit, as in the API process). It exits when the API process
closes the socket or dies, after committing what it already accepted.

On SQLite the members of a pool take a file lock around each commit, so they queue for the
database's write lock without SQLite's sleeping busy handler (which would add milliseconds).
"""

from __future__ import annotations

import argparse
import contextlib
import fcntl
import logging
import os
import signal
import socket
import sys
import threading
import time
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

from frontoffice.collector.body import BodyError, parse_json
from frontoffice.collector.frames import read_request, reply_frame
from frontoffice.collector.gates import CollectionGates
from frontoffice.collector.pipeline import Incoming, Prepared, Reply, finish, prepare, refusal
from frontoffice.collector.writer import Drafted, GroupCommitWriter, RoutedWriters
from frontoffice.domain.events import Limits
from frontoffice.errors import Overloaded
from frontoffice.residency.router import located
from frontoffice.settings import Settings
from frontoffice.storage import open_configured_store
from frontoffice.storage.port import AppendBatch, AppendResult
from frontoffice.storage.sql import SqlStore

log = logging.getLogger(__name__)
SWITCH_INTERVAL_S = 0.001


class LockedAppend:
    """The store's appends, each commit under an exclusive file lock shared by the pool's
    members. Sealing (``draft``, most of the work) runs before the lock is taken, so members
    seal in parallel; the commit does not wait for the disk, and the writer's ``sync_log``
    runs after the lock is released, so one member's fsync does not hold up the other's
    commit (and one fdatasync often covers both).

    The lock is what every member queues for, so while this process holds it its sealer
    waits: both threads need this process's GIL, and the committer's work holds up the whole
    pool while the sealer's holds up nobody."""

    def __init__(self, store: SqlStore, lock_path: Path | None) -> None:
        self._store = store
        self._fd = None if lock_path is None else open(lock_path, "a+b")  # noqa: SIM115
        self._unlocked = threading.Event()
        self._unlocked.set()
        if self._fd is not None:
            store.defer_log_sync()

    def draft(self, batches: Sequence[AppendBatch]) -> list[Drafted]:
        self._unlocked.wait()
        return self._store.draft(batches)

    def append_drafts(self, drafts: Sequence[Drafted]) -> list[AppendResult]:
        if self._fd is None:
            return self._store.append_drafts(drafts)
        fcntl.flock(self._fd, fcntl.LOCK_EX)
        self._unlocked.clear()
        try:
            return self._store.append_drafts(drafts)
        finally:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            self._unlocked.set()

    def sync_log(self) -> None:
        self._store.sync_log()

    def close(self) -> None:
        if self._fd is not None:
            self._fd.close()


def overloaded_reply(exc: Overloaded) -> Reply:
    reset_ms = int((time.time() + exc.retry_after_seconds) * 1000)
    return refusal(429, exc.code, str(exc), headers={
        "Retry-After": str(exc.retry_after_seconds), "X-RateLimit-Reset": str(reset_ms)})


def unavailable_reply(settings: Settings) -> Reply:
    return refusal(503, "storage_unavailable", "The event log could not be written; retry.",
                   headers={"Retry-After": str(settings.retry_after_seconds)})


def serve_member(sock: socket.socket, settings: Settings) -> None:
    store = open_configured_store(settings, upgrade=False, server=True)
    appender = LockedAppend(store, store.ingest_lock)
    writer = GroupCommitWriter(appender, queue_limit=settings.write_queue_events,
                               retry_after_seconds=settings.retry_after_seconds)
    limits = Limits(settings.max_event_bytes, settings.max_json_depth)
    stores = located(store, settings, server=True)  # data residency: a workspace's own storage
    writers = RoutedWriters(stores, writer, lambda located_store, _url: GroupCommitWriter(
        LockedAppend(located_store, located_store.ingest_lock), queue_limit=settings.write_queue_events,
        retry_after_seconds=settings.retry_after_seconds))
    gates = CollectionGates(store, settings, stores)
    send_lock = threading.Lock()

    def send(request_id: int, reply: Reply) -> None:
        frame = reply_frame(request_id, {"status": reply.status, "body": reply.body,
                                         "headers": reply.headers})
        # If the API process is gone the events are stored anyway; its client will retry.
        with send_lock, contextlib.suppress(OSError):
            sock.sendall(frame)

    def handle(request_id: int, header: dict[str, object], data: bytes) -> None:
        try:
            body = parse_json(data)
        except BodyError as exc:
            send(request_id, refusal(exc.status, exc.code, exc.message))
            return
        if not isinstance(body, dict):
            send(request_id, refusal(400, "invalid_request", "Body must be a JSON object."))
            return
        forced = header["type"]
        incoming = Incoming(str(header["workspace"]), str(header["source"]),
                            forced if isinstance(forced, str) else None, bool(header["gpc"]),
                            datetime.fromisoformat(str(header["received_at"])), str(header["path"]))
        prepared = prepare(incoming, body, limits)
        if isinstance(prepared, Reply):
            send(request_id, prepared)
            return
        prepared = gates.apply(incoming, body, prepared)  # residency refusals, consent reduction

        def done(result: AppendResult | None, exc: BaseException | None, p: Prepared = prepared) -> None:
            if exc is not None:  # the client gets 503 and retries; the operator needs the cause
                log.error("ingest process %s could not store a batch: %s", os.getpid(), exc, exc_info=exc)
            send(request_id, finish(p, result) if result is not None else unavailable_reply(settings))

        try:
            writers.for_workspace(incoming.workspace_id).submit_with(prepared.batch, done)
        except Overloaded as exc:
            send(request_id, overloaded_reply(exc))

    writer.start()
    try:
        while (request := read_request(sock)) is not None:
            handle(*request)
    finally:
        writers.stop()
        writer.stop()  # commits and answers what was already accepted
        stores.close()
        appender.close()
        store.close()
        sock.close()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="An ingest process of frontoffice's collector.")
    parser.add_argument("--fd", type=int, required=True, help="inherited socket")
    parser.add_argument("--data-dir", type=Path, default=None)
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args(argv)
    # Ctrl-C reaches every process of the terminal's group: the pool stops its members (by
    # closing their socket, once they have answered what they accepted), not the signal.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # The committer gives up the GIL in every SQLite call and then waits for it while the
    # request-parsing thread runs; that wait holds the pool's shared lock. A shorter switch
    # interval than the default 5 ms gives it back sooner.
    sys.setswitchinterval(SWITCH_INTERVAL_S)
    settings = Settings.load(overrides={"data_dir": args.data_dir, "database_url": args.database_url})
    serve_member(socket.socket(fileno=args.fd), settings)


if __name__ == "__main__":
    main()
