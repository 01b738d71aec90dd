"""Self-learning arbitration: a Vowpal Wabbit contextual bandit (``cb_explore_adf``).

The context (channel, placement, hour, what commerce knows of the person) is the shared example;
each eligible action is one example of its own (its id, kind, category, tags, and the expected
kept value bucket the rules computed). VW returns a probability per action (epsilon-greedy
exploration); the arbiter samples the first slot from it and logs that probability, so every
decision can later be learned from and evaluated off-policy. Models are saved as bytes (VW's own
model format), versioned in the decisions store.
"""

from __future__ import annotations

import math
import os
import tempfile
import threading
from collections.abc import Mapping, Sequence

import vowpalwabbit

from frontoffice.decisions.bandit_scorer import Scorer, number, pair, token

Features = Mapping[str, str | float]
ARGS = "--cb_explore_adf --epsilon {epsilon} -q SA --quiet --random_seed 7"


def _namespace(name: str, features: Features) -> str:
    parts = []
    for key, value in sorted(features.items()):
        if isinstance(value, str):
            parts.append(pair(key, value))
        else:
            parts.append(f"{token(key)}:{number(value)}")
    return f"|{name} " + " ".join(parts)


def bucket(value: float) -> str:
    """A coarse log bucket, so money amounts become a few categories."""
    if value <= 0:
        return "0"
    return str(round(math.log2(1 + value)))


def lines(shared: Features, actions: Sequence[Features],
          label: tuple[int, float, float] | None = None) -> list[str]:
    """The multi-line ADF example; ``label``: (chosen index, cost, probability)."""
    out = ["shared " + _namespace("S", shared)]
    for i, features in enumerate(actions):
        prefix = f"0:{label[1]:.6g}:{label[2]:.6g} " if label and label[0] == i else ""
        out.append(prefix + _namespace("A", features))
    return out


class Bandit:
    """One model in memory; VW is not thread-safe, so calls are serialised. ``pmf`` scores with
    the model's weights read once (``bandit_scorer``, VW's own policy without its text parser);
    ``learn`` changes them, so the next ``pmf`` reads them again."""

    def __init__(self, blob: bytes | None = None, epsilon: float = 0.1) -> None:
        self._lock = threading.Lock()
        self._scorer: Scorer | None = None
        if blob is None:
            self._vw = vowpalwabbit.Workspace(ARGS.format(epsilon=epsilon))
            return
        with tempfile.TemporaryDirectory() as folder:
            path = os.path.join(folder, "model.vw")
            with open(path, "wb") as f:
                f.write(blob)
            self._vw = vowpalwabbit.Workspace(f"--quiet -i {path}")

    def pmf(self, shared: Features, actions: Sequence[Features]) -> list[float]:
        """The exploration policy's probability of each action (sums to 1)."""
        if not actions:
            return []
        with self._lock:
            if self._scorer is None:
                self._scorer = Scorer(self._vw, self._lock)
            scorer = self._scorer
        probs = scorer.pmf(shared, actions)
        total = sum(probs)
        return [p / total for p in probs] if total > 0 else [1 / len(actions)] * len(actions)

    def learn(self, shared: Features, actions: Sequence[Features], chosen: int, reward: float,
              probability: float) -> None:
        with self._lock:
            self._scorer = None
            self._vw.learn(lines(shared, actions, (chosen, -reward, probability)))

    def to_bytes(self) -> bytes:
        with tempfile.TemporaryDirectory() as folder, self._lock:
            path = os.path.join(folder, "model.vw")
            self._vw.save(path)
            with open(path, "rb") as f:
                return f.read()

    def close(self) -> None:
        with self._lock:
            self._vw.finish()
