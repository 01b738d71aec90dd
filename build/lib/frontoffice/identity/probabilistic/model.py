"""A trained model and the scored pairs it produces, each able to say why in words."""

from __future__ import annotations

import functools
import json
import math
from dataclasses import dataclass
from typing import Any

from frontoffice.identity.model import MatchEvidence
from frontoffice.identity.probabilistic.settings import DESCRIPTIONS, DIFFERENT, GENDER_FORM, SOMEWHAT_SIMILAR

CONFLICT_COMPARISONS = frozenset({"given_name", "family_name", "birth_date"})
"""Comparisons whose "different" (or "gender form") level vetoes an automatic merge, however high
the weight: twins share a family name, an address and a birth date but not a given name."""
CONFLICT_LEVELS = frozenset({DIFFERENT, GENDER_FORM})
GIVEN_CONFLICT_LEVELS = frozenset({SOMEWHAT_SIMILAR})
"""Given names only somewhat alike (Hanako/Kanako, Joan/Jordan) are two names, not a typo of one:
household members and twins; a typo stays above ``NAME_JW_HIGH`` ("similar")."""


@dataclass(frozen=True, slots=True)
class Level:
    label: str
    weight: float  # log2(m/u); 0.0 for the null level


@dataclass(frozen=True, slots=True, eq=False)
class Comparison:
    name: str  # output column name, e.g. "given_name"
    description: str  # e.g. "given name"
    levels: dict[int, Level]  # comparison vector value (gamma) → level


def _comparisons(settings: dict[str, Any]) -> tuple[Comparison, ...]:
    out = []
    for spec in settings["comparisons"]:
        levels: dict[int, Level] = {}
        non_null = [lv for lv in spec["comparison_levels"] if not lv.get("is_null_level")]
        gamma = len(non_null) - 1
        for lv in spec["comparison_levels"]:
            if lv.get("is_null_level"):
                levels[-1] = Level(lv.get("label_for_charts", "missing"), 0.0)
                continue
            m, u = lv.get("m_probability"), lv.get("u_probability")
            known = isinstance(m, float | int) and isinstance(u, float | int) and m > 0 and u > 0
            weight = math.log2(m / u) if known else 0.0
            levels[gamma] = Level(lv.get("label_for_charts", str(gamma)), weight)
            gamma -= 1
        name = spec["output_column_name"]
        out.append(Comparison(name, DESCRIPTIONS.get(name, name.replace("_", " ")), levels))
    return tuple(out)


@dataclass(frozen=True)
class Model:
    """A trained Splink model: its settings with the trained m and u probabilities."""

    settings: dict[str, Any]

    def to_json(self) -> str:
        return json.dumps(self.settings, ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> Model:
        return cls(json.loads(text))

    @functools.cached_property
    def comparisons(self) -> tuple[Comparison, ...]:
        return _comparisons(self.settings)

    def describe(self, gammas: tuple[int, ...]) -> tuple[str, tuple[str, ...]]:
        """``(evidence text, conflicts)`` of a comparison vector: the comparisons that count for a
        match, strongest first, then those against; conflicts name vetoing comparisons."""
        return _describe(self.comparisons, gammas)


@functools.lru_cache(maxsize=1 << 14)
def _describe(comparisons: tuple[Comparison, ...], gammas: tuple[int, ...]) -> tuple[str, tuple[str, ...]]:
    scored = []
    conflicts = []
    for comparison, gamma in zip(comparisons, gammas, strict=True):
        level = comparison.levels.get(gamma)
        if level is None or gamma == -1:
            continue
        scored.append((level.weight, f"{comparison.description} ({level.label})"))
        if (level.label in CONFLICT_LEVELS and comparison.name in CONFLICT_COMPARISONS) or (
            level.label in GIVEN_CONFLICT_LEVELS and comparison.name == "given_name"
        ):
            conflicts.append(comparison.description)
    scored.sort(key=lambda item: -item[0])
    good = ", ".join(text for weight, text in scored if weight > 0)
    bad = ", ".join(text for weight, text in scored if weight <= 0)
    text = f"from {good or 'nothing'}" + (f"; against: {bad}" if bad else "")
    return text, tuple(conflicts)


@dataclass(frozen=True, slots=True)
class ScoredPair:
    """Two records the model compared, how much alike they are and why."""

    left_id: str
    right_id: str
    match_weight: float
    probability: float
    gammas: tuple[int, ...]
    """Comparison vector: the level of each comparison (-1 missing, 0 different, higher is closer)."""
    evidence_text: str
    conflicts: tuple[str, ...]
    """Comparisons that disagree outright on given name, family name or birth date."""

    @property
    def key(self) -> tuple[str, str]:
        """The pair's ids in sorted order: how decisions about it are remembered."""
        return pair_key(self.left_id, self.right_id)

    @property
    def explanation(self) -> str:
        return f"match weight {self.match_weight:.1f} {self.evidence_text}"

    def evidence(self) -> MatchEvidence:
        return MatchEvidence("probabilistic", self.explanation, self.match_weight, self.probability)


def pair_key(a: str, b: str) -> tuple[str, str]:
    return (a, b) if a <= b else (b, a)
