"""``recs evaluate``: hold back part of each user's interactions, recommend, and score the top k
(precision, recall, nDCG, MAP) of each algorithm against the popularity baseline in the same run.

A file is CSV or Parquet with columns ``user``, ``item`` and optionally ``rating`` (the weight)
and ``timestamp``. The split is per user: ``random`` holds back a random share of each user's
items; ``time`` holds back each user's latest. Users with fewer than two interactions only train.
"""

from __future__ import annotations

import math
import random
from collections import defaultdict
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from frontoffice.decisions.recs import Collaborative, Interaction, Popularity
from frontoffice.errors import InvalidInput

Split = tuple[list[Interaction], dict[str, set[str]]]


def read_interactions(path: Path) -> list[Interaction]:
    try:
        table = pq.read_table(path) if path.suffix in (".parquet", ".pq") else pacsv.read_csv(path)
    except Exception as exc:  # pyarrow raises several kinds for an unreadable file
        raise InvalidInput(f"{path} is not a readable CSV or Parquet file: {exc}") from exc
    columns = set(table.column_names)
    if not {"user", "item"} <= columns:
        raise InvalidInput(f"{path} needs columns 'user' and 'item' (it has "
                           f"{', '.join(sorted(columns))}); 'rating' and 'timestamp' are optional.")
    data = table.to_pydict()
    n = table.num_rows
    weights = data.get("rating") or [1.0] * n
    times = data.get("timestamp") or [""] * n
    return [Interaction(str(u), str(i), float(w or 0.0), str(t or ""))
            for u, i, w, t in zip(data["user"], data["item"], weights, times, strict=True)]


def split(interactions: Sequence[Interaction], how: str, test_fraction: float,
          seed: int = 7) -> Split:
    if how not in ("random", "time"):
        raise InvalidInput(f"Unknown split {how!r}; use 'random' or 'time'.")
    by_user: dict[str, list[Interaction]] = defaultdict(list)
    for x in interactions:
        by_user[x.user].append(x)
    rng = random.Random(seed)
    train: list[Interaction] = []
    test: dict[str, set[str]] = {}
    for user in sorted(by_user):
        rows = by_user[user]
        if len(rows) < 2:
            train += rows
            continue
        held = max(1, round(len(rows) * test_fraction))
        rows = sorted(rows, key=lambda x: x.at) if how == "time" else rng.sample(rows, len(rows))
        keep, hold = rows[:-held], rows[-held:]
        seen = {x.item for x in keep}
        held_items = {x.item for x in hold} - seen
        train += keep
        if held_items:
            test[user] = held_items
    return train, test


def at_k(recommended: Sequence[str], relevant: set[str], k: int) -> dict[str, float]:
    """precision, recall, nDCG and average precision of one user's top k."""
    top = list(recommended[:k])
    hits = [i for i, item in enumerate(top) if item in relevant]
    dcg = sum(1 / math.log2(i + 2) for i in hits)
    ideal = sum(1 / math.log2(i + 2) for i in range(min(len(relevant), k)))
    ap = sum((n + 1) / (i + 1) for n, i in enumerate(hits)) / min(len(relevant), k)
    return {"precision": len(hits) / k, "recall": len(hits) / len(relevant),
            "ndcg": dcg / ideal if ideal else 0.0, "map": ap}


def score(recommend: Any, test: Mapping[str, set[str]], k: int) -> dict[str, float]:
    totals: dict[str, float] = defaultdict(float)
    for user, relevant in test.items():
        for name, value in at_k(recommend(user, k), relevant, k).items():
            totals[name] += value
    return {name: round(value / len(test), 4) for name, value in totals.items()} if test else {}


def evaluate(interactions: Sequence[Interaction], k: int = 10, how: str = "random",
             test_fraction: float = 0.2, algorithms: Sequence[str] = ("als", "knn"),
             seed: int = 7) -> dict[str, Any]:
    train, test = split(interactions, how, test_fraction, seed)
    if not test:
        raise InvalidInput("No user has two or more interactions: nothing can be held back.")
    results = {"popularity": score(Popularity().fit(train).recommend, test, k)}
    for name in algorithms:
        results[name] = score(Collaborative(name, seed=seed).fit(train).recommend, test, k)
    base = results["popularity"]
    lift = {name: {m: round(v / base[m], 2) if base[m] else None for m, v in r.items()}
            for name, r in results.items() if name != "popularity"}
    return {"k": k, "split": how, "test_fraction": test_fraction, "users_tested": len(test),
            "interactions": len(interactions), "train": len(train), "results": results,
            "lift_over_popularity": lift}
