"""Predicted traits: the likelihood that a person buys in the next 30 days, and that a customer
churns (buys nothing in the next 90), from the workspace's own orders, with a time-based holdout.

At a cutoff, each person who had bought before it is described by recency (days since the last
order), frequency (orders), monetary value (total spent) and tenure (days since the first); the
label is whether they ordered in the horizon after it. A logistic regression (scikit-learn) is
trained at ``cutoff - horizon`` (labels inside the horizon up to the cutoff) and judged at the
cutoff on the horizon after it, against the recency/frequency baseline (orders per day since
the last one: frequency / (1 + recency)); both by ROC AUC. The cutoff is the last order minus
the horizon, so the judged labels are all known.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import numpy as np

from frontoffice.errors import InvalidInput

TRAITS = {"buy_30d": 30, "churn_90d": 90}


@dataclass(frozen=True, slots=True)
class Purchase:
    person: str
    at: datetime
    value: float


def snapshot(purchases: Sequence[Purchase], cutoff: datetime, horizon: int
             ) -> tuple[list[str], np.ndarray, np.ndarray]:
    """(people, features, bought in the horizon) of everyone who bought before ``cutoff``."""
    before: dict[str, list[Purchase]] = defaultdict(list)
    after: set[str] = set()
    end = cutoff + timedelta(days=horizon)
    for p in purchases:
        if p.at < cutoff:
            before[p.person].append(p)
        elif p.at < end:
            after.add(p.person)
    people = sorted(before)
    rows = []
    for person in people:
        mine = before[person]
        last, first = max(p.at for p in mine), min(p.at for p in mine)
        rows.append([(cutoff - last).days, len(mine), sum(p.value for p in mine),
                     (cutoff - first).days])
    return people, np.array(rows, dtype=float), np.array([p in after for p in people], dtype=int)


def _baseline(x: np.ndarray) -> np.ndarray:
    scores: np.ndarray = x[:, 1] / (1 + x[:, 0])
    return scores


def evaluate(purchases: Sequence[Purchase], trait: str) -> dict[str, Any]:
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import roc_auc_score

    horizon = TRAITS[trait]
    if not purchases:
        raise InvalidInput("No orders to learn from.")
    cutoff = max(p.at for p in purchases) - timedelta(days=horizon)
    _, x_train, y_train = snapshot(purchases, cutoff - timedelta(days=horizon), horizon)
    people, x_test, y_test = snapshot(purchases, cutoff, horizon)
    if trait == "churn_90d":
        y_train, y_test = 1 - y_train, 1 - y_test
    if len(set(y_train)) < 2 or len(set(y_test)) < 2:
        raise InvalidInput(f"{trait}: both outcomes are needed before and after the cutoff "
                           f"{cutoff.date()}; the workspace's history is too short.")
    scale = np.log1p
    model = LogisticRegression(max_iter=1000).fit(scale(x_train), y_train)
    p = model.predict_proba(scale(x_test))[:, 1]
    base = _baseline(x_test)
    return {"trait": trait, "cutoff": cutoff.isoformat(), "people": len(people),
            "positive_rate": round(float(y_test.mean()), 4),
            "auc": round(float(roc_auc_score(y_test, p)), 4),
            "auc_recency_frequency": round(float(roc_auc_score(
                y_test, -base if trait == "churn_90d" else base)), 4)}
