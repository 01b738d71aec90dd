"""The outcome projection: outcomes from any tracked event carrying a decision id, and the
delayed reward of a purchase kept after the return window.

A ``track`` event whose properties hold ``decision_id`` is an outcome of that decision: its kind
is ``properties.outcome`` or follows from the event name (``EVENT_KINDS``), its reward
``properties.reward`` or the kind's default, its action ``properties.action_id`` or the
decision's first. Each event is joined once (its outcome id is the event's), so a replay changes
nothing. Then every purchase older than the return window with no return is settled as ``kept``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any, Protocol

import orjson

from frontoffice.decisions import service
from frontoffice.decisions.ports import DecisionLog
from frontoffice.domain.events import StoredEvent, iso
from frontoffice.errors import FrontofficeError
from frontoffice.projection.contract import FilteredLog, page_of

EVENT_KINDS = {"Product Clicked": "click", "Promotion Clicked": "click",
               "Order Completed": "purchase", "Product Purchased": "purchase",
               "Product Returned": "returned", "Order Refunded": "returned",
               "Promotion Dismissed": "dismissed"}
BATCH = 1000
log = logging.getLogger(__name__)


READS = frozenset({"track"})  # the only type an outcome comes as: the rest is passed unread
DECISION_KEY = b'"decision_id"'  # as the log writes it (orjson escapes no letter of a key)


class EventLog(FilteredLog, Protocol):
    def last_seq(self, workspace_id: str) -> int: ...


class OutcomeTables(DecisionLog, Protocol):
    def cursor(self, ws: str) -> int: ...
    def set_cursor(self, ws: str, seq: int) -> None: ...
    def unsettled_purchases(self, ws: str, before: str) -> list[tuple[str, str]]:
        """(decision id, action id) of purchases before ``before`` with no kept or returned."""
        ...


def outcome_of(event: StoredEvent) -> dict[str, Any] | None:
    """The outcome a tracked event reports, or None when it carries no decision id."""
    record = event.record
    if record.type != "track" or DECISION_KEY not in record.payload:  # most events: not decoded
        return None
    try:
        properties = orjson.loads(record.payload).get("properties") or {}
    except orjson.JSONDecodeError:
        return None
    decision_id = properties.get("decision_id") if isinstance(properties, dict) else None
    if not isinstance(decision_id, str):
        return None
    kind = properties.get("outcome") or EVENT_KINDS.get(record.event or "")
    reward = properties.get("reward")
    if not isinstance(kind, str):
        return None
    action = properties.get("action_id")
    return {"decision_id": decision_id, "kind": kind,
            "action_id": action if isinstance(action, str) else None,
            "reward": float(reward) if isinstance(reward, int | float) else None,
            "at": datetime.fromisoformat(record.timestamp.replace("Z", "+00:00")),
            "outcome_id": f"event:{event.source_id}:{record.message_id}"}


class OutcomeHub:
    def __init__(self, events: EventLog, tables: OutcomeTables, window_days: int,
                 clock: Callable[[], datetime]) -> None:
        self._events, self._tables = events, tables
        self._window, self._clock = timedelta(days=window_days), clock

    def catch_up(self, ws: str) -> int:
        joined, after, upto = 0, self._tables.cursor(ws), self._events.last_seq(ws)
        while after < upto:
            batch, after = page_of(self._events, ws, after, upto, BATCH, types=READS)
            for event in batch:
                found = outcome_of(event)
                if found is None:
                    continue
                try:
                    service.record_outcome(self._tables, ws, found["decision_id"],
                                           found["action_id"], found["kind"], found["reward"],
                                           found["at"], f"event:{event.seq}", found["outcome_id"])
                    joined += 1
                except FrontofficeError as exc:  # an outcome of no known decision: not ours
                    log.info("event %s of workspace %s is no outcome: %s", event.seq, ws, exc)
            self._tables.set_cursor(ws, after)
        return joined + self.settle(ws)

    def settle(self, ws: str) -> int:
        """Purchases past the return window with no return become ``kept``."""
        now = self._clock()
        settled = 0
        for decision_id, action_id in self._tables.unsettled_purchases(ws, iso(now - self._window)):
            done = service.record_outcome(self._tables, ws, decision_id, action_id, "kept", None,
                                          now, "settled")
            settled += int(done["stored"])
        return settled

    def rebuild(self, ws: str) -> int:
        """Join the whole log again (outcomes are stored once, so nothing doubles)."""
        self._tables.set_cursor(ws, 0)
        return self.catch_up(ws)
