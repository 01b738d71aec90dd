"""The flags' life on fakes: one open flag per metric and slice however often the detector runs,
an acknowledged flag back only for a shift that began after it, a snoozed one once its snooze is
over; each change is an ``insight.*`` event the flags are folded from."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from frontoffice.errors import InvalidInput, NotFound
from frontoffice.insights import queues, service
from tests.fakes.insights import FakeInsights, FakeTasks
from tests.unit.insights.test_insights_rules import WEEKDAYS, series

NOW = datetime(2026, 10, 12, 6, 0, tzinfo=UTC)
SHIFTED = WEEKDAYS * 4 + [0.04, 0.04, 0.04, 0.20, 0.20, 0.30, 0.30]
CALM = WEEKDAYS * 5


def supplier_a(found: list[dict[str, object]]) -> str:
    return next(str(f["flag_id"]) for f in found if f["metric"] == "return_rate" and f["slice"] == "A")


def test_one_open_flag_per_metric_and_slice_however_often_the_detector_runs() -> None:
    ins = FakeInsights(series({"A": SHIFTED, "B": CALM, "C": CALM}))
    first = service.run(ins, "ws", NOW)
    again = service.run(ins, "ws", NOW + timedelta(hours=1))
    assert first.raised and again.raised == []
    assert [r.type for r in ins.log.values()] == ["insight.flagged"] * len(first.raised)
    flag = ins.flag("ws", supplier_a(first.findings))
    assert flag is not None and flag["status"] == "open" and flag["since"] == "2026-10-08"


def test_an_acknowledged_flag_comes_back_only_for_a_shift_that_began_after_it() -> None:
    ins = FakeInsights(series({"A": SHIFTED, "B": CALM, "C": CALM}))
    flag_id = supplier_a(service.run(ins, "ws", NOW).findings)
    assert service.acknowledge(ins, "ws", flag_id, "lead", NOW)["status"] == "acknowledged"
    assert flag_id not in service.run(ins, "ws", NOW + timedelta(hours=1)).raised  # the same shift
    ins.series = series(
        {"A": SHIFTED, "B": CALM, "C": CALM}, end="2026-10-25"
    )  # a second shift, two weeks on
    assert flag_id in service.run(ins, "ws", NOW + timedelta(days=14)).raised
    assert ins.flag("ws", flag_id)["status"] == "open"  # type: ignore[index]


def test_a_snoozed_flag_comes_back_once_its_snooze_is_over() -> None:
    ins = FakeInsights(series({"A": SHIFTED, "B": CALM, "C": CALM}))
    flag_id = supplier_a(service.run(ins, "ws", NOW).findings)
    snoozed = service.snooze(ins, "ws", flag_id, 24, "lead", NOW)
    assert snoozed["status"] == "snoozed" and snoozed["snoozed_until"].startswith("2026-10-13T06:00")
    assert flag_id not in service.run(ins, "ws", NOW + timedelta(hours=23)).raised
    assert flag_id in service.run(ins, "ws", NOW + timedelta(hours=25)).raised


def test_an_unknown_flag_or_a_snooze_out_of_bounds_says_what_to_do() -> None:
    ins = FakeInsights(series({"A": CALM, "B": CALM}))
    with pytest.raises(NotFound, match="frontoffice insights flags"):
        service.acknowledge(ins, "ws", "nope", "lead", NOW)
    with pytest.raises(InvalidInput, match="at most 2160 hours"):
        service.snooze(ins, "ws", "nope", 5000, "lead", NOW)


def test_a_new_flag_opens_one_task_in_its_queue_and_neither_a_repeat_nor_a_snooze_opens_another() -> None:
    ins, tasks = FakeInsights(series({"A": SHIFTED, "B": CALM, "C": CALM})), FakeTasks()
    first = service.run(ins, "ws", NOW, tasks=tasks)
    flag_id = supplier_a(first.findings)
    flag = ins.flag("ws", flag_id)
    assert flag is not None and len(tasks.opened) == len(first.raised)
    (task,) = [t for t in tasks.opened.values() if t["id"] == flag["task"]["task_id"]]
    assert task["team"] == flag["task"]["team"] == "merchandising" and task["tags"] == ["insight"]
    assert flag["summary"] in task["text"] and f"/console/w/ws/insights/{flag_id}" in task["text"]
    service.run(ins, "ws", NOW + timedelta(hours=1), tasks=tasks)  # the same findings: no new flag
    service.snooze(ins, "ws", flag_id, 24, "lead", NOW)
    assert flag_id in service.run(ins, "ws", NOW + timedelta(hours=25), tasks=tasks).raised  # snooze over
    assert len(tasks.opened) == len(first.raised)  # the same episode: its task is still the one
    service.acknowledge(ins, "ws", flag_id, "lead", NOW + timedelta(days=1))
    ins.series = series({"A": SHIFTED, "B": CALM, "C": CALM}, end="2026-10-25")  # a new shift
    service.run(ins, "ws", NOW + timedelta(days=14), tasks=tasks)
    assert ins.flag("ws", flag_id)["task"]["task_id"] != task["id"]  # type: ignore[index]


def flag_of(dimension: str, slice_: str, metric: str = "return_rate") -> dict[str, object]:
    return {"dimension": dimension, "slice": slice_, "metric": metric}


def test_a_flags_task_goes_to_the_team_that_can_act_on_it() -> None:
    teams = {"ben": "eu"}.get
    assert queues.queue(flag_of("supplier", "SUP-A"), teams) == ("merchandising", ())
    assert queues.queue(flag_of("product", "P3", "price_conflict"), teams) == ("merchandising", ())
    assert queues.queue(flag_of("agent", "ben", "sla_breach_rate"), teams) == ("eu", ("lead",))
    assert queues.queue(flag_of("agent", "new", "sla_breach_rate"), teams) == ("service", ("lead",))
    assert queues.queue(flag_of("team", "apac", "low_csat_rate"), teams) == ("apac", ("lead",))
    assert queues.queue(flag_of("store", "ST2", "late_delivery_rate"), teams) == ("store-ops", ())
    assert queues.queue(flag_of("channel", "chat", "sla_miss_rate"), teams) == ("service", ())
    assert queues.queue(flag_of("all", "all", "failed_delivery_rate"), teams) == ("store-ops", ())
    assert queues.queue(flag_of("action", "a1", "nba_acceptance_rate"), teams) == ("marketing", ())
