"""Horizontal bar charts for inline SVG: one bar per labelled value, scaled to the largest, laid
out on the server (no script) with the numbers written beside the bars."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

LABEL_W, BAR_W, ROW_H, BAR_H = 260, 360, 24, 16


@dataclass(frozen=True, slots=True)
class Bar:
    label: str
    value: float
    shown: str
    y: int
    width: int
    other: bool  # drawn in the second colour (the second series)


@dataclass(frozen=True, slots=True)
class Chart:
    bars: list[Bar]
    width: int
    height: int
    label_w: int = LABEL_W
    bar_h: int = BAR_H


def bars(rows: Sequence[tuple[str, float, str]], other: Sequence[bool] = ()) -> Chart:
    """``rows`` are ``(label, value, value as written)``; ``other[i]`` marks a second series."""
    top = max((v for _, v, _ in rows), default=0) or 1
    drawn = [Bar(label, value, shown, i * ROW_H + 4, max(1, round(BAR_W * value / top)) if value else 0,
                 bool(other[i]) if i < len(other) else False)
             for i, (label, value, shown) in enumerate(rows)]
    return Chart(drawn, LABEL_W + BAR_W + 80, max(1, len(rows)) * ROW_H + 8)
