"""Quality of a resolution against ground truth: pairwise, B-cubed and cluster figures.

Both sides are mappings record id → cluster (or person) id. Records of the truth that the
prediction does not mention count as predicted singletons; predicted records without truth are
ignored. Every figure is computed from cluster-overlap counts, never by listing pairs, so it is
linear in the number of records.
"""

from __future__ import annotations

import itertools
from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass

NO_SCRIPT = "none"
"""Records whose name has no script (no name) take part in no cross-script pair."""


def _pairs(n: int) -> int:
    return n * (n - 1) // 2


def _ratio(a: int | float, b: int | float, empty: float = 1.0) -> float:
    return a / b if b else empty


@dataclass(frozen=True, slots=True)
class PairCounts:
    """Pairs of records in one cluster: true ones, predicted ones and both."""

    true_pairs: int
    predicted_pairs: int
    true_positives: int

    @property
    def false_positives(self) -> int:
        return self.predicted_pairs - self.true_positives

    @property
    def precision(self) -> float:
        return _ratio(self.true_positives, self.predicted_pairs)

    @property
    def recall(self) -> float:
        return _ratio(self.true_positives, self.true_pairs)

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return _ratio(2 * p * r, p + r, 0.0)


@dataclass(frozen=True, slots=True)
class Scores:
    pairs: PairCounts
    bcubed_precision: float
    bcubed_recall: float
    largest_cluster: int
    over_merged_share: float
    """Share of true persons whose records share a predicted cluster with another person's."""
    split_share: float
    """Share of true persons with two or more records whose records are in more than one cluster."""
    cross_script: PairCounts | None
    """Pairs whose two records' names are in different scripts (None without scripts)."""

    @property
    def precision(self) -> float:
        return self.pairs.precision

    @property
    def recall(self) -> float:
        return self.pairs.recall

    @property
    def f1(self) -> float:
        return self.pairs.f1


def evaluate(
    predicted: Mapping[str, str], truth: Mapping[str, str], scripts: Mapping[str, str] | None = None
) -> Scores:
    """Scores of ``predicted`` (record → cluster) against ``truth`` (record → person); ``scripts``
    (record → script of its name) adds the cross-script pair figures."""
    pred = {r: predicted.get(r, f"\0singleton:{r}") for r in truth}
    cells = Counter((pred[r], truth[r]) for r in truth)
    pred_sizes = Counter(pred.values())
    true_sizes = Counter(truth.values())
    counts = PairCounts(
        true_pairs=sum(_pairs(n) for n in true_sizes.values()),
        predicted_pairs=sum(_pairs(n) for n in pred_sizes.values()),
        true_positives=sum(_pairs(n) for n in cells.values()),
    )
    n = len(truth)
    b3_p = sum(k * k / pred_sizes[c] for (c, _), k in cells.items())
    b3_r = sum(k * k / true_sizes[t] for (_, t), k in cells.items())
    persons_per_cluster: dict[str, set[str]] = defaultdict(set)
    clusters_per_person: dict[str, set[str]] = defaultdict(set)
    for c, t in cells:
        persons_per_cluster[c].add(t)
        clusters_per_person[t].add(c)
    over_merged = {t for people in persons_per_cluster.values() if len(people) > 1 for t in people}
    several = [t for t, size in true_sizes.items() if size > 1]
    split = sum(1 for t in several if len(clusters_per_person[t]) > 1)
    return Scores(
        pairs=counts,
        bcubed_precision=_ratio(b3_p, n),
        bcubed_recall=_ratio(b3_r, n),
        largest_cluster=max(pred_sizes.values(), default=0),
        over_merged_share=_ratio(len(over_merged), len(true_sizes), 0.0),
        split_share=_ratio(split, len(several), 0.0),
        cross_script=None if scripts is None else _cross_script(pred, truth, scripts),
    )


def _cross_pairs(groups: Mapping[object, Counter[str]]) -> int:
    """Pairs within each group whose two scripts differ (records without a script left out)."""
    total = 0
    for by_script in groups.values():
        sizes = [k for s, k in by_script.items() if s != NO_SCRIPT]
        total += _pairs(sum(sizes)) - sum(_pairs(k) for k in sizes)
    return total


def _cross_script(
    pred: Mapping[str, str], truth: Mapping[str, str], scripts: Mapping[str, str]
) -> PairCounts:
    by_true: dict[object, Counter[str]] = defaultdict(Counter)
    by_pred: dict[object, Counter[str]] = defaultdict(Counter)
    by_cell: dict[object, Counter[str]] = defaultdict(Counter)
    for r, t in truth.items():
        s = scripts.get(r, NO_SCRIPT)
        by_true[t][s] += 1
        by_pred[pred[r]][s] += 1
        by_cell[(pred[r], t)][s] += 1
    return PairCounts(_cross_pairs(by_true), _cross_pairs(by_pred), _cross_pairs(by_cell))


def cross_script_pairs(truth: Mapping[str, str], scripts: Mapping[str, str]) -> set[tuple[str, str]]:
    """The true pairs whose records' names are in different scripts (for listing; small data)."""
    members: dict[str, list[str]] = defaultdict(list)
    for r in sorted(truth):
        members[truth[r]].append(r)
    return {
        (a, b)
        for rs in members.values()
        for a, b in itertools.combinations(rs, 2)
        if NO_SCRIPT not in (sa := scripts.get(a, NO_SCRIPT), sb := scripts.get(b, NO_SCRIPT)) and sa != sb
    }
