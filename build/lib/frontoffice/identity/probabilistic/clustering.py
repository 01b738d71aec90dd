"""From scored pairs to decisions and clusters: pure functions, no database."""

from __future__ import annotations

from collections.abc import Collection, Iterable

from frontoffice.identity.probabilistic.model import ScoredPair

DEFAULT_AUTO_WEIGHT = 16.0
"""Match weight above which a pair merges without review (see docs/identity-evaluation.md)."""
DEFAULT_REVIEW_WEIGHT = 6.0
"""Match weight above which a pair that does not merge goes to the review queue."""


def partition(
    pairs: Iterable[ScoredPair],
    auto: float = DEFAULT_AUTO_WEIGHT,
    review: float = DEFAULT_REVIEW_WEIGHT,
    rejected_pairs: Collection[tuple[str, str]] = frozenset(),
) -> tuple[list[ScoredPair], list[ScoredPair]]:
    """``(auto_merge, review_queue)``. A pair merges automatically at ``match_weight >= auto`` unless
    it was rejected before (never merged, never queued again) or it has a conflict (a given name,
    family name or birth date that differs outright: it is queued instead)."""
    if review > auto:
        raise ValueError(f"the review threshold ({review}) must not exceed the auto-merge one ({auto})")
    merge, queue = [], []
    for pair in pairs:
        if pair.key in rejected_pairs or pair.match_weight < review:
            continue
        if pair.match_weight >= auto and not pair.conflicts:
            merge.append(pair)
        else:
            queue.append(pair)
    return merge, queue


def cluster(
    pairs: Iterable[ScoredPair],
    threshold: float = DEFAULT_AUTO_WEIGHT,
    rejected_pairs: Collection[tuple[str, str]] = frozenset(),
    record_ids: Iterable[str] = (),
) -> dict[str, str]:
    """Record id → cluster id (the smallest record id in the cluster), joining the pairs that
    :func:`partition` would merge automatically at ``threshold`` (connected components).
    ``record_ids`` adds records that matched nothing as clusters of their own."""
    parent: dict[str, str] = {r: r for r in record_ids}

    def find(x: str) -> str:
        root = parent.setdefault(x, x)
        while parent[root] != root:
            root = parent[root]
        while parent[x] != root:
            parent[x], x = root, parent[x]
        return root

    merged, _ = partition(pairs, threshold, threshold, rejected_pairs)
    for pair in merged:
        a, b = find(pair.left_id), find(pair.right_id)
        if a != b:
            parent[max(a, b)] = min(a, b)
    return {record: find(record) for record in parent}
