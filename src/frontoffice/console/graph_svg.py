"""The identity graph of one person laid out for an inline SVG: records in the left column,
identifiers in the right, a line for each identifier a record carries. Deterministic (records
by time, identifiers by kind and value) so the same person always draws the same picture."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

ROW = 44
TOP = 30
RECORD_X, IDENTIFIER_X = 16, 430
BOX_W, BOX_H = 300, 32
WIDTH = IDENTIFIER_X + BOX_W + 16


@dataclass(frozen=True, slots=True)
class Box:
    id: str
    x: int
    y: int
    label: str
    detail: str
    kind: str  # "record" or "identifier"
    merges: bool  # an identifier used to merge


@dataclass(frozen=True, slots=True)
class Line:
    x1: int
    y1: int
    x2: int
    y2: int
    label: str
    merges: bool


@dataclass(frozen=True, slots=True)
class Drawing:
    boxes: list[Box]
    lines: list[Line]
    width: int
    height: int


def layout(graph: dict[str, Any], source_names: dict[str, str]) -> Drawing:
    records = sorted((n for n in graph["nodes"] if n["type"] == "record"),
                     key=lambda n: (n["observed_at"], n["id"]))
    identifiers = sorted((n for n in graph["nodes"] if n["type"] == "identifier"),
                         key=lambda n: (n["kind"], n["value"]))
    boxes: dict[str, Box] = {}
    for i, n in enumerate(records):
        source = source_names.get(n["source_id"], n["source_id"])
        boxes[n["id"]] = Box(n["id"], RECORD_X, TOP + i * ROW, n["id"].rpartition(":")[2],
                             f"{source} · {n['observed_at'][:16].replace('T', ' ')}", "record", False)
    carriers = Counter(e["to"] for e in graph["edges"])
    for i, n in enumerate(identifiers):  # it merged records when two or more carry it
        boxes[n["id"]] = Box(n["id"], IDENTIFIER_X, TOP + i * ROW, n["value"], n["kind"], "identifier",
                             bool(n["used_to_merge"]) and carriers[n["id"]] > 1)
    lines = []
    for e in graph["edges"]:
        a, b = boxes.get(e["from"]), boxes.get(e["to"])
        if a is None or b is None:
            continue
        lines.append(Line(a.x + BOX_W, a.y + BOX_H // 2, b.x, b.y + BOX_H // 2,
                          f"{a.label} → {b.detail} {b.label}", b.merges))
    height = TOP + max(len(records), len(identifiers), 1) * ROW
    return Drawing(list(boxes.values()), lines, WIDTH, height)
