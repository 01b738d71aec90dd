"""Predicted traits of every customer now: the likelihood to buy in the next 30 days (overall and
per category) and to churn (buy nothing in the next 90), for segments, moments and arbitration.

Each trait's model is ``intent``'s: a logistic regression on recency, frequency, value and tenure,
trained on the last complete horizon (features at ``now - horizon``, labels in the horizon up to
``now``) and applied to everyone's features at ``now``; its holdout AUC against the
recency/frequency baseline (``intent.evaluate``) is its provenance. A trait whose history has only
one outcome is left out, with the reason.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import numpy as np

from frontoffice.decisions.intent import TRAITS, Purchase, evaluate, snapshot
from frontoffice.decisions.return_risk import Line
from frontoffice.errors import InvalidInput


@dataclass(frozen=True, slots=True)
class Predicted:
    name: str  # buy_30d, churn_90d, buy_30d_<category>
    values: dict[str, float]  # person -> probability
    metrics: dict[str, Any]


def _fit_and_score(purchases: Sequence[Purchase], trait: str, now: datetime) -> dict[str, float]:
    horizon = TRAITS[trait]
    _, x_train, y_train = snapshot(purchases, now - timedelta(days=horizon), horizon)
    people, x_now, _ = snapshot(purchases, now, horizon)
    if trait == "churn_90d":
        y_train = 1 - y_train
    if len(set(y_train.tolist())) < 2:
        raise InvalidInput(f"{trait}: the last {horizon} days hold one outcome only.")
    from sklearn.linear_model import LogisticRegression

    model = LogisticRegression(max_iter=1000).fit(np.log1p(x_train), y_train)
    p = model.predict_proba(np.log1p(x_now))[:, 1]
    return {person: round(float(v), 4) for person, v in zip(people, p, strict=True)}


def _name(category: str) -> str:
    """A category as a trait name segments accepts (a-z, 0-9, _)."""
    return re.sub(r"[^a-z0-9_]+", "_", category.lower()).strip("_")[:50] or "other"


def predict(purchases: Sequence[Purchase], lines: Sequence[Line], now: datetime
            ) -> tuple[list[Predicted], dict[str, str]]:
    """The traits that could be predicted, and why each other one could not."""
    by_category: dict[str, list[Purchase]] = {}
    for line in lines:
        at = datetime.fromisoformat(line.at.replace("Z", "+00:00"))
        by_category.setdefault(line.category, []).append(Purchase(line.person, at, 1.0))
    asked = [(trait, trait, purchases) for trait in TRAITS]
    asked += [(f"buy_30d_{_name(category)}", "buy_30d", found)
              for category, found in sorted(by_category.items())]
    done, skipped = [], {}
    for name, trait, history in asked:
        try:
            values = _fit_and_score(history, trait, now)
            metrics = evaluate(history, trait)
        except InvalidInput as exc:
            skipped[name] = str(exc)
            continue
        done.append(Predicted(name, values, {k: metrics[k] for k in (
            "auc", "auc_recency_frequency", "positive_rate", "cutoff")}))
    return done, skipped
