"""Train without labels and score record pairs: the probabilistic tier's two operations."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass

from frontoffice.errors import InvalidInput
from frontoffice.identity.probabilistic import _splink
from frontoffice.identity.probabilistic.blocking import BLOCKING_RULES, TRAINING_RULES
from frontoffice.identity.probabilistic.columns import (
    PersonRecord,
    to_columns,
    to_rows,
    without_shared_phones,
)
from frontoffice.identity.probabilistic.households import count_households, two_generations
from frontoffice.identity.probabilistic.model import TWO_GENERATIONS, Model, ScoredPair
from frontoffice.identity.probabilistic.settings import settings

MIN_TRAINING_RECORDS = 10
DEFAULT_SCORE_FLOOR = 0.0
"""Pairs below this match weight are not returned by :func:`score` (Bayes factor below 1)."""


@dataclass(frozen=True, slots=True)
class TrainingOptions:
    u_max_pairs: float = 2e6
    """Random pairs sampled to estimate u (Splink suggests 1e7-1e9 on large data)."""
    em_max_pairs: float = 2e6
    """Blocked pairs each EM session samples at most (Splink's hash-based sample of the records)."""
    seed: int = 7
    training_rules: tuple[str, ...] = TRAINING_RULES
    threads: int | None = None


def train(records: Iterable[PersonRecord], options: TrainingOptions | None = None) -> Model:
    """Train a model on unlabelled records: u by random sampling, m by expectation maximisation."""
    options = options or TrainingOptions()
    rows = without_shared_phones(list(to_rows(records)))
    table = to_columns(rows)
    if len(table["unique_id"]) < MIN_TRAINING_RECORDS:
        raise InvalidInput(
            f"training needs at least {MIN_TRAINING_RECORDS} records with person attributes, "
            f"got {len(table['unique_id'])}; train on the full record set, then score micro-batches"
        )
    households = count_households(rows).present
    trained = _splink.train(
        table, settings(households), options.training_rules,
        u_max_pairs=options.u_max_pairs, em_max_pairs=options.em_max_pairs, seed=options.seed,
        threads=options.threads,
    )
    return Model(trained, households)


def score(
    model: Model,
    records: Iterable[PersonRecord],
    against: Iterable[PersonRecord] | None = None,
    *,
    min_weight: float = DEFAULT_SCORE_FLOOR,
    threads: int | None = None,
) -> list[ScoredPair]:
    """Scored pairs at or above ``min_weight``: within ``records`` or, in micro-batch mode, of
    ``records`` (the new ones) with ``against`` (the existing ones) and among themselves."""
    new = list(to_rows(records))
    old = list(to_rows(against)) if against is not None else []
    rows = without_shared_phones(new + old)  # a shop's phone is found across both sets
    table = to_columns(rows[: len(new)])
    if not table["unique_id"]:
        return []
    other = to_columns(rows[len(new) :]) if against is not None else None
    if other is not None and not other["unique_id"]:
        other = None
    columns = _splink.predict(model.settings, table, other, threshold_weight=min_weight, threads=threads)
    return pairs_from_columns(model, columns, two_generations(rows) if model.households else frozenset())


def blocking_pairs(records: Iterable[PersonRecord]) -> dict[str, int]:
    """How many pairs each blocking rule adds to those of the rules before it (exact counts)."""
    table = to_columns(to_rows(records))
    if not table["unique_id"]:
        return dict.fromkeys((rule.sql for rule in BLOCKING_RULES), 0)
    return _splink.count_pairs(table, BLOCKING_RULES)


def pairs_from_columns(model: Model, columns: _splink.Columns,
                       generations: Collection[str] = frozenset()) -> list[ScoredPair]:
    """Scored pairs of Splink's output; a pair with a record of ``generations``
    (:func:`.households.two_generations`) that agrees on no personal fact has the conflict
    :data:`~.model.TWO_GENERATIONS`."""
    if not columns:
        return []
    gamma_names = [f"gamma_{c.name}" for c in model.comparisons]
    gammas: Sequence[tuple[int, ...]] = list(zip(*(columns[n] for n in gamma_names), strict=True))
    out = []
    for left, right, weight, probability, vector in zip(
        columns["unique_id_l"], columns["unique_id_r"], columns["match_weight"],
        columns["match_probability"], gammas, strict=True,
    ):
        text, conflicts = model.describe(vector)
        doubtful = left in generations or right in generations
        if doubtful and not model.agrees_beside_the_phone(vector):
            conflicts += (TWO_GENERATIONS,)
        out.append(ScoredPair(left, right, float(weight), float(probability), vector, text, conflicts))
    return out
