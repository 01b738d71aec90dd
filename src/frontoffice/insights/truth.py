"""The seeded incidents' ground truth (which orders, returns, tickets, shipments and listings each
made, and when it began) and the flags scored against it: precision, recall and what each found."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


@dataclass
class Incident:
    name: str
    began: datetime | None = None
    ids: set[str] = field(default_factory=set)

    def saw(self, at: datetime, *refs: str) -> None:
        self.began = min(self.began or at, at)
        self.ids.update(refs)


@dataclass
class Truth:
    incidents: dict[str, Incident]
    last_day: str


@dataclass(frozen=True, slots=True)
class Score:
    """The flags against the truth: a flag is right when most of its evidence is one incident's;
    an incident is found when a right flag points at it."""

    flags: int
    right: int
    found: dict[str, list[str]]  # incident -> the flag ids that found it
    wrong: list[str]  # flag ids whose evidence is no incident's

    @property
    def precision(self) -> float:
        return self.right / self.flags if self.flags else 1.0

    def recall(self, truth: Truth) -> float:
        return len(self.found) / len(truth.incidents)


def score(flags: list[dict[str, Any]], truth: Truth) -> Score:
    found: dict[str, list[str]] = {}
    wrong = []
    for f in flags:
        evidence = set(f["evidence"])
        overlap = {name: len(evidence & i.ids) for name, i in truth.incidents.items()}
        best = max(overlap, key=lambda name: overlap[name])
        if evidence and 2 * overlap[best] >= len(evidence):
            found.setdefault(best, []).append(f["flag_id"])
        else:
            wrong.append(f["flag_id"])
    return Score(len(flags), len(flags) - len(wrong), found, wrong)
