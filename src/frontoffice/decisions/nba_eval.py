"""``nba evaluate``: off-policy estimates of candidate policies on logged bandit data.

The file (CSV or Parquet) has one row per logged round: ``action``, ``reward``, ``propensity``
(the logging policy's probability of that action), optionally ``actions`` (the actions available,
separated by ``|``; default every action seen) and any other columns as context features.

The rounds are split in time order: the first half trains a Vowpal Wabbit ``cb_explore_adf``
policy and the reward model of DR (each action's mean reward, shrunk towards the overall mean);
the second half is where every policy is estimated: the logging policy, uniform random, and the
trained bandit's greedy choice and its exploring policy (IPS, SNIPS, DR with 95% intervals).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from frontoffice.decisions import ope
from frontoffice.decisions.bandit import Bandit
from frontoffice.errors import InvalidInput

SHRINK = 5.0  # rounds of prior towards the overall mean in the reward model
Policy = Callable[["Round"], Mapping[str, float]]  # the probability of each available action


@dataclass(frozen=True, slots=True)
class Round:
    context: dict[str, str]
    actions: list[str]
    action: str
    reward: float
    propensity: float


def read_rounds(path: Path) -> list[Round]:
    try:
        table = pq.read_table(path) if path.suffix in (".parquet", ".pq") else pacsv.read_csv(path)
    except Exception as exc:  # pyarrow raises several kinds for an unreadable file
        raise InvalidInput(f"{path} is not a readable CSV or Parquet file: {exc}") from exc
    missing = {"action", "reward", "propensity"} - set(table.column_names)
    if missing:
        raise InvalidInput(f"{path} lacks column(s) {', '.join(sorted(missing))}; logged bandit "
                           "data has action, reward, propensity (and context columns).")
    data = table.to_pydict()
    every = sorted({str(a) for a in data["action"]})
    context_cols = [c for c in table.column_names
                    if c not in ("action", "reward", "propensity", "actions")]
    rounds = []
    for i in range(table.num_rows):
        p = float(data["propensity"][i])
        if not 0 < p <= 1:
            raise InvalidInput(f"Row {i + 1}: propensity {p} is not in (0, 1].")
        listed = data["actions"][i].split("|") if "actions" in data else every
        rounds.append(Round({c: str(data[c][i]) for c in context_cols}, listed,
                            str(data["action"][i]), float(data["reward"][i]), p))
    return rounds


def _features(r: Round) -> tuple[dict[str, str | float], list[dict[str, str | float]]]:
    return dict(r.context), [{"id": a} for a in r.actions]


def _reward_model(train: Sequence[Round]) -> Callable[[str], float]:
    total = sum(r.reward for r in train) / len(train) if train else 0.0
    sums: dict[str, float] = defaultdict(float)
    counts: dict[str, int] = defaultdict(int)
    for r in train:
        sums[r.action] += r.reward
        counts[r.action] += 1
    return lambda a: (sums[a] + SHRINK * total) / (counts[a] + SHRINK)


def estimate(rounds: Sequence[Round], policy: Policy, q: Callable[[str], float]
             ) -> dict[str, dict[str, float]]:
    probs = [policy(r) for r in rounds]
    rewards = [r.reward for r in rounds]
    mu = [r.propensity for r in rounds]
    pi = [p.get(r.action, 0.0) for p, r in zip(probs, rounds, strict=True)]
    q_logged = [q(r.action) for r in rounds]
    q_target = [sum(p[a] * q(a) for a in r.actions) for p, r in zip(probs, rounds, strict=True)]
    return {"ips": ope.ips(rewards, mu, pi).as_dict(),
            "snips": ope.snips(rewards, mu, pi).as_dict(),
            "dr": ope.dr(rewards, mu, pi, q_logged, q_target).as_dict()}


def evaluate(rounds: Sequence[Round], epsilon: float = 0.1) -> dict[str, Any]:
    if len(rounds) < 10:
        raise InvalidInput("Off-policy evaluation needs at least 10 logged rounds.")
    half = len(rounds) // 2
    train, test = rounds[:half], rounds[half:]
    q = _reward_model(train)
    bandit = Bandit(epsilon=epsilon)
    try:
        for r in train:
            shared, actions = _features(r)
            if r.action in r.actions:
                bandit.learn(shared, actions, r.actions.index(r.action), r.reward, r.propensity)

        def exploring(r: Round) -> dict[str, float]:
            shared, actions = _features(r)
            return dict(zip(r.actions, bandit.pmf(shared, actions), strict=True))

        def greedy(r: Round) -> dict[str, float]:
            pmf = exploring(r)
            best = max(r.actions, key=lambda a: (pmf[a], a))
            return {a: float(a == best) for a in r.actions}

        def logging(r: Round) -> dict[str, float]:
            return {r.action: r.propensity}  # only the logged action's probability is known

        def uniform(r: Round) -> dict[str, float]:
            return {a: 1 / len(r.actions) for a in r.actions}

        policies: dict[str, Policy] = {"bandit (explore)": exploring, "bandit (greedy)": greedy,
                                       "uniform": uniform}
        out = {name: estimate(test, policy, q) for name, policy in policies.items()}
    finally:
        bandit.close()
    on_policy = ope.ips([r.reward for r in test], [r.propensity for r in test],
                        [logging(r)[r.action] for r in test]).as_dict()
    out["logging"] = {"ips": on_policy, "snips": on_policy, "dr": on_policy}
    return {"rounds": len(rounds), "train": len(train), "evaluated": len(test),
            "policies": out}
