"""The workspace's recommender as ``decide`` uses it: how much a person likes each candidate
product, from what people kept (purchases less returns).

A person the collaborative model knows gets its scores (implicit's item-kNN on few people, ALS
once there are enough); products nobody kept yet get content-based scores (shared category and
tags with what the person kept); a person with no history gets popularity. The model is refitted
when older than ``ttl_s``; ``Interactions`` reads the purchases (``decisions.adapters``).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

import numpy as np

from frontoffice.decisions.recs import Collaborative, Interaction, Popularity, content_scores

ALS_FROM_PEOPLE = 200  # below this many people item-kNN is the steadier model
MAX_KEPT_SCORES = 4_000_000  # people's scores kept per fit: 32 MB of float64 at most
Scores = np.ndarray[Any, np.dtype[np.float64]]


class Interactions(Protocol):
    def kept(self, ws: str) -> tuple[list[Interaction], dict[str, set[str]]]:
        """Every person's kept purchases (user: person id, item: product id, weight: units), and
        each product's attributes (its category)."""
        ...


@dataclass(frozen=True, slots=True)
class Fitted:
    model: Collaborative | None
    popular: dict[str, float]  # product -> popularity score 0..1
    history: dict[str, list[str]]
    attributes: dict[str, set[str]]
    at: float
    raw: dict[str, Scores | None] = field(default_factory=dict)  # person -> model's scores

    def scores(self, person_id: str, products: Mapping[str, set[str]]) -> dict[str, float]:
        """The model's scores of the products for the person, scaled to the best of them; the
        person's scores of every product are computed once per fit (at most ``MAX_KEPT_SCORES``
        values are kept: a vector of float64 per person)."""
        if self.model is None:
            return {}
        if person_id not in self.raw:
            if len(self.raw) * max(len(self.model.items), 1) >= MAX_KEPT_SCORES:
                self.raw.clear()
            self.raw[person_id] = self.model.raw_scores(person_id)
        return self.model.scaled(self.raw[person_id], products)


class Recommender:
    def __init__(self, interactions: Interactions, ttl_s: float = 600.0,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self._interactions, self._ttl, self._clock = interactions, ttl_s, clock
        self._lock = threading.Lock()
        self._fitted: dict[str, Fitted] = {}

    def _fit(self, ws: str) -> Fitted:
        with self._lock:
            found = self._fitted.get(ws)
            if found is not None and self._clock() - found.at < self._ttl:
                return found
            rows, attributes = self._interactions.kept(ws)
            history: dict[str, list[str]] = {}
            for x in rows:
                history.setdefault(x.user, []).append(x.item)
            model = None
            if len(history) >= 2:
                model = Collaborative("als" if len(history) >= ALS_FROM_PEOPLE else "knn").fit(rows)
            ranked = Popularity().fit(rows).recommend("", len(attributes) + len(rows))
            popular = {p: 1 - i / max(len(ranked), 1) for i, p in enumerate(ranked)}
            found = self._fitted[ws] = Fitted(model, popular, history, attributes, self._clock())
            return found

    def __call__(self, ws: str, person_id: str, products: Mapping[str, set[str]]
                 ) -> dict[str, float]:
        """``products``: each candidate product with its attributes (category, tags)."""
        fitted = self._fit(ws)
        mine = fitted.history.get(person_id, [])
        if not mine:
            return {p: fitted.popular[p] for p in products if p in fitted.popular}
        with self._lock:  # one computation of a person's scores per fit, by one thread
            scores = fitted.scores(person_id, products)
        cold = [p for p in products if p not in scores]
        if not cold:
            return scores
        # the attributes content scores read: the candidates' own, else what the fit knows
        attributes = {item: products[item] if item in products else fitted.attributes[item]
                      for item in {*mine, *cold}
                      if item in products or item in fitted.attributes}
        return {**scores, **content_scores(mine, cold, attributes)}
