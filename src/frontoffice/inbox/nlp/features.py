"""What the heads read of a message: its sentence embedding stacked beside the TF-IDF of its
character n-grams (1 to 3 characters inside word boundaries). The embedding carries meaning across
phrasings and languages; the n-grams carry the words a seed set of a few hundred messages cannot
teach an embedding (返品, 환불, Rechnung), in every script alike, at a fraction of a millisecond."""

from __future__ import annotations

import base64
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

if TYPE_CHECKING:  # scikit-learn and scipy cost ~1 s to import: only a process that classifies pays it
    from scipy import sparse
    from sklearn.feature_extraction.text import TfidfVectorizer

Matrix = npt.NDArray[np.float32]
MAX_CHARS = 2000  # of a long message, the n-grams of its beginning
EMBEDDING_WEIGHT = 2.0  # the embedding's scale against the n-grams' unit-length TF-IDF


def pack(values: Matrix) -> str:
    """float32 values as base64 (a model's JSON stays ~4x smaller than as a list of numbers)."""
    return base64.b64encode(np.ascontiguousarray(values, dtype="<f4").tobytes()).decode()


def unpack(text: str, shape: Sequence[int]) -> Matrix:
    out: Matrix = np.frombuffer(base64.b64decode(text), dtype="<f4").astype(np.float32).reshape(shape)
    return out


def _vectorizer(vocabulary: dict[str, int] | None = None) -> TfidfVectorizer:
    from sklearn.feature_extraction.text import TfidfVectorizer

    return TfidfVectorizer(analyzer="char_wb", ngram_range=(1, 3), sublinear_tf=True, lowercase=True,
                           vocabulary=vocabulary, dtype=np.float32)


class Ngrams:
    """The n-gram vocabulary and inverse document frequencies learnt from the training texts."""

    def __init__(self, vocabulary: Sequence[str], idf: Matrix) -> None:
        self.vocabulary, self.idf = tuple(vocabulary), idf
        self._vectorizer = _vectorizer({gram: i for i, gram in enumerate(self.vocabulary)})
        self._vectorizer.idf_ = idf

    @classmethod
    def fit(cls, texts: Sequence[str]) -> Ngrams:
        vectorizer = _vectorizer()
        vectorizer.fit(texts)
        vocabulary = sorted(vectorizer.vocabulary_, key=vectorizer.vocabulary_.__getitem__)
        return cls(vocabulary, vectorizer.idf_.astype(np.float32))

    def stack(self, embeddings: Matrix, texts: Sequence[str]) -> sparse.csr_matrix:
        """(len(texts), embedding dimensions + n-grams): what a head reads."""
        from scipy import sparse

        grams = self._vectorizer.transform([t[:MAX_CHARS] for t in texts])
        return sparse.hstack([sparse.csr_matrix(embeddings * EMBEDDING_WEIGHT), grams], format="csr")

    @property
    def size(self) -> int:
        return len(self.vocabulary)

    def as_json(self) -> dict[str, Any]:
        return {"analyzer": "char_wb 1-3", "vocabulary": list(self.vocabulary), "idf": pack(self.idf)}

    @classmethod
    def from_json(cls, doc: dict[str, Any]) -> Ngrams:
        vocabulary = doc["vocabulary"]
        return cls(vocabulary, unpack(doc["idf"], (len(vocabulary),)))
