"""The off-policy estimators against a hand-computed case and an independent reference written
as plain loops from the textbook definitions (Dudík et al. 2011; Swaminathan & Joachims 2015)."""

from __future__ import annotations

import math
import random
from pathlib import Path

import pytest

from frontoffice.decisions import nba_eval, ope

# (logged action, reward, logging probability); the target policy always plays action 0
ROUNDS = [(0, 1.0, 0.5), (1, 0.0, 0.5), (0, 0.0, 0.25), (1, 1.0, 0.75)]


def test_ips_snips_and_dr_match_the_hand_computed_case() -> None:
    rewards = [r for _, r, _ in ROUNDS]
    mu = [p for _, _, p in ROUNDS]
    pi = [1.0 if a == 0 else 0.0 for a, _, _ in ROUNDS]
    found = ope.ips(rewards, mu, pi)
    assert found.value == pytest.approx(0.5)  # (2·1 + 0 + 4·0 + 0) / 4
    assert found.se == pytest.approx(0.5)  # sd of (2, 0, 0, 0) is 1
    assert (found.low, found.high) == pytest.approx((0.5 - 1.96 * 0.5, 0.5 + 1.96 * 0.5), abs=1e-3)
    assert ope.snips(rewards, mu, pi).value == pytest.approx(2 / 6)  # sum w·r / sum w
    q = [0.5, 0.5, 0.5, 0.5]  # a flat reward model: DR = 0.5 + mean(w·(r − 0.5))
    assert ope.dr(rewards, mu, pi, q, [0.5] * 4).value == pytest.approx(0.25)  # (1.5+.5−1.5+.5)/4


def _reference(rows: list[tuple[float, float, float, float, float]]) -> tuple[float, float, float]:
    """IPS, SNIPS, DR by loops: rows of (reward, mu, pi, q(x, a_i), sum_a pi q)."""
    ips_sum = weight_sum = dr_sum = 0.0
    for reward, mu, pi, q_a, q_pi in rows:
        weight = pi / mu
        ips_sum += weight * reward
        weight_sum += weight
        dr_sum += q_pi + weight * (reward - q_a)
    n = len(rows)
    return ips_sum / n, ips_sum / weight_sum, dr_sum / n


def test_the_estimators_agree_with_the_reference_loops_on_random_logs() -> None:
    rng = random.Random(3)
    rows = [(float(rng.random() < 0.3), rng.uniform(0.05, 1), rng.random(), rng.random(),
             rng.random()) for _ in range(500)]
    r, mu, pi, q_a, q_pi = (list(col) for col in zip(*rows, strict=True))
    ips, snips, dr = _reference(rows)
    assert ope.ips(r, mu, pi).value == pytest.approx(ips)
    assert ope.snips(r, mu, pi).value == pytest.approx(snips)
    assert ope.dr(r, mu, pi, q_a, q_pi).value == pytest.approx(dr)


def test_the_interval_covers_the_true_value_of_a_known_policy(tmp_path: Path) -> None:
    """Logged uniformly over two actions; 'b' pays 0.8 of the time, 'a' 0.2 (in context x=1,
    the reverse). The greedy bandit trained on the first half should find the better action in
    each context: its estimated value is near 0.8 and far above uniform's 0.5."""
    rng = random.Random(5)
    lines = ["x,action,reward,propensity"]
    for _ in range(1200):
        x, action = rng.choice("01"), rng.choice("ab")
        best = "b" if x == "0" else "a"
        lines.append(f"{x},{action},{int(rng.random() < (0.8 if action == best else 0.2))},0.5")
    path = tmp_path / "logged.csv"
    path.write_text("\n".join(lines))
    report = nba_eval.evaluate(nba_eval.read_rounds(path))
    greedy = report["policies"]["bandit (greedy)"]
    uniform = report["policies"]["uniform"]["snips"]
    assert greedy["snips"]["ci_low"] <= 0.8 <= greedy["snips"]["ci_high"]
    assert greedy["dr"]["value"] > uniform["ci_high"]
    assert uniform["ci_low"] <= 0.5 <= uniform["ci_high"]
    assert math.isclose(report["policies"]["logging"]["ips"]["value"], uniform["value"], abs_tol=0.05)
