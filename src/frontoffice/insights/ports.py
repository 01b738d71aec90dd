"""What the insights rules and use cases need, as Protocols: the references the rollup remembers
between events, and the insights data a use case reads and logs to (``projector.InsightsHub`` on
SQL, ``tests/fakes/insights.py`` in memory)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from frontoffice.storage.port import AppendBatch, AppendResult

INSIGHTS = "insights"  # the family of the flags' events in the log


class Refs(Protocol):
    def get(self, kind: str, ref_id: str) -> dict[str, Any] | None: ...
    def put(self, kind: str, ref_id: str, doc: Mapping[str, Any]) -> None: ...


class FlagWrites(Protocol):
    def put_flag(self, row: Mapping[str, Any]) -> None: ...
    def flag_status(self, flag_id: str, status: str, until: str | None) -> None: ...
    def flag_task(self, flag_id: str, task: Mapping[str, Any]) -> None: ...


class ServiceTasks(Protocol):
    """The inbox's tasks (``inbox.tasks.InboxTasks``): a flag's task in a team's queue."""

    def open_for_team(
        self, ws: str, key: str, team: str, subject: str, text: str, tags: Sequence[str], now: datetime
    ) -> str:
        """Open the task for ``key`` (again: nothing new); its ticket id."""
        ...

    def team_of(self, ws: str, agent_id: str) -> str | None: ...


@dataclass(frozen=True, slots=True)
class Fact:
    """One fact of an event, counted in each of its slices' cells (``rollup.fold`` makes them)."""

    metric: str
    day: str
    slices: tuple[tuple[str, str], ...]
    value: float
    evidence: tuple[str, ...]
    hour: str | None = None  # "YYYY-MM-DDTHH" (UTC) for the facts rolled up by hour too


@dataclass(frozen=True, slots=True)
class DailyCell:
    metric: str
    dimension: str
    slice: str
    day: str  # an ISO day; from ``Insights.hours`` the UTC hour "YYYY-MM-DDTHH"
    n: int  # how many facts
    total: float  # their summed value
    evidence: list[str]


class Insights(Protocol):
    def catch_up(self, ws: str) -> int:
        """Fold what the log holds beyond the projection (rollups and flags)."""
        ...

    def append(self, batch: AppendBatch) -> AppendResult: ...
    def cells(self, ws: str, metrics: Sequence[str], start: str, end: str) -> Sequence[DailyCell]: ...
    def hours(self, ws: str, metrics: Sequence[str], start: str, end: str) -> Sequence[DailyCell]: ...
    def metrics(self, ws: str) -> list[str]: ...
    def replace_cells(
        self, ws: str, metrics: Sequence[str], start: str, end: str, facts: Sequence[Fact]
    ) -> None: ...
    def last_day(self, ws: str) -> str | None: ...
    def flags(self, ws: str, statuses: Sequence[str] = ()) -> list[dict[str, Any]]: ...
    def flag(self, ws: str, flag_id: str) -> dict[str, Any] | None: ...
