"""Next-best-action acceptance on fakes: what counts as shown and accepted, and the decisions
read page by page from the decisions' log."""

from __future__ import annotations

from frontoffice.decisions.ports import LoggedDecision, Outcome
from frontoffice.insights import acceptance, service
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
