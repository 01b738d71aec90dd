"""Predicted traits (buy in 30 days, churn in 90) on a time-based holdout, against the
recency/frequency baseline."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import pytest

from frontoffice.decisions.intent import Purchase, evaluate, snapshot
from frontoffice.errors import InvalidInput

START = datetime(2025, 1, 1, tzinfo=UTC)


def _history(people: int = 400, days: int = 360, seed: int = 3) -> list[Purchase]:
    """Each person buys at their own hidden rate (big spenders more often) until the day they
    stop (churn), spread evenly over twice the history, so half stop within it."""
    rng = random.Random(seed)
    out = []
    for n in range(people):
        rate = rng.choice((0.005, 0.02, 0.06))
        stops = min(days, rng.randrange(2 * days))
        basket = 20 + 400 * rate * rng.random()
        out += [Purchase(f"c{n}", START + timedelta(days=d), basket)
                for d in range(stops) if rng.random() < rate]
    return out


def test_the_snapshot_describes_people_by_what_they_did_before_the_cutoff() -> None:
    buys = [Purchase("a", START, 10.0), Purchase("a", START + timedelta(days=10), 30.0),
            Purchase("b", START + timedelta(days=25), 5.0)]
    people, x, y = snapshot(buys, START + timedelta(days=20), 30)
    assert people == ["a"] and y.tolist() == [0]  # b's order is after the cutoff, a's before
    assert x.tolist() == [[10.0, 2.0, 40.0, 20.0]]  # recency, frequency, monetary, tenure


@pytest.mark.parametrize("trait", ["buy_30d", "churn_90d"])
def test_each_trait_is_judged_on_a_later_cutoff_and_matches_the_recency_frequency_baseline(
        trait: str) -> None:
    report = evaluate(_history(), trait)
    assert report["auc"] > 0.7
    assert report["auc"] >= report["auc_recency_frequency"] - 0.02


def test_a_history_too_short_for_both_outcomes_is_refused() -> None:
    with pytest.raises(InvalidInput, match="too short"):
        evaluate([Purchase("a", START, 1.0), Purchase("a", START + timedelta(days=70), 1.0)],
                 "buy_30d")
