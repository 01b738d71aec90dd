"""Next-best-action acceptance on fakes: what counts as shown and accepted, the decisions read
page by page from the decisions' log, and a falling acceptance flagged (a rising one is not)."""

from __future__ import annotations

from datetime import date, timedelta

from frontoffice.decisions.ports import LoggedDecision, Outcome
from frontoffice.insights import acceptance, service
from frontoffice.insights.detect import detect
from frontoffice.insights.rates import Series, Windows
from tests.fakes.decisions import FakeDecisionsStore
from tests.fakes.insights import FakeInsights


def decision(i: str, at: str, chosen: list[str]) -> LoggedDecision:
    return LoggedDecision(i, f"p-{i}", "email", "newsletter", at, "rules", chosen, {})


def test_an_action_is_accepted_on_a_click_or_a_purchase_once_and_never_on_a_dismissal() -> None:
    facts = acceptance.facts(
        [decision("d1", "2026-09-14T10:00:00Z", ["dress", "coat", "dress"])],
        [Outcome("o1", "d1", "dress", "click", 1.0, "2026-09-14T11:00:00Z", "api"),
         Outcome("o2", "d1", "dress", "purchase", 1.0, "2026-09-14T12:00:00Z", "api"),
         Outcome("o3", "d1", "coat", "dismissed", 0.0, "2026-09-14T12:00:00Z", "api")])
    assert sorted((f.metric, dict(f.slices)["action"]) for f in facts) == [
        ("nba_accepted", "dress"), ("nba_shown", "coat"), ("nba_shown", "dress")]
    assert dict(facts[0].slices)["placement"] == "newsletter" and facts[0].day == "2026-09-14"


def test_decisions_made_at_one_instant_are_never_split_between_pages() -> None:
    log, ins = FakeDecisionsStore(), FakeInsights({})
    for i, at in (("a", "T09"), ("b", "T10"), ("c", "T10"), ("d", "T11"), ("e", "T12"), ("x", "T13")):
        day = "2026-09-15" if i == "x" else "2026-09-14"  # x: after the days asked for
        log.log("w1", decision(i, f"{day}{at}:00:00.000Z", ["dress"]))
    log.log("w1", decision("old", "2026-09-13T23:59:59.000Z", ["dress"]))
    counted = acceptance.sync(ins, log, "w1", "2026-09-14", 1, size=2)
    (point,) = service.daily(ins, "w1", "nba_acceptance_rate", "all", "all", "2026-09-14", 1)
    assert counted == 5 and point["exposure"] == 5 and point["rate"] == 0.0


def shown_and_taken(taken: dict[str, list[int]], shown: int = 50) -> Series:
    """``shown`` decisions a day per action over 14 days ending 2026-10-11, ``taken`` accepted."""
    out: dict[tuple[str, str, str], dict[str, tuple[int, float, list[str]]]] = {}
    days = [(date(2026, 10, 11) - timedelta(days=i)).isoformat() for i in range(13, -1, -1)]
    for action, daily in taken.items():
        for day, accepted in zip(days, daily, strict=True):
            ids = [f"decision:{action}-{day}-{i}" for i in range(shown)]
            for metric, count in (("nba_shown", shown), ("nba_accepted", accepted)):
                for key in ((metric, "action", action), (metric, "all", "all")):
                    n, total, evidence = out.setdefault(key, {}).get(day, (0, 0.0, []))
                    out[key][day] = (n + count, total + count, [*evidence, *ids[:count]])
    return out


def test_an_actions_acceptance_falling_is_flagged_and_rising_is_not() -> None:
    data = shown_and_taken({"dress": [10] * 7 + [10, 10, 1, 0, 1, 0, 1], "coat": [10] * 7 + [30] * 7,
                            "scarf": [10] * 14})
    found = [f for f in detect(data, "2026-10-11", Windows(7, 7)) if f.metric == "nba_acceptance_rate"]
    assert [(f.dimension, f.slice) for f in found] == [("action", "dress")]
    (dress,) = found
    assert [c["against"] for c in dress.comparisons] == ["history"]  # never its peers: see detect
    assert all(c["direction"] == "down" and c["ratio"] >= 1.5 for c in dress.comparisons)
    assert dress.since == "2026-10-07"  # the day it fell
    assert dress.evidence[0].startswith("decision:dress-2026-10-11")  # the decisions shown, newest first
