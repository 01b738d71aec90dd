"""The seeded shop's world: its clock (``START``, a Monday), the actions scheduled in the order of
their times (a reply 50 hours on runs after the next days' orders), and commerce's intake."""

from __future__ import annotations

import heapq
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from frontoffice.commerce import service as commerce
from frontoffice.commerce.ports import Commerce
from frontoffice.inbox.deps import Desk
from frontoffice.insights.truth import Incident

SOURCE = "seeded-shop"
START = datetime(2026, 9, 7, tzinfo=UTC)  # a Monday


@dataclass
class World:
    cs: Commerce
    desk: Desk
    ws: str
    rng: random.Random
    truth: dict[str, Incident]
    orders_per_day: int
    tickets_per_day: int
    n: int = 0
    pending: list[tuple[datetime, int, Callable[[], object]]] = field(default_factory=list)

    def later(self, at: datetime, action: Callable[[], object]) -> None:
        self.n += 1
        heapq.heappush(self.pending, (at, self.n, action))

    def run_until(self, until: datetime) -> None:
        """Run the scheduled actions due by ``until``, in the order of their times."""
        while self.pending and self.pending[0][0] <= until:
            heapq.heappop(self.pending)[2]()

    def ingest(self, kind: str, body: list[dict[str, Any]], at: datetime) -> None:
        if body:
            commerce.ingest(self.cs, self.ws, SOURCE, kind, body, at)

    def next_id(self, prefix: str) -> str:
        self.n += 1
        return f"{prefix}{self.n}"
