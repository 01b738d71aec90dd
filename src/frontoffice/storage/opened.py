"""The log's events as opened lately: one worker pass runs every projection over the same new
events (identity, consent, segments, decision outcomes, insights), and each used to open every
one of them again (a row made a record, its sealed payload decrypted: ~20 µs an event a reader).

A store keeps the events it opened lately, per workspace, and a read reuses those its query
returns again. They stand only while the workspace's key epoch stays the one they were opened
at: every erasure raises it, so an event of an erased person is never served from memory after
the erasure is seen (the next read opens it again, as the tombstone it has become). A reused
event must also be the row's (same source and message id), so nothing stale survives a
workspace moved away and back.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from operator import itemgetter
from typing import Any

from frontoffice.domain.events import StoredEvent

LIMIT_BYTES = 32 << 20  # payload bytes kept per store (a pass holds a few thousand events)
OVERHEAD = 512  # bytes an event costs besides its payload (the objects, the columns)


class Opened:
    """Events opened lately, by workspace and seq, with the key epoch they were opened at."""

    def __init__(self, limit_bytes: int = LIMIT_BYTES) -> None:
        self._limit = limit_bytes
        self._by_ws: dict[str, tuple[int, dict[int, StoredEvent]]] = {}
        self._size = 0
        self._lock = threading.Lock()

    def read(self, ws: str, epoch: int, rows: Sequence[Any],
             open_rows: Callable[[Sequence[Any]], list[StoredEvent]]) -> list[StoredEvent]:
        """The events of ``rows`` (rows of the log, in order): those opened before at ``epoch``
        reused, the others opened by ``open_rows`` and kept."""
        if not rows:
            return []
        columns = rows[0]._fields  # unpacked by name at once: a row's named attribute costs ~0.3 µs
        keys = list(map(itemgetter(columns.index("seq"), columns.index("source_id"),
                                   columns.index("message_id")), rows))
        with self._lock:
            held = self._by_ws.get(ws)
            if held is None or held[0] != epoch:
                self._size -= sum(map(_cost, held[1].values())) if held else 0
                held = self._by_ws[ws] = (epoch, {})
            known = held[1]
            found = {seq: e for seq, source_id, message_id in keys if (e := known.get(seq)) is not None
                     and e.source_id == source_id and e.record.message_id == message_id}
        if len(found) == len(rows):
            return [found[seq] for seq, _, _ in keys]
        opened = iter(open_rows([r for r, (seq, _, _) in zip(rows, keys, strict=True) if seq not in found]))
        out = [found[seq] if seq in found else next(opened) for seq, _, _ in keys]
        fresh = [e for e in out if e.seq not in found]
        adding = sum(map(_cost, fresh))
        with self._lock:
            if self._by_ws.get(ws) is held:  # not dropped by a newer epoch meanwhile
                if self._size + adding > self._limit:  # full: start again
                    self._by_ws = {ws: held}
                    known.clear()
                    self._size = 0
                for e in fresh:
                    if e.seq not in known:
                        known[e.seq] = e
                        self._size += _cost(e)
        return out


def _cost(event: StoredEvent) -> int:
    return len(event.record.payload) + OVERHEAD
