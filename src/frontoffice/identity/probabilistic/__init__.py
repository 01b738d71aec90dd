"""The probabilistic tier: person records with no shared strong identifier, matched by Splink.

>>> model = train(records)                                  # doctest: +SKIP
>>> pairs = score(model, new_records, against=existing)     # doctest: +SKIP
>>> merge, review = partition(pairs, rejected_pairs=decided_no)  # doctest: +SKIP
>>> clusters = cluster(pairs)                               # doctest: +SKIP

Names are compared on transliterated keys (Иванов = Ivanov, 김민준 = Kim Minjun) computed in
Python by :mod:`frontoffice.normalise`; Splink (DuckDB backend, in memory) is trained
without labels and scores the blocked pairs. Every pair explains itself in words.
"""

from frontoffice.identity.probabilistic.clustering import (
    DEFAULT_AUTO_WEIGHT,
    DEFAULT_REVIEW_WEIGHT,
    cluster,
    partition,
)
from frontoffice.identity.probabilistic.columns import PersonRecord
from frontoffice.identity.probabilistic.csv_resolver import ColumnMapping, read_csv
from frontoffice.identity.probabilistic.matcher import TrainingOptions, blocking_pairs, score, train
from frontoffice.identity.probabilistic.model import Model, ScoredPair, pair_key

__all__ = [
    "DEFAULT_AUTO_WEIGHT",
    "DEFAULT_REVIEW_WEIGHT",
    "ColumnMapping",
    "Model",
    "PersonRecord",
    "ScoredPair",
    "TrainingOptions",
    "blocking_pairs",
    "cluster",
    "pair_key",
    "partition",
    "read_csv",
    "score",
    "train",
]
