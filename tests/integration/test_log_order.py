"""Appends to the event log become visible in seq order, even from several writers at once.

Projections follow the log by seq. If a transaction that took seq 10 committed after one that
took seq 11, a follower that had read up to 11 would never see 10. On SQLite the single write
lock rules this out; on PostgreSQL (several ingest processes, the commerce intake) appends take
a transaction-level lock, so a second appender waits for the first to commit.
"""

from __future__ import annotations

import threading
import time

from frontoffice.domain.events import EventRecord, Limits, normalise_batch, now
from frontoffice.storage import open_store
from frontoffice.storage.sql import SqlStore
from tests.support.server import make_tenant

LIMITS = Limits(32 * 1024, 32)


def records(source_id: str, *ids: str) -> list[EventRecord]:
    events = [{"type": "track", "event": "Ordered", "userId": f"u-{i}", "messageId": i} for i in ids]
    return normalise_batch(events, batch={}, forced_type=None, source_id=source_id,
                           received_at=now(), limits=LIMITS)[0]


def test_a_second_append_waits_for_the_first_to_commit_so_seq_order_is_commit_order(
        database_url: str) -> None:
    tenant = make_tenant(database_url, "order")
    first, second = open_store(database_url), open_store(database_url)
    finished = threading.Event()
    try:
        def later(store: SqlStore) -> None:
            with store.transaction() as cur:
                store.insert_sealed(cur, tenant.workspace_id, tenant.source_id,
                                    records(tenant.source_id, "b"))
            finished.set()

        with first.transaction() as cur:
            first.insert_sealed(cur, tenant.workspace_id, tenant.source_id, records(tenant.source_id, "a"))
            waiting = threading.Thread(target=later, args=(second,))
            waiting.start()
            time.sleep(0.5)
            assert not finished.is_set(), "the second append committed while the first was open"
        waiting.join(timeout=30)
        assert finished.is_set()
        stored = first.events(tenant.workspace_id)
        assert [e.record.message_id for e in stored] == ["a", "b"]
        assert stored[0].seq < stored[1].seq
    finally:
        first.close()
        second.close()
