"""Arbitration: order the eligible actions. With a promoted bandit version, its exploration
policy draws the first slot (the logged propensity is that draw's probability); without one, the
expected kept value orders them (propensity 1: a deterministic policy)."""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from frontoffice.decisions.bandit import Bandit, Features
from frontoffice.decisions.names import BANDIT, RETURNS
from frontoffice.decisions.ports import Models
from frontoffice.decisions.return_risk import ReturnModel

RULES_VERSION = "rules:expected-kept-value"
PROMOTED_TTL_S = 2.0


@dataclass(frozen=True, slots=True)
class Ranked:
    order: list[int]  # indexes into the eligible actions, best first
    pmf: list[float]  # the policy's probability of each eligible action for the first slot
    propensity: float  # probability of the action in the first slot
    model_version: str


def promoted(models: Models, ws: str, kind: str) -> int | None:
    return next((v.version for v in models.model_versions(ws, kind) if v.status == "promoted"),
                None)


class Arbiter:
    """One per process: the promoted bandit and return-risk model of each workspace, loaded once
    per version (which version is promoted is read again every ``PROMOTED_TTL_S``)."""

    def __init__(self, models_for: Callable[[str], Models]) -> None:
        self._models_for = models_for
        self._lock = threading.Lock()
        self._loaded: dict[tuple[str, str], tuple[int, Any]] = {}
        self._checked: dict[tuple[str, str], tuple[float, int | None]] = {}

    def _promoted(self, ws: str, kind: str, load: Callable[[bytes], Any]) -> tuple[int, Any] | None:
        now, key = time.monotonic(), (ws, kind)
        with self._lock:
            checked = self._checked.get(key)
        if checked is None or now - checked[0] > PROMOTED_TTL_S:
            checked = (now, promoted(self._models_for(ws), ws, kind))
            with self._lock:
                self._checked[key] = checked
        version = checked[1]
        if version is None:
            return None
        with self._lock:
            loaded = self._loaded.get(key)
        if loaded is None or loaded[0] != version:
            blob = self._models_for(ws).model_blob(ws, kind, version)
            if blob is None:
                return None
            loaded = (version, load(blob))
            with self._lock:
                self._loaded[key] = loaded
        return loaded

    def bandit(self, ws: str) -> tuple[int, Bandit] | None:
        return self._promoted(ws, BANDIT, Bandit)

    def returns(self, ws: str) -> tuple[int, ReturnModel] | None:
        return self._promoted(ws, RETURNS, ReturnModel.from_json)

    def forget(self, ws: str) -> None:
        """A version was promoted or rolled back: read it again on the next decision."""
        with self._lock:
            for key in [k for k in self._checked if k[0] == ws]:
                self._checked.pop(key)

    def rank(self, ws: str, shared: Features, actions: Sequence[Features],
             values: Sequence[float], seed: str) -> Ranked:
        by_value = sorted(range(len(actions)), key=lambda i: (-values[i], i))
        if not actions:
            return Ranked([], [], 1.0, RULES_VERSION)
        found = self.bandit(ws)
        if found is None:
            pmf = [1.0 if i == by_value[0] else 0.0 for i in range(len(actions))]
            return Ranked(by_value, pmf, 1.0, RULES_VERSION)
        version, model = found
        pmf = model.pmf(shared, actions)
        first = random.Random(seed).choices(range(len(actions)), weights=pmf)[0]
        rest = sorted((i for i in range(len(actions)) if i != first),
                      key=lambda i: (-pmf[i], -values[i], i))
        return Ranked([first, *rest], pmf, pmf[first], f"{BANDIT}:v{version}")
