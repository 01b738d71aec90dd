"""Return risk: the probability that a person keeps a product (in a size), learned from the
workspace's own order lines and returns, and checked for calibration.

Each bought line is one example, labelled kept or returned, described by what the shop knew
when it was bought (from the lines bought before it; rates shrunk towards the overall rate by
``PRIOR`` lines): the person's return rate, the product's, the supplier's, and the size fit (the
size the person kept most in the category: 1 same, 0 another, 0.5 unknown). A logistic
regression (scikit-learn) is fitted on the earlier lines and judged on the latest ``holdout``
share (a time split): Brier score, log loss and AUC against the baseline of the overall rate,
and a reliability table (predicted against observed, by decile of prediction) with its expected
calibration error (``ece``).
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
import orjson

from frontoffice.errors import InvalidInput

PRIOR = 5.0
FEATURES = ("person_return_rate", "product_return_rate", "supplier_return_rate", "size_fit")


@dataclass(frozen=True, slots=True)
class Line:
    person: str
    product: str
    supplier: str
    category: str
    size: str
    returned: bool
    at: str


def _rate(returned: float, total: float, overall: float) -> float:
    return (returned + PRIOR * overall) / (total + PRIOR)


def features(lines: Sequence[Line]) -> np.ndarray:
    """One row per line (in time order), from the lines bought before it only: what the shop
    knew when it was bought."""
    overall = sum(x.returned for x in lines) / len(lines)
    counts: dict[str, dict[str, list[int]]] = {k: defaultdict(lambda: [0, 0])
                                               for k in ("person", "product", "supplier")}
    kept_sizes: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    rows = []
    for x in sorted(lines, key=lambda line: line.at):
        row = [_rate(counts[key][getattr(x, key)][0], counts[key][getattr(x, key)][1], overall)
               for key in ("person", "product", "supplier")]
        sizes = kept_sizes[(x.person, x.category)]
        row.append(0.5 if not sizes or not x.size else float(sizes.most_common(1)[0][0] == x.size))
        rows.append(row)
        for key in counts:
            counts[key][getattr(x, key)][0] += x.returned
            counts[key][getattr(x, key)][1] += 1
        if not x.returned and x.size:
            sizes[x.size] += 1
    return np.array(rows, dtype=float)


@dataclass(frozen=True, slots=True)
class ReturnModel:
    """A fitted model with the return counts it was fitted on, so a decision can describe a
    candidate as the lines were described: saved as JSON in the decisions store."""

    coefficients: list[float]
    intercept: float
    overall: float
    products: dict[str, list[int]]  # product -> [returned, bought]
    suppliers: dict[str, list[int]]

    def p_return(self, person_returned: float, person_bought: float, product: str | None,
                 supplier: str | None, size_fit: float) -> float:
        def rate(counts: dict[str, list[int]], key: str | None) -> float:
            returned, bought = counts.get(key or "", [0, 0])
            return _rate(returned, bought, self.overall)

        x = [_rate(person_returned, person_bought, self.overall), rate(self.products, product),
             rate(self.suppliers, supplier), size_fit]
        z = self.intercept + sum(c * v for c, v in zip(self.coefficients, x, strict=True))
        return 1 / (1 + math.exp(-z))

    def to_json(self) -> bytes:
        return orjson.dumps(asdict(self))

    @classmethod
    def from_json(cls, blob: bytes) -> ReturnModel:
        return cls(**orjson.loads(blob))


def _counts(lines: Sequence[Line], key: str) -> dict[str, list[int]]:
    out: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for x in lines:
        out[getattr(x, key)][0] += x.returned
        out[getattr(x, key)][1] += 1
    return dict(out)


def fit(lines: Sequence[Line]) -> ReturnModel:
    """The model on every line (``evaluate`` judges the same recipe on a time split)."""
    y = np.array([x.returned for x in lines], dtype=int)
    if len(lines) < 50 or len(set(y)) < 2:
        raise InvalidInput(f"Return risk needs at least 50 bought lines, kept and returned; the "
                           f"workspace has {len(lines)}.")
    from sklearn.linear_model import LogisticRegression  # a decision only needs ReturnModel

    model = LogisticRegression(max_iter=1000).fit(features(lines), y)
    ordered = sorted(lines, key=lambda x: x.at)
    return ReturnModel([float(c) for c in model.coef_[0]], float(model.intercept_[0]),
                       float(y.mean()), _counts(ordered, "product"), _counts(ordered, "supplier"))


def reliability(predicted: np.ndarray, observed: np.ndarray, bins: int = 10
                ) -> list[dict[str, float]]:
    """Predicted against observed return rate, by decile of the prediction."""
    order = np.argsort(predicted, kind="stable")
    out = []
    for chunk in np.array_split(order, bins):
        if len(chunk):
            out.append({"predicted": round(float(predicted[chunk].mean()), 4),
                        "observed": round(float(observed[chunk].mean()), 4), "n": len(chunk)})
    return out


def evaluate(lines: Sequence[Line], holdout: float = 0.2) -> dict[str, Any]:
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import brier_score_loss, log_loss, roc_auc_score

    if len(lines) < 50:
        raise InvalidInput(f"Return risk needs at least 50 bought lines; the workspace has "
                           f"{len(lines)}.")
    ordered = sorted(lines, key=lambda x: x.at)
    x, y = features(ordered), np.array([line.returned for line in ordered], dtype=int)
    cut = int(len(ordered) * (1 - holdout))
    if len(set(y[:cut])) < 2 or len(set(y[cut:])) < 2:
        raise InvalidInput("Both kept and returned lines are needed before and after the split.")
    model = LogisticRegression(max_iter=1000).fit(x[:cut], y[:cut])
    p = model.predict_proba(x[cut:])[:, 1]
    base = np.full_like(p, y[:cut].mean(), dtype=float)
    test = y[cut:]
    table = reliability(p, test.astype(float))
    return {
        "lines": len(lines), "train": cut, "tested": len(test),
        "brier": round(float(brier_score_loss(test, p)), 4),
        "brier_baseline": round(float(brier_score_loss(test, base)), 4),
        "log_loss": round(float(log_loss(test, p, labels=[0, 1])), 4),
        "log_loss_baseline": round(float(log_loss(test, base, labels=[0, 1])), 4),
        "auc": round(float(roc_auc_score(test, p)), 4),
        "coefficients": dict(zip(FEATURES, (round(float(c), 4) for c in model.coef_[0]),
                                 strict=True)),
        "ece": round(sum(r["n"] * abs(r["predicted"] - r["observed"]) for r in table)
                     / len(test), 4),
        "reliability": table,
    }
