"""The worker's schedule of predicted traits and the recommender: one interval after the worker
starts, then one interval after the newest version saved; 0 never."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime, timedelta

from frontoffice.decisions.intent import Purchase
from frontoffice.decisions.recs import Interaction
from frontoffice.decisions.refresh import Refresher
from frontoffice.decisions.return_risk import Line
from tests.fakes.decisions import FakeDecisionsStore

T0 = datetime(2026, 3, 1, 12, tzinfo=UTC)


class NoHistory:
    def kept(self, ws: str) -> tuple[list[Interaction], dict[str, set[str]]]:
        return [], {}

    def purchases(self, ws: str) -> list[Purchase]:
        return []

    def lines(self, ws: str) -> list[Line]:
        return []


class Written:
    def __init__(self) -> None:
        self.traits: dict[str, Mapping[str, float]] = {}

    def write_predicted(self, ws: str, name: str, values: Mapping[str, float], provenance: str,
                        at: str) -> int:
        self.traits[name] = values
        return len(values)


def test_retraining_runs_an_interval_after_start_then_after_the_newest_version() -> None:
    clock = [T0]
    models = FakeDecisionsStore()
    job = Refresher(NoHistory(), Written(), models, 24, lambda: clock[0])
    assert job.catch_up("ws", lambda n: None) == 0
    clock[0] = T0 + timedelta(hours=25)
    assert job.catch_up("ws", lambda n: None) == 1
    [traits] = models.model_versions("ws", "traits")
    assert traits.status == "promoted" and "buy_30d" in traits.metrics["skipped"]
    assert models.model_versions("ws", "recs")[0].metrics["skipped"].startswith("No user")
    clock[0] = T0 + timedelta(hours=48)
    assert job.catch_up("ws", lambda n: None) == 0  # the next run is 24 h after the 25th hour
    clock[0] = T0 + timedelta(hours=49)
    assert job.catch_up("ws", lambda n: None) == 1
    assert [v.status for v in models.model_versions("ws", "traits")] == ["retired", "promoted"]


def test_an_interval_of_zero_never_retrains() -> None:
    job = Refresher(NoHistory(), Written(), FakeDecisionsStore(), 0, lambda: T0)
    assert job.due("ws") is None and job.catch_up("ws", lambda n: None) == 0
