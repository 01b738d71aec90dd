"""What the detector tests and on what: the recent and baseline windows, the rates (a numerator
over a denominator, by which dimensions), a finding, and the sums, evidence and comparison every
test reads off the daily cells. Pure."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

ALPHA, MIN_RATIO, MIN_EVENTS = 0.01, 1.5, 5
EVIDENCE = 100

Cell = tuple[int, float, list[str]]  # facts, their total, evidence ids
Series = Mapping[tuple[str, str, str], Mapping[str, Cell]]  # (metric, dimension, slice) -> day -> cell


@dataclass(frozen=True, slots=True)
class Windows:
    """The recent days and the history before them, in whole weeks (weekdays weigh alike)."""

    recent: int = 7
    baseline: int = 28

    def __post_init__(self) -> None:
        if self.recent <= 0 or self.baseline <= 0 or self.recent % 7 or self.baseline % 7:
            raise ValueError("The recent and the baseline windows are whole weeks: 7, 14, 28 ... days.")

    @property
    def span(self) -> int:
        return self.recent + self.baseline


@dataclass(frozen=True, slots=True)
class Rate:
    name: str
    numerator: str  # a metric, or a prefix ending in ":" for each of its metrics
    denominator: str
    dimensions: tuple[str, ...]
    by_count: bool = False  # the denominator is the number of facts (ratings), not their total
    falls: bool = False  # what goes wrong is the rate falling (an acceptance), not rising


RATES = (
    Rate(
        "return_rate",
        "returns",
        "units",
        ("all", "product", "supplier", "category", "channel", "store", "region"),
    ),
    Rate(
        "return_rate",
        "returns:",
        "units",
        ("all", "product", "supplier", "category", "channel", "store", "region"),
    ),
    Rate("ticket_rate", "tickets:", "units", ("product", "supplier", "category")),
    Rate("sla_miss_rate", "sla_missed", "responses", ("all", "agent", "team", "channel")),
    Rate("sla_breach_rate", "sla_breaches", "tickets_assigned", ("agent", "team")),
    Rate("late_delivery_rate", "deliveries_late", "shipments", ("all", "store", "region", "mode", "carrier")),
    Rate(
        "failed_delivery_rate",
        "deliveries_failed",
        "shipments",
        ("all", "store", "region", "mode", "carrier"),
    ),
    Rate("low_csat_rate", "csat_low", "csat", ("all", "agent", "team", "channel"), by_count=True),
    # next-best-action acceptance (``acceptance.py``: counted from the decisions' log)
    Rate(
        "nba_acceptance_rate",
        "nba_accepted",
        "nba_shown",
        ("all", "action", "channel", "placement"),
        falls=True,
    ),
)


@dataclass
class Finding:
    metric: str
    dimension: str
    slice: str
    comparisons: list[dict[str, Any]] = field(default_factory=list)
    evidence: list[str] = field(default_factory=list)
    since: str | None = None

    @property
    def flag_id(self) -> str:
        return hashlib.sha256(f"{self.metric}|{self.dimension}|{self.slice}".encode()).hexdigest()[:16]


def days(end: str, count: int, skip: int = 0) -> list[str]:
    last = date.fromisoformat(end) - timedelta(days=skip)
    return [(last - timedelta(days=i)).isoformat() for i in range(count - 1, -1, -1)]


def total(cells: Mapping[str, Cell], span: Sequence[str], by_count: bool = False) -> float:
    return sum((c[0] if by_count else c[1]) for d in span if (c := cells.get(d)))


def evidence_of(cells: Mapping[str, Cell], span: Sequence[str]) -> list[str]:
    out: dict[str, None] = {}
    for d in reversed(span):
        for e in cells.get(d, (0, 0.0, []))[2]:
            out.setdefault(e)
    return list(out)[:EVIDENCE]


def numerators(rate: Rate, metrics: set[str]) -> list[str]:
    if rate.numerator.endswith(":"):
        return sorted(m for m in metrics if m.startswith(rate.numerator))
    return [rate.numerator] if rate.numerator in metrics else []


def comparison(
    against: str,
    x: int,
    n: float,
    x0: int,
    n0: float,
    span: list[str],
    other: list[str],
    mix: float = 1.0,
) -> dict[str, Any]:
    """``mix``: the weekday mix's effect (``detect._mix``): the compared rate is the history's at
    this window's weekdays."""
    rate, base = x / n, (x0 / n0 * mix if n0 else 0.0)
    return {
        "against": against,
        "rate": round(rate, 5),
        "compared_rate": round(base, 5),
        "ratio": round(rate / base, 3) if base > 0 else float("inf"),
        "events": x,
        "exposure": round(n, 2),
        "compared_events": x0,
        "compared_exposure": round(n0, 2),
        "window": [span[0], span[-1]],
        "compared_window": [other[0], other[-1]],
    }
