"""A classifier head on a message's features (``features.Ngrams.stack``): multinomial logistic
regression fitted by scikit-learn with balanced class weights, applied here as one sparse product
and a softmax. Saved and loaded as JSON (the weights of one task, packed)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from scipy import sparse

from frontoffice.inbox.nlp.features import Matrix, pack, unpack

C = 10.0  # inverse L2 strength: the seed is small but clean
NEVER = -30.0  # the bias of a class no example taught: never predicted


@dataclass(frozen=True, slots=True)
class Head:
    classes: tuple[str, ...]
    weights: Matrix  # (features, classes)
    bias: Matrix  # (classes,)

    def probabilities(self, features: sparse.csr_matrix) -> Matrix:
        logits = np.asarray(features @ self.weights, dtype=np.float32) + self.bias
        logits -= logits.max(axis=1, keepdims=True)
        e = np.exp(logits)
        out: Matrix = (e / e.sum(axis=1, keepdims=True)).astype(np.float32)
        return out

    def predict(self, features: sparse.csr_matrix) -> list[tuple[str, float]]:
        p = self.probabilities(features)
        best = p.argmax(axis=1)
        return [(self.classes[int(i)], float(p[row, i])) for row, i in enumerate(best)]

    def as_json(self) -> dict[str, Any]:
        return {"classes": list(self.classes), "shape": list(self.weights.shape),
                "weights": pack(self.weights), "bias": pack(self.bias)}

    @classmethod
    def from_json(cls, doc: dict[str, Any]) -> Head:
        return cls(tuple(doc["classes"]), unpack(doc["weights"], doc["shape"]),
                   unpack(doc["bias"], (len(doc["classes"]),)))


def train(features: sparse.csr_matrix, labels: Sequence[str], classes: Sequence[str], *,
          weight: Sequence[float] | None = None) -> Head:
    """Fit on ``features`` (n, d) with one label each; ``weight`` per example (agents'
    corrections count more than the seed)."""
    from sklearn.linear_model import LogisticRegression
    from threadpoolctl import threadpool_limits

    seen = sorted(set(labels))
    weights = np.zeros((features.shape[1], len(classes)), dtype=np.float32)
    bias = np.full(len(classes), NEVER, dtype=np.float32)
    if len(seen) == 1:  # nothing to tell apart
        bias[classes.index(seen[0])] = 0.0
        return Head(tuple(classes), weights, bias)
    model = LogisticRegression(C=C, class_weight="balanced", max_iter=3000)
    with threadpool_limits(1):  # a second thread only contends with the server's others (~4x slower)
        model.fit(features, list(labels), sample_weight=None if weight is None else np.asarray(weight))
    coef, intercept = model.coef_, model.intercept_
    if len(seen) == 2:  # scikit-learn fits one row for two classes: the second's logit
        coef, intercept = np.vstack([-coef / 2, coef / 2]), np.concatenate([-intercept / 2, intercept / 2])
    for row, label in enumerate(model.classes_):
        weights[:, classes.index(str(label))] = coef[row]
        bias[classes.index(str(label))] = intercept[row]
    return Head(tuple(classes), weights, bias)
