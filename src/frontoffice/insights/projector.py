"""The insights projection: folds commerce and inbox events into daily rollups (``rollup.fold``)
and ``insight.*`` events into the flags. ``rebuild`` drops both and replays the log, which is the
source of truth."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import orjson

from frontoffice.domain.events import EventRecord
from frontoffice.insights import acceptance
from frontoffice.insights.acceptance import Decisions
from frontoffice.insights.ports import INSIGHTS, DailyCell, Fact, FlagWrites, ServiceTasks
from frontoffice.insights.rates import Windows
from frontoffice.insights.rollup import fold
from frontoffice.insights.store import InsightsStore, InsightsWrites
from frontoffice.storage.port import AppendBatch, AppendResult
from frontoffice.storage.sql import SqlStore

PAGE = 2000


def apply(tx: InsightsWrites, rec: EventRecord) -> None:
    if rec.type == "erased":
        return
    data: Mapping[str, Any] = orjson.loads(rec.payload)
    if rec.family == INSIGHTS:
        apply_flag_event(tx, rec.type, data)
        return
    for fact in fold(tx, rec.type, data, rec.timestamp or rec.received_at or ""):
        tx.add(fact)


def apply_flag_event(tx: FlagWrites, etype: str, data: Mapping[str, Any]) -> None:
    """How an ``insight.*`` event changes the flags (the flags are only ever a fold of these)."""
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
    elif etype == "insight.task_opened":
        tx.flag_task(data["flag_id"], {k: data[k] for k in ("task_id", "team", "episode")})


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
    """The insights of one storage (``ports.Insights``): its projection, as the worker's runner
    drives it, and the reads and the log the use cases take."""

    name = "insights"

    def __init__(
        self, store: SqlStore, decisions: Decisions | None = None, tasks: ServiceTasks | None = None
    ) -> None:
        self.insights = InsightsStore(store)
        self.decisions = decisions  # next-best-action acceptance's source (``wiring.hub``)
        self.tasks = tasks  # the inbox's, where a new flag opens a task (``wiring.hub``)

    def catch_up(self, ws: str) -> int:
        return catch_up(self.insights, ws)

    def append(self, batch: AppendBatch) -> AppendResult:
        return self.insights.append(batch)

    def cells(self, ws: str, metrics: Sequence[str], start: str, end: str) -> Sequence[DailyCell]:
        return self.insights.cells(ws, metrics, start, end)

    def hours(self, ws: str, metrics: Sequence[str], start: str, end: str) -> Sequence[DailyCell]:
        return self.insights.hours(ws, metrics, start, end)

    def metrics(self, ws: str) -> list[str]:
        return self.insights.metrics(ws)

    def last_day(self, ws: str) -> str | None:
        return self.insights.last_day(ws)

    def flags(self, ws: str, statuses: Sequence[str] = ()) -> list[dict[str, Any]]:
        return self.insights.flags(ws, statuses)

    def flag(self, ws: str, flag_id: str) -> dict[str, Any] | None:
        return self.insights.flag(ws, flag_id)

    def replace_cells(
        self, ws: str, metrics: Sequence[str], start: str, end: str, facts: Sequence[Fact]
    ) -> None:
        self.insights.replace_cells(ws, metrics, start, end, facts)

    def rebuild(self, ws: str) -> int:
        """Replay the log, then (given the decisions' log) count the acceptance of the days the
        detector looks at again."""
        self.insights.reset(ws)
        applied = catch_up(self.insights, ws)
        end = self.last_day(ws)
        if self.decisions is not None and end is not None:
            acceptance.sync(self, self.decisions, ws, end, Windows().span)
        return applied
