"""The return-risk model learns from who returns what, beats the overall rate, and is calibrated
(its predicted return rate per decile is close to the observed one on later orders)."""

from __future__ import annotations

import random

import pytest

from frontoffice.decisions.return_risk import Line, evaluate, features
from frontoffice.errors import InvalidInput


def _lines(n: int = 4000, seed: int = 4) -> list[Line]:
    """Serial returners (a fifth of people) and two badly fitting products."""
    rng = random.Random(seed)
    out = []
    for i in range(n):
        person = rng.randrange(300)
        product = rng.randrange(20)
        risk = 1 - (1 - (0.6 if person % 5 == 0 else 0.1)) * (1 - (0.5 if product < 2 else 0.05))
        out.append(Line(f"c{person}", f"p{product}", f"s{product % 4}", "dresses",
                        rng.choice("SML"), rng.random() < risk, f"2026-01-01T{i:06d}"))
    return out


def test_the_model_beats_the_overall_rate_and_is_calibrated() -> None:
    report = evaluate(_lines())
    assert report["brier"] < report["brier_baseline"] and report["auc"] > 0.7
    assert report["coefficients"]["person_return_rate"] > 0
    assert report["coefficients"]["product_return_rate"] > 0
    assert report["ece"] < 0.08  # mean gap between predicted and observed rate per decile
    assert len(report["reliability"]) == 10


def test_features_know_only_the_lines_bought_before() -> None:
    lines = [Line("a", "p", "s", "c", "M", False, "1"), Line("a", "p", "s", "c", "M", True, "2"),
             Line("a", "p", "s", "c", "L", False, "3")]
    rows = features(lines)
    assert rows[0][0] > rows[1][0]  # the prior, then lowered by a kept line
    assert rows[2][0] > rows[1][0]  # raised by the return
    assert [r[3] for r in rows] == [0.5, 1.0, 0.0]  # size M kept first; L is another size


def test_too_few_lines_are_refused_with_the_count() -> None:
    with pytest.raises(InvalidInput, match="at least 50 bought lines; the workspace has 3"):
        evaluate(_lines(3))
