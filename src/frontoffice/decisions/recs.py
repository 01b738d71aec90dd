"""Recommendations: collaborative filtering with ``implicit`` (ALS, BPR, item-kNN), the
popularity baseline, popularity within a group as the fallback, and content-based scores for items
nobody has interacted with yet (cold start).

Users and items are strings; the matrices are built here. ``fit`` never reads storage: the
workspace's interactions come from ``decisions.interactions`` and files from ``recs_eval``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from frontoffice.decisions.names import ALGORITHMS

if TYPE_CHECKING:  # scipy (~0.13 s to import) is imported by the process that fits, not by every
    import scipy.sparse as sp  # server and CLI command that only reads the fitted scores


@dataclass(frozen=True, slots=True)
class Interaction:
    user: str
    item: str
    weight: float = 1.0
    at: str = ""


class Popularity:
    """Items by how many interactions they had in training, best first."""

    name = "popularity"

    def fit(self, train: Sequence[Interaction]) -> Popularity:
        counts = Counter(i.item for i in train)
        self._ranked = [item for item, _ in sorted(counts.items(), key=lambda x: (-x[1], x[0]))]
        self._seen: dict[str, set[str]] = {}
        for i in train:
            self._seen.setdefault(i.user, set()).add(i.item)
        return self

    def recommend(self, user: str, k: int) -> list[str]:
        seen = self._seen.get(user, set())
        return [item for item in self._ranked if item not in seen][:k]


TUNED: dict[str, dict[str, float]] = {
    "als": {"factors": 16, "regularization": 0.05, "alpha": 1.0, "iterations": 15},
    "bpr": {"factors": 32, "learning_rate": 0.01, "regularization": 0.01, "iterations": 100},
    "knn": {"K": 200, "K1": 1.2, "B": 0.75},  # item-item on BM25-weighted columns
}
"""Each model's parameters, tuned on MovieLens 100K (random 80/20 split per user, nDCG@10;
bench/decisions_recs.py prints them with the figures)."""


class Collaborative:
    """One of implicit's models on the user × item matrix of (summed) weights, with ``TUNED``'s
    parameters unless ``params`` overrides some."""

    def __init__(self, algorithm: str, seed: int = 7,
                 params: Mapping[str, float] | None = None) -> None:
        if algorithm not in ALGORITHMS:
            raise ValueError(f"unknown algorithm {algorithm!r}; one of {', '.join(ALGORITHMS)}")
        self.name, self._algorithm, self._seed = algorithm, algorithm, seed
        self.params = {**TUNED[algorithm], **(params or {})}

    def _factory(self) -> Callable[[], Any]:
        """The model's constructor, its module imported now: a BLAS library loaded inside
        ``threadpool_limits`` would escape the limit."""
        p = self.params
        if self._algorithm == "als":
            from implicit.als import AlternatingLeastSquares

            return lambda: AlternatingLeastSquares(
                factors=int(p["factors"]), regularization=p["regularization"], alpha=p["alpha"],
                iterations=int(p["iterations"]), random_state=self._seed)
        if self._algorithm == "bpr":
            from implicit.bpr import BayesianPersonalizedRanking

            return lambda: BayesianPersonalizedRanking(
                factors=int(p["factors"]), learning_rate=p["learning_rate"],
                regularization=p["regularization"], iterations=int(p["iterations"]),
                random_state=self._seed)
        from implicit.nearest_neighbours import ItemItemRecommender

        return lambda: ItemItemRecommender(K=int(p["K"]))  # on BM25-weighted columns (``fit``)

    def fit(self, train: Sequence[Interaction]) -> Collaborative:
        import scipy.sparse as sp
        from threadpoolctl import threadpool_limits

        self.users = {u: i for i, u in enumerate(sorted({x.user for x in train}))}
        self.items = {t: i for i, t in enumerate(sorted({x.item for x in train}))}
        self._names = sorted(self.items, key=self.items.__getitem__)
        rows = [self.users[x.user] for x in train]
        cols = [self.items[x.item] for x in train]
        matrix = sp.csr_matrix((np.array([x.weight for x in train], dtype=np.float32),
                                (rows, cols)), shape=(len(self.users), len(self.items)))
        matrix.sum_duplicates()
        self._matrix = matrix
        make = self._factory()
        with threadpool_limits(1, "blas"):  # implicit warns (and is slower) with a BLAS pool
            self._fitted = make()
            self._fitted.fit(self._bm25(matrix) if self._algorithm == "knn" else matrix,
                             show_progress=False)
        return self

    def _bm25(self, matrix: sp.csr_matrix) -> sp.csr_matrix:
        """Each user's row weighted by BM25 (frequent items count less, as implicit's
        BM25Recommender does), as CSR: implicit warns about the COO its own helper returns."""
        import scipy.sparse as sp
        from implicit.nearest_neighbours import bm25_weight

        weighted = bm25_weight(matrix.T, self.params["K1"], self.params["B"]).T
        return sp.csr_matrix(weighted, dtype=np.float64)

    def recommend(self, user: str, k: int) -> list[str]:
        row = self.users.get(user)
        if row is None or not self.items:
            return []
        n = min(k, len(self.items))
        ids, _ = self._fitted.recommend(
            row, self._matrix[row], N=n, filter_already_liked_items=True)
        return [self._names[int(i)] for i in ids]

    def scores(self, user: str, items: Iterable[str]) -> dict[str, float]:
        """Scores of known items for a known user, scaled to 0..1 by the user's best item."""
        return self.scaled(self.raw_scores(user), items)

    def raw_scores(self, user: str) -> np.ndarray[Any, np.dtype[np.float64]] | None:
        """The model's score of every item (by its index) for a known user, None for an unknown
        one: what ``scaled`` scales, kept per user and fit by ``decide``'s recommender."""
        row = self.users.get(user)
        if row is None or not self.items:
            return None
        ids, found = self._fitted.recommend(
            row, self._matrix[row], N=len(self.items), filter_already_liked_items=False,
            items=np.arange(len(self.items)))
        out = np.zeros(len(self.items), dtype=np.float64)
        out[np.asarray(ids, dtype=np.int64)] = found
        return out

    def scaled(self, raw: np.ndarray[Any, np.dtype[np.float64]] | None, items: Iterable[str]
               ) -> dict[str, float]:
        """The raw scores of the known ``items``, scaled to 0..1 by the best of them."""
        known = [t for t in items if t in self.items]
        if raw is None or not known:
            return {}
        values = raw[[self.items[t] for t in known]]
        best = max(float(values.max()), 1e-9)
        return {t: max(0.0, v / best) for t, v in zip(known, values.tolist(), strict=True)}


def content_scores(history: Iterable[str], candidates: Iterable[str],
                   attributes: Mapping[str, set[str]]) -> dict[str, float]:
    """Cold start: a candidate's Jaccard similarity of attributes (category, tags) to the items the
    user interacted with, at best; 0 when nothing is shared."""
    seen = [attributes.get(item, set()) for item in history]
    out = {}
    for item in candidates:
        mine = attributes.get(item, set())
        out[item] = max((len(mine & s) / len(mine | s) for s in seen if mine | s), default=0.0)
    return out


def group_popularity(train: Sequence[Interaction], groups: Mapping[str, str]
                     ) -> dict[str, list[str]]:
    """Popularity within each group of users (a segment): the fallback for users the
    collaborative model does not know."""
    counts: dict[str, Counter[str]] = {}
    for x in train:
        counts.setdefault(groups.get(x.user, ""), Counter())[x.item] += 1
    return {g: [item for item, _ in sorted(c.items(), key=lambda x: (-x[1], x[0]))]
            for g, c in counts.items()}
