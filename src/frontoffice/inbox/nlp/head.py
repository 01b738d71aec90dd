"""A classifier head on sentence embeddings: multinomial logistic regression (softmax) trained by
gradient descent with L2, in numpy. Saved and loaded as JSON (the weights of one task)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

Matrix = npt.NDArray[np.float32]


@dataclass(frozen=True, slots=True)
class Head:
    classes: tuple[str, ...]
    weights: Matrix  # (dim, classes)
    bias: Matrix  # (classes,)

    def probabilities(self, vectors: Matrix) -> Matrix:
        logits = vectors @ self.weights + self.bias
        logits -= logits.max(axis=1, keepdims=True)
        e = np.exp(logits)
        out: Matrix = (e / e.sum(axis=1, keepdims=True)).astype(np.float32)
        return out

    def predict(self, vectors: Matrix) -> list[tuple[str, float]]:
        p = self.probabilities(vectors)
        best = p.argmax(axis=1)
        return [(self.classes[int(i)], float(p[row, i])) for row, i in enumerate(best)]

    def as_json(self) -> dict[str, Any]:
        return {"classes": list(self.classes), "weights": self.weights.round(6).tolist(),
                "bias": self.bias.round(6).tolist()}

    @classmethod
    def from_json(cls, doc: dict[str, Any]) -> Head:
        return cls(tuple(doc["classes"]), np.asarray(doc["weights"], dtype=np.float32),
                   np.asarray(doc["bias"], dtype=np.float32))


def train(vectors: Matrix, labels: Sequence[str], classes: Sequence[str], *, epochs: int = 400,
          rate: float = 2.0, l2: float = 1e-4, weight: Sequence[float] | None = None) -> Head:
    """Fit on ``vectors`` (n, dim) with one label each; classes never seen keep zero weights.
    ``weight``: per example (agents' corrections count more than the seed)."""
    index = {c: i for i, c in enumerate(classes)}
    n, dim = vectors.shape
    y = np.zeros((n, len(classes)), dtype=np.float32)
    y[np.arange(n), [index[label] for label in labels]] = 1.0
    w_example = np.ones((n, 1), dtype=np.float32) if weight is None else \
        np.asarray(weight, dtype=np.float32).reshape(n, 1)
    w_example /= w_example.sum()
    weights = np.zeros((dim, len(classes)), dtype=np.float32)
    bias = np.zeros(len(classes), dtype=np.float32)
    head = Head(tuple(classes), weights, bias)
    for _ in range(epochs):
        grad = (head.probabilities(vectors) - y) * w_example
        weights -= rate * (vectors.T @ grad + l2 * weights)
        bias -= rate * grad.sum(axis=0)
    return head
