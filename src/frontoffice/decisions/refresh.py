"""The worker's scheduled retraining, every ``decisions_refresh_hours`` per workspace: the
predicted traits (``predicted``) written to segments as traits its conditions read
(``{"predicted": "buy_30d", "op": "gte", "value": 0.5}``), and the recommender judged against
popularity on the kept purchases (``recs_eval``). Each run saves a model version of each kind
(``traits``, ``recs``) with its figures and promotes it; when the newest was saved is what
schedules the next run, so a restarted worker keeps the interval.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping
from datetime import datetime, timedelta
from typing import Any, Protocol

import orjson

from frontoffice.decisions import predicted, recs_eval
from frontoffice.decisions.affinity import Interactions
from frontoffice.decisions.intent import Purchase
from frontoffice.decisions.names import RECS, TRAITS
from frontoffice.decisions.ports import Models
from frontoffice.decisions.return_risk import Line
from frontoffice.domain.events import iso
from frontoffice.errors import InvalidInput
from frontoffice.projection.contract import Progress

log = logging.getLogger(__name__)


class History(Interactions, Protocol):
    def purchases(self, ws: str) -> list[Purchase]: ...
    def lines(self, ws: str) -> list[Line]: ...


class PredictedTraits(Protocol):
    """Segments' port for traits another capability computes (``SegmentsStore``)."""

    def write_predicted(self, ws: str, name: str, values: Mapping[str, float], provenance: str,
                        at: str) -> int: ...


def refresh(history: History, traits: PredictedTraits, models: Models, ws: str,
            now: datetime) -> dict[str, Any]:
    """Retrain and write everything now; the two versions saved, with their figures."""
    at = iso(now)
    done, skipped = predicted.predict(history.purchases(ws), history.lines(ws), now)
    version = _save(models, ws, TRAITS, {"traits": {p.name: p.metrics for p in done},
                                         "skipped": skipped}, at)
    for p in done:
        traits.write_predicted(ws, p.name, p.values, f"{TRAITS}:v{version}", at)
    kept, _ = history.kept(ws)
    try:
        figures: dict[str, Any] = recs_eval.evaluate(kept, algorithms=("als", "knn"))
    except InvalidInput as exc:
        figures = {"skipped": str(exc)}
    recs = _save(models, ws, RECS, figures, at)
    return {"traits": {"version": version, "written": [p.name for p in done],
                       "skipped": skipped}, "recs": {"version": recs, **figures}}


def _save(models: Models, ws: str, kind: str, metrics: dict[str, Any], at: str) -> int:
    """A new version, promoted; the one before retired."""
    before = [v.version for v in models.model_versions(ws, kind) if v.status == "promoted"]
    version = models.save_model(ws, kind, orjson.dumps(metrics), metrics, at)
    for old in before:
        models.set_model_status(ws, kind, old, "retired")
    models.set_model_status(ws, kind, version, "promoted")
    return version


class Refresher:
    """The scheduled retraining as the worker's runner drives it: ``due`` says when the next run
    is (the newest ``traits`` version plus the interval), ``catch_up`` runs it when that time has
    come."""

    name = "decisions refresh"
    reads = None  # runs on its schedule

    def __init__(self, history: History, traits: PredictedTraits, models: Models, hours: float,
                 clock: Callable[[], datetime]) -> None:
        self._history, self._traits, self._models = history, traits, models
        self._every, self._clock = timedelta(hours=hours), clock
        self._started = clock()

    def _next(self, ws: str) -> datetime | None:
        """The newest version's time plus the interval; with none yet, one interval after this
        process started (``frontoffice nba refresh`` runs it at once)."""
        if self._every <= timedelta(0):
            return None
        versions = self._models.model_versions(ws, TRAITS)
        last = datetime.fromisoformat(versions[-1].created_at.replace("Z", "+00:00")) \
            if versions else self._started
        return last + self._every

    def catch_up(self, ws: str, on_progress: Progress) -> int:
        when, now = self._next(ws), self._clock()
        if when is None or when > now:
            return 0
        done = refresh(self._history, self._traits, self._models, ws, now)
        log.info("workspace %s: predicted traits v%s and recommender v%s retrained", ws,
                 done["traits"]["version"], done["recs"]["version"])
        return len(done["traits"]["written"]) + 1

    def rebuild(self, ws: str) -> int:
        return 0  # nothing is projected from the log: the next run is the schedule's

    def due(self, ws: str) -> float | None:
        when = self._next(ws)
        if when is None:
            return None
        return time.monotonic() + max(0.0, (when - self._clock()).total_seconds())
