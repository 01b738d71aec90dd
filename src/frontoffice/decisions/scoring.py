"""Expected kept value: what an eligible action is worth to this person before any learning.

p(kept) is the chance the person keeps what they take: a promoted return-risk model's
(``return_risk``) when there is one. Until then it is
the person's own return rate shrunk towards the workspace prior by how much they have bought
(``PRIOR_UNITS`` units of prior), and a size the person has kept in the action's category raises
it. Actions that sell nothing (content, service messages) are always kept.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
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


def worth(action: Action) -> float:
    """What taking and keeping the action is worth: its kept value for what sells or rewards, 1
    for the rest."""
    return action.kept_value() if action.kind in ("product", "offer", "loyalty") else 1.0


def kept_key(action: Action, model: bool) -> tuple[str, str | None, str | None]:
    """What p(kept) depends on: kind and category and, with a model, product."""
    return (action.kind, action.category, action.product_id if model else None)


@dataclass(frozen=True, slots=True)
class Scorable:
    """What scoring reads of a catalogue's actions, worked out once per version: each action's
    product, worth, and which group of actions of one p(kept) it belongs to (without and with a
    return-risk model; ``firsts``: each group's first action)."""

    products: list[str | None]
    worths: list[float]
    groups: tuple[list[int], list[int]]  # per action: its group without a model, with one
    firsts: tuple[list[Action], list[Action]]

    @classmethod
    def of(cls, actions: Sequence[Action]) -> Scorable:
        groups: tuple[list[int], list[int]] = ([], [])
        firsts: tuple[list[Action], list[Action]] = ([], [])
        for model in (False, True):
            seen: dict[tuple[str, str | None, str | None], int] = {}
            for action in actions:
                key = kept_key(action, model)
                if key not in seen:
                    seen[key] = len(firsts[model])
                    firsts[model].append(action)
                groups[model].append(seen[key])
        return cls([a.product_id for a in actions], [worth(a) for a in actions], groups, firsts)


@dataclass(frozen=True, slots=True)
class Scores:
    """Scores by column, in the order of the actions scored; ``groups``: each one's p(kept)
    group, so what depends on p(kept) alone is worked out once per group."""

    affinity: list[float]
    p_kept: list[float]
    expected_kept_value: list[float]
    groups: list[int]

    def __len__(self) -> int:
        return len(self.affinity)

    def __getitem__(self, i: int) -> Score:
        return Score(self.affinity[i], self.p_kept[i], self.expected_kept_value[i])


def scores(able: Scorable, indexes: Iterable[int], facts: CustomerFacts,
           affinity: Mapping[str, float], model: ReturnModel | None = None) -> Scores:
    """The person's scores of the actions at ``indexes`` of a catalogue's ``Scorable``
    (``affinity``: by product, 0 when absent); p(kept) is worked out once per group of actions it
    is the same for (``kept_key``)."""
    with_model = model is not None
    groups, firsts = able.groups[with_model], able.firsts[with_model]
    products, worths = able.products, able.worths
    kept: list[float | None] = [None] * len(firsts)
    liked_of, p_of, value_of, group_of = [], [], [], []
    for i in indexes:
        g = groups[i]
        p = kept[g]
        if p is None:
            p = kept[g] = p_kept(firsts[g], facts, model)
        liked = affinity.get(products[i] or "", 0.0)
        liked_of.append(liked)
        p_of.append(p)
        value_of.append((0.5 + liked) * p * worths[i])
        group_of.append(g)
    return Scores(liked_of, p_of, value_of, group_of)


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
