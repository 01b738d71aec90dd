"""In-memory insights ports: ``Refs`` (what the rollup remembers between events) and ``Insights``
(what the use cases read and log to)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

import orjson

from frontoffice.domain.events import EventRecord
from frontoffice.insights.ports import DailyCell, Fact
from frontoffice.insights.projector import apply_flag_event
from frontoffice.insights.rates import Series
from frontoffice.storage.port import AppendBatch, AppendResult


class FakeRefs:
    def __init__(self) -> None:
        self.docs: dict[tuple[str, str], dict[str, Any]] = {}

    def get(self, kind: str, ref_id: str) -> dict[str, Any] | None:
        found = self.docs.get((kind, ref_id))
        return dict(found) if found is not None else None

    def put(self, kind: str, ref_id: str, doc: Mapping[str, Any]) -> None:
        self.docs[(kind, ref_id)] = dict(doc)


class FakeInsights:
    """``ports.Insights`` in memory: the daily cells a test gives, a log that keeps a message id
    once, and flags folded from it by the projection's own rule."""

    def __init__(self, series: Series, hourly: Series | None = None) -> None:
        self.series: dict[Any, dict[str, Any]] = {k: dict(v) for k, v in series.items()}
        self.hourly: dict[Any, dict[str, Any]] = {k: dict(v) for k, v in (hourly or {}).items()}
        self.log: dict[str, EventRecord] = {}
        self.folded = 0
        self.rows: dict[str, dict[str, Any]] = {}

    def catch_up(self, ws: str) -> int:
        pending = list(self.log.values())[self.folded :]
        for rec in pending:
            apply_flag_event(self, rec.type, orjson.loads(rec.payload))
        self.folded += len(pending)
        return len(pending)

    def append(self, batch: AppendBatch) -> AppendResult:
        new = [r for r in batch.events if r.message_id not in self.log]
        self.log.update((r.message_id, r) for r in new)
        return AppendResult(len(new), len(batch.events) - len(new), 0)

    def cells(self, ws: str, metrics: Sequence[str], start: str, end: str) -> list[DailyCell]:
        return _cells(self.series, metrics, start, end)

    def hours(self, ws: str, metrics: Sequence[str], start: str, end: str) -> list[DailyCell]:
        return _cells(self.hourly, metrics, start, end)

    def replace_cells(
        self, ws: str, metrics: Sequence[str], start: str, end: str, facts: Sequence[Fact]
    ) -> None:
        for (metric, _, _), days in self.series.items():
            if metric in metrics:
                for day in [d for d in days if start <= d <= end]:
                    del days[day]
        for fact in facts:
            add_fact(self.series, fact, fact.day)

    def metrics(self, ws: str) -> list[str]:
        return sorted({k[0] for k in self.series})

    def last_day(self, ws: str) -> str | None:
        return max((day for days in self.series.values() for day in days), default=None)

    def flags(self, ws: str, statuses: Sequence[str] = ()) -> list[dict[str, Any]]:
        return [f for f in self.rows.values() if not statuses or f["status"] in statuses]

    def flag(self, ws: str, flag_id: str) -> dict[str, Any] | None:
        return self.rows.get(flag_id)

    def put_flag(self, row: Mapping[str, Any]) -> None:
        self.rows[row["flag_id"]] = {
            **orjson.loads(row["doc"]),
            **{k: v for k, v in row.items() if k != "doc"},
        }

    def flag_status(self, flag_id: str, status: str, until: str | None) -> None:
        self.rows[flag_id] |= {"status": status, "snoozed_until": until}

    def flag_task(self, flag_id: str, task: Mapping[str, Any]) -> None:
        if flag_id in self.rows:
            self.rows[flag_id] |= {"task": dict(task)}


class FakeTasks:
    """``ports.ServiceTasks`` in memory: the tasks opened (one per key) and the agents' teams."""

    def __init__(self, teams: Mapping[str, str] | None = None) -> None:
        self.teams = dict(teams or {})
        self.opened: dict[str, dict[str, Any]] = {}

    def open_for_team(
        self, ws: str, key: str, team: str, subject: str, text: str, tags: Sequence[str], now: datetime
    ) -> str:
        task = {"id": f"T{len(self.opened) + 1}", "team": team, "subject": subject, "text": text}
        found = self.opened.setdefault(key, {**task, "tags": list(tags)})
        return str(found["id"])

    def team_of(self, ws: str, agent_id: str) -> str | None:
        return self.teams.get(agent_id)


def _cells(series: Series, metrics: Sequence[str], start: str, end: str) -> list[DailyCell]:
    return sorted(
        (
            DailyCell(m, d, s, period, n, total, evidence)
            for (m, d, s), periods in series.items()
            for period, (n, total, evidence) in periods.items()
            if m in metrics and start <= period <= end
        ),
        key=lambda c: (c.metric, c.dimension, c.slice, c.day),
    )


def add_fact(series: dict[Any, dict[str, Any]], fact: Fact, period: str) -> None:
    """Count a fact in its slices' cells of ``period``, as the SQL store sums them."""
    for dimension, value in fact.slices:
        cells = series.setdefault((fact.metric, dimension, value), {})
        n, total, evidence = cells.get(period, (0, 0.0, []))
        cells[period] = (n + 1, total + fact.value, [*evidence, *fact.evidence])
