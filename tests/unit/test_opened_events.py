"""The events a store opened lately, reused by the next reader of a worker pass: within a byte
budget, and only the very rows they were opened from."""

from __future__ import annotations

from collections import namedtuple
from collections.abc import Sequence
from typing import Any

from frontoffice.domain.events import EventRecord, StoredEvent
from frontoffice.storage.opened import OVERHEAD, Opened

Row = namedtuple("Row", "seq source_id message_id")


def event(row: Any) -> StoredEvent:
    return StoredEvent(row.seq, "ws", row.source_id, EventRecord(
        row.message_id, "tracking", "track", "Viewed", "u1", None, None, None, "2026-01-01T00:00:00Z",
        None, None, "2026-01-01T00:00:00Z", b"0123456789"))


def test_events_kept_stay_within_their_byte_budget_and_a_row_unlike_the_kept_one_is_opened_again() -> None:
    opened, asked = Opened(limit_bytes=3 * (OVERHEAD + 10)), []

    def open_rows(rows: Sequence[Any]) -> list[StoredEvent]:
        asked.append([r.seq for r in rows])
        return [event(r) for r in rows]

    first = [Row(1, "web", "m1"), Row(2, "web", "m2")]
    opened.read("ws", 0, first, open_rows)
    opened.read("ws", 0, first, open_rows)
    opened.read("ws", 0, [Row(3, "web", "m3"), Row(4, "web", "m4")], open_rows)  # over budget: kept alone
    opened.read("ws", 0, [Row(2, "web", "m2"), Row(4, "web", "m4")], open_rows)
    opened.read("ws", 0, [Row(4, "app", "m4")], open_rows)  # another row at that seq (a moved workspace)
    assert asked == [[1, 2], [3, 4], [2], [4]]
