"""The insights projection: folds commerce and inbox events into daily rollups (``rollup.fold``)
and ``insight.*`` events into the flags. ``rebuild`` drops both and replays the log, which is the
source of truth."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import orjson

from frontoffice.domain.events import EventRecord
from frontoffice.insights.rollup import fold
from frontoffice.insights.store import InsightsStore, InsightsWrites
from frontoffice.storage.sql import SqlStore

PAGE = 2000
INSIGHTS = "insights"  # the family of the flags' events


def apply(tx: InsightsWrites, rec: EventRecord) -> None:
    if rec.type == "erased":
        return
    data: Mapping[str, Any] = orjson.loads(rec.payload)
    if rec.family == INSIGHTS:
        _flag_event(tx, rec.type, data)
        return
    for fact in fold(tx, rec.type, data, rec.timestamp or rec.received_at or ""):
        tx.add(fact)


def _flag_event(tx: InsightsWrites, etype: str, data: Mapping[str, Any]) -> None:
    if etype == "insight.flagged":
        tx.put_flag(
            {
                "flag_id": data["flag_id"],
                "metric": data["metric"],
                "dimension": data["dimension"],
                "slice": data["slice"],
                "status": "open",
                "raised_at": data["raised_at"],
                "snoozed_until": None,
                "doc": orjson.dumps(data).decode(),
            }
        )
    elif etype == "insight.acknowledged":
        tx.flag_status(data["flag_id"], "acknowledged", None)
    elif etype == "insight.snoozed":
        tx.flag_status(data["flag_id"], "snoozed", data["until"])


def catch_up(store: InsightsStore, ws: str) -> int:
    applied = 0
    with store.lock(ws):
        upto, after = store.last_seq(ws), store.cursor_at(ws)
        while after < upto:
            page = store.log_page(ws, after, upto, PAGE)
            after = page[-1][0] if len(page) == PAGE else upto
            with store.transaction(ws) as tx:
                for _, rec in page:
                    apply(tx, rec)
                tx.flush(after)
            applied += len(page)
    return applied


class InsightsHub:
    """The insights projection of one storage, as the worker's runner drives it."""

    name = "insights"

    def __init__(self, store: SqlStore) -> None:
        self.insights = InsightsStore(store)

    def catch_up(self, ws: str) -> int:
        return catch_up(self.insights, ws)

    def rebuild(self, ws: str) -> int:
        self.insights.reset(ws)
        return catch_up(self.insights, ws)
