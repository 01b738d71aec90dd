"""Logging inbox events and folding them into the tables (``model.apply``).

A use case logs its events and applies what the log kept in the same call, so the next request
sees them; the worker's projection (``InboxHub``) catches up from the log and ``rebuild`` replays
it from the start: the tables are only ever a fold of the log."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

import orjson

from frontoffice.domain.events import EventRecord, iso
from frontoffice.inbox import model
from frontoffice.inbox.ports import INBOX, SOURCE, Inbox
from frontoffice.inbox.store import InboxStore
from frontoffice.storage.port import AppendBatch, AppendResult
from frontoffice.storage.sql import SqlStore

PAGE = 2000


def record(message_id: str, etype: str, payload: Mapping[str, Any], at: datetime) -> EventRecord:
    when = iso(at)
    return EventRecord(message_id=message_id, family=INBOX, type=etype, event=None, user_id=None,
                       anonymous_id=None, previous_id=None, group_id=None, timestamp=when,
                       original_timestamp=None, sent_at=None, received_at=when,
                       payload=orjson.dumps(payload))


def log_and_project(inbox: Inbox, ws: str, records: Sequence[EventRecord]) -> AppendResult:
    """Append ``records``, then fold the log into the tables up to its end — these records as
    the log kept them (a redelivered one: the log's copy; none of an erased person's, which the
    log drops) and whatever came before them — moving the projection's cursor past them, so the
    worker never applies them again (a replay of an older event after a newer one was applied
    would show a ticket's older state until the next pass).

    Both writes are made under the workspace's lock: this process's other threads (the SMTP
    receiver's deliveries, the API's requests) queue on it and are woken the moment it is free,
    where they would otherwise wait for SQLite's write lock in its busy handler, which sleeps in
    steps of up to 100 ms whenever the lock was taken."""
    if not records:
        return AppendResult(0, 0, 0)
    with inbox.lock(ws):
        result = inbox.append(AppendBatch(ws, SOURCE, records, origin="inbox"))
        _fold(inbox, ws)
    return result


def _fold(inbox: Inbox, ws: str) -> int:
    """Apply the log from the projection's cursor to its end, in order. The cursor is read in the
    transaction that applies the page and moves it (``Writes.cursor``: the page's writes are
    serialised with every other process's), so no two processes apply one event, nor an event
    after a later one."""
    applied = 0
    while True:
        with inbox.transaction() as tx:
            page = inbox.log_page(ws, tx.cursor(ws), PAGE)
            for _, etype, payload in page:
                if etype != "erased":
                    model.apply(tx, ws, etype, orjson.loads(payload))
            if page:
                tx.set_cursor(ws, page[-1][0])
        applied += len(page)
        if len(page) < PAGE:
            return applied


def catch_up(store: Inbox, ws: str) -> int:
    with store.lock(ws):
        return _fold(store, ws)


class InboxHub:
    """The inbox projection of one storage, as the worker's runner drives it."""

    def __init__(self, store: SqlStore) -> None:
        self.inbox = InboxStore(store)

    def catch_up(self, ws: str) -> int:
        return catch_up(self.inbox, ws)

    def rebuild(self, ws: str) -> int:
        self.inbox.reset(ws)
        return catch_up(self.inbox, ws)
