"""Off-policy estimators: how much reward would a target policy have earned on data logged by
another (the logging policy, whose probability of each logged action is known)?

For n logged rounds with reward r_i, logged action a_i and its logging probability mu_i, a target
policy pi and a reward model q(x, a):

- IPS   mean_i( w_i r_i )                      w_i = pi(a_i | x_i) / mu_i
- SNIPS sum_i( w_i r_i ) / sum_i( w_i )
- DR    mean_i( sum_a pi(a | x_i) q(x_i, a) + w_i (r_i - q(x_i, a_i)) )

Each comes with a normal 95% confidence interval from its per-round terms (SNIPS by the delta
method: terms w_i (r_i - SNIPS) / mean(w)).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

Z95 = 1.959963984540054


@dataclass(frozen=True, slots=True)
class Estimate:
    value: float
    se: float

    @property
    def low(self) -> float:
        return self.value - Z95 * self.se

    @property
    def high(self) -> float:
        return self.value + Z95 * self.se

    def as_dict(self) -> dict[str, float]:
        return {"value": round(self.value, 6), "ci_low": round(self.low, 6),
                "ci_high": round(self.high, 6), "se": round(self.se, 6)}


def _mean(terms: np.ndarray) -> Estimate:
    n = len(terms)
    se = float(np.std(terms, ddof=1) / np.sqrt(n)) if n > 1 else 0.0
    return Estimate(float(np.mean(terms)), se)


def ips(rewards: Sequence[float], logging: Sequence[float], target: Sequence[float]) -> Estimate:
    r, mu, pi = (np.asarray(x, dtype=float) for x in (rewards, logging, target))
    return _mean(pi / mu * r)


def snips(rewards: Sequence[float], logging: Sequence[float], target: Sequence[float]) -> Estimate:
    r, mu, pi = (np.asarray(x, dtype=float) for x in (rewards, logging, target))
    w = pi / mu
    if w.sum() == 0:
        return Estimate(0.0, 0.0)
    value = float((w * r).sum() / w.sum())
    terms = w * (r - value) / w.mean()
    n = len(r)
    return Estimate(value, float(np.std(terms, ddof=1) / np.sqrt(n)) if n > 1 else 0.0)


def dr(rewards: Sequence[float], logging: Sequence[float], target: Sequence[float],
       q_logged: Sequence[float], q_target: Sequence[float]) -> Estimate:
    """``q_logged``: q(x_i, a_i); ``q_target``: sum_a pi(a | x_i) q(x_i, a)."""
    r, mu, pi, q_a, q_pi = (np.asarray(x, dtype=float)
                            for x in (rewards, logging, target, q_logged, q_target))
    return _mean(q_pi + pi / mu * (r - q_a))
