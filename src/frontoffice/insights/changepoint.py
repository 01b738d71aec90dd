"""Since when a daily rate moved, and the weekday effect taken out before asking.

The level shifts of a Poisson rate are found by ruptures' PELT (``ruptures.Pelt``) with a
Poisson cost on the days' (events, exposure) and the BIC penalty: each change adds a rate and a
location, so it must raise the log-likelihood by more than ``log(days)``. A weekly pattern is no
shift: each day's exposure is first weighted by its weekday's factor, the weekday's rate over the
whole span's, shrunk towards 1 by a prior worth ``PRIOR_EVENTS`` events so a quiet weekday does
not swing it. Pure (numpy and ruptures)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import date

PRIOR_EVENTS = 10.0


def weekday_factors(events: Sequence[float], exposure: Sequence[float], days: Sequence[str]) -> list[float]:
    """Each weekday's rate against the span's (Monday first): (its events + prior) / (the events
    expected at the span's rate + prior); 1.0 for every weekday of a span without events."""
    x, n = sum(events), sum(exposure)
    if x <= 0 or n <= 0:
        return [1.0] * 7
    got, seen = [0.0] * 7, [0.0] * 7
    for e, m, d in zip(events, exposure, days, strict=True):
        wd = date.fromisoformat(d[:10]).weekday()
        got[wd] += e
        seen[wd] += m
    return [(got[i] + PRIOR_EVENTS) / (seen[i] * x / n + PRIOR_EVENTS) for i in range(7)]


def adjusted(exposure: Sequence[float], days: Sequence[str], factors: Sequence[float]) -> list[float]:
    """The days' exposure weighted by their weekday's factor (the events a weekday's mix expects)."""
    return [m * factors[date.fromisoformat(d[:10]).weekday()] for m, d in zip(exposure, days, strict=True)]


def _poisson_cost() -> object:
    import numpy as np
    from ruptures.base import BaseCost

    class PoissonCost(BaseCost):  # type: ignore[misc]
        """Minus the log-likelihood of one Poisson rate over a segment of (events, exposure)."""

        model = "poisson"
        min_size = 2

        def fit(self, signal: np.ndarray) -> PoissonCost:
            self.signal = signal
            self.events = np.concatenate([[0.0], np.cumsum(signal[:, 0])])
            self.exposure = np.concatenate([[0.0], np.cumsum(signal[:, 1])])
            return self

        def error(self, start: int, end: int) -> float:
            x = float(self.events[end] - self.events[start])
            n = float(self.exposure[end] - self.exposure[start])
            return x - x * math.log(x / n) if x > 0 and n > 0 else 0.0

    return PoissonCost()


def levels(events: Sequence[float], exposure: Sequence[float]) -> list[tuple[int, float]]:
    """PELT's segments of the series: each one's first index and rate (events / exposure)."""
    import numpy as np
    import ruptures

    if len(events) < 4:
        return [(0, sum(events) / sum(exposure) if sum(exposure) > 0 else 0.0)]
    signal = np.column_stack([np.asarray(events, dtype=float), np.asarray(exposure, dtype=float)])
    ends = (
        ruptures.Pelt(custom_cost=_poisson_cost(), min_size=2, jump=1)
        .fit(signal)
        .predict(pen=math.log(len(events)))
    )
    out, start = [], 0
    for end in ends:
        x, n = sum(events[start:end]), sum(exposure[start:end])
        out.append((start, float(x / n) if n > 0 else 0.0))
        start = end
    return out


def since(events: Sequence[float], exposure: Sequence[float], falls: bool = False) -> int | None:
    """The index of the day the last move of the rate began: the last change PELT finds in the
    direction that goes wrong (up; down with ``falls``), taken back over the changes in that
    direction just before it (a staircase is one move); None when no change went that way."""
    found = levels(events, exposure)
    moved = [
        i
        for i in range(1, len(found))
        if found[i][1] != found[i - 1][1] and (found[i][1] < found[i - 1][1]) == falls
    ]
    if not moved:
        return None
    first = moved[-1]
    while first - 1 in moved:
        first -= 1
    return found[first][0]
