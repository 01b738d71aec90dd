"""What the workspace's matching model learned and where its thresholds cut: a report.

The parameters (the prior, and for each comparison level its m, u and weight, log2 m/u) and a
histogram of the pairs the blocking rules compare, by match weight, with what each weight decides
(merge, review, nothing). So a user sees why a threshold sits where it does: the pairs bunch at
high weights (the same person) and at low ones (strangers), and the thresholds fall between.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import replace
from typing import Any

from frontoffice.errors import InvalidInput
from frontoffice.identity.live_match import MatchConfig
from frontoffice.identity.match_service import LiveMatcher, distinct_records
from frontoffice.identity.probabilistic import score
from frontoffice.storage.sql import SqlStore

BIN = 4.0
"""Width of a histogram bin, in match weight (bits)."""
FLOOR = -20.0
"""Pairs below this weight are counted in one bin (they decide nothing); pairs below four times
it are not scored at all."""


def parameters(settings: dict[str, Any]) -> list[dict[str, Any]]:
    """Each comparison with its levels, best first: label, m, u and weight (None when untrained
    or the missing level)."""
    out = []
    for comparison in settings["comparisons"]:
        levels = []
        for level in comparison["comparison_levels"]:
            m, u = level.get("m_probability"), level.get("u_probability")
            known = (not level.get("is_null_level") and isinstance(m, float | int)
                     and isinstance(u, float | int))
            weight = math.log2(m / u) if known and m > 0 and u > 0 else None
            levels.append({"label": level.get("label_for_charts", ""), "m": m if known else None,
                           "u": u if known else None, "weight": weight,
                           "fixed": bool(level.get("fix_m_probability") or level.get("fix_u_probability"))})
        out.append({"comparison": comparison["output_column_name"], "levels": levels})
    return out


def histogram(weights: list[float], config: MatchConfig) -> list[dict[str, Any]]:
    """Pairs per weight bin (``from <= w < to``), each bin saying what it decides."""
    bins: Counter[float] = Counter(max(FLOOR - BIN, math.floor(w / BIN) * BIN) for w in weights)
    out = []
    for low in sorted(bins):
        high = low + BIN
        decides = ("merge" if low >= config.auto_weight else "review" if low >= config.review_weight
                   else "nothing" if high <= config.review_weight else "mixed")
        out.append({"from": None if low < FLOOR else low, "to": high, "pairs": bins[low], "decides": decides})
    return out


def model_report(store: SqlStore, workspace_id: str, config: MatchConfig) -> dict[str, Any]:
    """The trained model's parameters, the thresholds and the weight histogram of the pairs the
    blocking rules compare among the workspace's records (scored now, nothing written)."""
    matcher = LiveMatcher(store, workspace_id, config)
    matcher.refresh()
    model, _ = matcher.model()
    if model is None:
        raise InvalidInput("No model yet: the workspace needs records with a name (run `frontoffice "
                           "identity train` to see why training fails).")
    config = replace(config, auto_weight=config.auto_for(model.households))  # the weight this model merges at
    distinct = distinct_records(matcher.known.values())
    weights = [p.match_weight for p in score(model, [(rids[0], a) for a, rids in distinct.items()],
                                             min_weight=FLOOR * 4)]
    state = matcher.review.state(workspace_id)
    return {
        "trained_at": state.trained_at, "trained_records": state.trained_records,
        "prior": model.settings["probability_two_random_records_match"],
        "households": model.households,
        "thresholds": {"auto_merge": config.auto_weight, "review": config.review_weight},
        "pairs_compared": len(weights),
        "pairs": {"merge": sum(w >= config.auto_weight for w in weights),
                  "review": sum(config.review_weight <= w < config.auto_weight for w in weights),
                  "below": sum(w < config.review_weight for w in weights)},
        "comparisons": parameters(model.settings),
        "histogram": histogram(weights, config),
    }
