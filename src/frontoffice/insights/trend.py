"""A daily (or hourly) rate drawn as an SVG polyline (server-side, no script): the points, the
recent window shaded and the day each flag says its shift began marked. Pure."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

WIDTH, HEIGHT, PAD = 640, 180, 24


@dataclass(frozen=True, slots=True)
class Trend:
    width: int
    height: int
    points: str  # "x,y x,y ..." for <polyline>
    marker_x: float | None  # the flag's "since" day
    window_x: float | None  # where the recent window starts
    top: float  # the highest rate drawn (the y axis' top)
    first: str
    last: str
    marks: tuple[float, ...] = ()  # every flag's "since" day drawn (a dashboard's headline trend)


def draw(
    series: Sequence[Mapping[str, Any]],
    since: str | None,
    window_start: str | None,
    marked: Sequence[str] = (),
) -> Trend:
    """The series from its first day (or hour) with data: the days before it are not drawn."""
    first = next((i for i, p in enumerate(series) if p.get("value") or p.get("exposure")), 0)
    series = series[min(first, max(0, len(series) - 2)) :]
    # a rate is drawn where it has an exposure (a day or an hour with nothing to count is a gap
    # the line crosses, not a zero); a plain metric everywhere
    values: list[float | None] = [
        float(p["rate"])
        if p.get("rate") is not None
        else None
        if p.get("exposure") is not None
        else float(p["value"])
        for p in series
    ]
    top = max((v for v in values if v is not None), default=0.0) or 1.0
    step = (WIDTH - 2 * PAD) / max(1, len(values) - 1)

    def x(i: int) -> float:
        return round(PAD + i * step, 1)

    points = " ".join(
        f"{x(i)},{round(HEIGHT - PAD - v / top * (HEIGHT - 2 * PAD), 1)}"
        for i, v in enumerate(values)
        if v is not None
    )
    days = [p.get("day") or p["hour"] for p in series]  # a daily series, or an hourly one
    return Trend(
        WIDTH,
        HEIGHT,
        points,
        x(days.index(since)) if since in days else None,
        x(days.index(window_start)) if window_start in days else None,
        top,
        days[0] if days else "",
        days[-1] if days else "",
        tuple(x(days.index(d)) for d in sorted(set(marked)) if d in days),
    )
