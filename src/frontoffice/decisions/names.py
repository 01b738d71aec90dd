"""Names shared by the decisions modules and their CLI, importable without numpy or VW (the CLI
builds its options from them at start-up)."""

from __future__ import annotations

ALGORITHMS = ("als", "bpr", "knn")  # implicit's collaborative filtering models
BANDIT = "bandit"
RETURNS = "returns"
MODEL_KINDS = (BANDIT, RETURNS)  # promoted and rolled back by hand
TRAITS = "traits"  # predicted traits, retrained on schedule (``refresh``)
RECS = "recs"  # the recommender's evaluation, on the same schedule
