"""Expected kept value: what an eligible action is worth to this person before any learning.

p(kept) is the chance the person keeps what they take: a promoted return-risk model's
(``return_risk``) when there is one. Until then it is
the person's own return rate shrunk towards the workspace prior by how much they have bought
(``PRIOR_UNITS`` units of prior), and a size the person has kept in the action's category raises
it. Actions that sell nothing (content, service messages) are always kept.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from frontoffice.decisions.catalogue import Action
from frontoffice.decisions.ports import CustomerFacts
from frontoffice.decisions.return_risk import ReturnModel

PRIOR_RETURN_RATE = 0.2
PRIOR_UNITS = 5
SIZE_KNOWN_LIFT = 0.5  # a known kept size halves the part of the return risk left


@dataclass(frozen=True, slots=True)
class Score:
    affinity: float  # how much the person likes it (recommender), 0..1
    p_kept: float
    expected_kept_value: float

    def as_dict(self) -> dict[str, float]:
        return {"affinity": round(self.affinity, 4), "p_kept": round(self.p_kept, 4),
                "expected_kept_value": round(self.expected_kept_value, 4)}


def p_kept(action: Action, facts: CustomerFacts, model: ReturnModel | None = None) -> float:
    """With a promoted return-risk model: its probability, the size fit known when the person
    kept a size in the action's category; without one: the prior below."""
    if action.kind not in ("product", "offer"):
        return 1.0
    if model is not None:
        fit = 1.0 if action.category and action.category in facts.kept_sizes else 0.5
        return 1.0 - model.p_return(facts.return_rate * facts.units_bought, facts.units_bought,
                                    action.product_id, None, fit)
    returned = facts.return_rate * facts.units_bought
    risk = (returned + PRIOR_RETURN_RATE * PRIOR_UNITS) / (facts.units_bought + PRIOR_UNITS)
    if action.category and action.category in facts.kept_sizes:
        risk *= SIZE_KNOWN_LIFT
    return 1.0 - risk


def scores(actions: Sequence[Action], facts: CustomerFacts, affinity: Mapping[str, float],
           model: ReturnModel | None = None) -> list[Score]:
    """Each action's score for this person (``affinity``: by product, 0 when absent); p(kept) is
    worked out once for all the actions it is the same for (kind, category and, with a model,
    product)."""
    kept: dict[tuple[str, str | None, str | None], float] = {}
    out = []
    for action in actions:
        key = (action.kind, action.category, action.product_id if model is not None else None)
        p = kept.get(key)
        if p is None:
            p = kept[key] = p_kept(action, facts, model)
        liked = affinity.get(action.product_id or "", 0.0)
        worth = action.kept_value() if action.kind in ("product", "offer", "loyalty") else 1.0
        out.append(Score(liked, p, (0.5 + liked) * p * worth))
    return out


def reasons(action: Action, s: Score, facts: CustomerFacts) -> list[str]:
    """Why this action ranks where it does, in words a marketer reads."""
    out = [f"expected kept value {s.expected_kept_value:.2f}"]
    if action.kind in ("product", "offer"):
        out.append(f"{round(100 * s.p_kept)}% likely to be kept")
        if action.category and action.category in facts.kept_sizes:
            out.append(f"keeps size {facts.kept_sizes[action.category]} in {action.category}")
    if s.affinity > 0:
        out.append(f"recommender affinity {s.affinity:.2f}")
    return out
