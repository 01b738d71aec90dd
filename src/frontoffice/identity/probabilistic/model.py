"""A trained model and the scored pairs it produces, each able to say why in words."""

from __future__ import annotations

import functools
import json
import math
from dataclasses import dataclass
from typing import Any

from frontoffice.identity.model import MatchEvidence
from frontoffice.identity.probabilistic.settings import (
    DESCRIPTIONS,
    DIFFERENT,
    GENDER_FORM,
    GENERATIONS,
    SOMEWHAT_SIMILAR,
    TYPO,
    VERIFIED_DIFFERENT,
)

TWIN_GIVEN_LEVELS = frozenset({DIFFERENT, SOMEWHAT_SIMILAR})
"""Given names that differ beyond a typo, ..."""
AGREEING_FAMILY = frozenset({"exact as written", "romanised exact", "spelling variant", TYPO, "similar"})
"""... beside one family name: two members of a household (Lori and Jeremy Garza at one address,
twins Anna and Lena Schmidt born the same day, Hanako and Kanako), not one person, unless their
national ids agree (two people have two). Where the family names differ too, a different given
name is evidence against, weighed with the rest (a swapped or twice mistyped name)."""
HARD_CONFLICTS: dict[str, frozenset[str]] = {
    "given_name": frozenset({GENDER_FORM}),
    "family_name": frozenset({GENDER_FORM}),
    "birth_date": frozenset({GENERATIONS}),
    "generation": frozenset({DIFFERENT}),
    "national_id": frozenset({VERIFIED_DIFFERENT}),
}
"""Levels no agreement elsewhere outweighs: a masculine and a feminine form of one Slavic name
(Ivanov/Ivanova), birth dates a generation apart or two generational suffixes (a parent and a
child of one name, at one address and landline), two verified national ids (a checksum scheme)
that differ beyond a typo."""
PERSONAL_AGREEMENTS: dict[str, frozenset[str]] = {
    "birth_date": frozenset({"exact", "day and month swapped", "one digit or two swapped"}),
    "email_local": frozenset({"exact"}),
    "phone": frozenset({"exact"}),
    "national_id": frozenset({"exact", "one digit or two swapped"}),
}
"""Agreements on a fact of the person, not of the place: what a record without a name must show
to merge automatically (see :data:`NAMELESS`)."""
BESIDE_THE_PHONE = tuple(name for name in PERSONAL_AGREEMENTS if name != "phone")
"""The personal facts a household does not share (its landline it does)."""
NAMELESS = "no name on one side, and no birth date, email, phone or national id agrees"
"""The conflict of a pair that compares no name (one record has none): an address, a postcode and a
city say "one household", not "one person", however high they weigh (a record of the parent, the
child or the lodger); with no name to tell them apart, a personal fact must agree."""
TWO_GENERATIONS = ("two generations of this name at this address (a generational suffix or birth dates a "
                   "generation apart), and no birth date, email or national id agrees")
"""The conflict of a pair with a record of a full name at a place where the records show a parent and a
child of that name (:func:`.households.two_generations`), where the records hold households: a
name, an address and the household's landline fit either of them."""
PHRASES = frozenset({NAMELESS, TWO_GENERATIONS})
"""Conflicts said as a whole phrase (the others are comparisons that differ)."""
HOUSEHOLD_CONFLICTS: dict[str, frozenset[str]] = {"birth_date": frozenset({GENERATIONS})}
"""Of those, the ones that protect a household (a parent and a child of one name), held only where
the records hold households (:mod:`.households`); elsewhere they weigh with their learned weight."""
HOUSEHOLDS_KEY = "frontoffice_households"
"""Where the model's JSON keeps :attr:`Model.households` beside Splink's settings."""


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
    households: bool = True
    """The records it was trained on hold households (:mod:`.households`): the twin and
    generation vetoes hold. A model saved before this was known keeps them."""

    def to_json(self) -> str:
        return json.dumps({**self.settings, HOUSEHOLDS_KEY: self.households}, ensure_ascii=False,
                          sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> Model:
        settings = json.loads(text)
        return cls(settings, bool(settings.pop(HOUSEHOLDS_KEY, True)))

    @functools.cached_property
    def comparisons(self) -> tuple[Comparison, ...]:
        return _comparisons(self.settings)

    def agrees_beside_the_phone(self, gammas: tuple[int, ...]) -> bool:
        """The pair agrees on a birth date, an email or a national id (:data:`PERSONAL_AGREEMENTS`
        but the phone, which a household shares as its landline)."""
        return _agrees(self.comparisons, gammas)

    def describe(self, gammas: tuple[int, ...]) -> tuple[str, tuple[str, ...]]:
        """``(evidence text, conflicts)`` of a comparison vector: the comparisons that count for a
        match, strongest first, then those against; conflicts name vetoing comparisons."""
        return _describe(self.comparisons, gammas, self.households)


@functools.lru_cache(maxsize=1 << 14)
def _agrees(comparisons: tuple[Comparison, ...], gammas: tuple[int, ...]) -> bool:
    return _agreeing(_labels(comparisons, gammas), BESIDE_THE_PHONE)


def _labels(comparisons: tuple[Comparison, ...], gammas: tuple[int, ...]) -> dict[str, str]:
    """The level label of each comparison the vector scores (none where a value is missing)."""
    labels: dict[str, str] = {}
    for comparison, gamma in zip(comparisons, gammas, strict=True):
        level = comparison.levels.get(gamma)
        if level is not None and gamma != -1:
            labels[comparison.name] = level.label
    return labels


def _agreeing(labels: dict[str, str], names: tuple[str, ...]) -> bool:
    """One of the comparisons ``names`` agrees on a personal fact (:data:`PERSONAL_AGREEMENTS`)."""
    return any(labels.get(name) in PERSONAL_AGREEMENTS[name] for name in names)


@functools.lru_cache(maxsize=1 << 14)
def _describe(comparisons: tuple[Comparison, ...], gammas: tuple[int, ...],
              households: bool = True) -> tuple[str, tuple[str, ...]]:
    scored = []
    for comparison, gamma in zip(comparisons, gammas, strict=True):
        level = comparison.levels.get(gamma)
        if level is not None and gamma != -1:
            scored.append((level.weight, f"{comparison.description} ({level.label})"))
    scored.sort(key=lambda item: -item[0])
    good = ", ".join(text for weight, text in scored if weight > 0)
    bad = ", ".join(text for weight, text in scored if weight <= 0)
    text = f"from {good or 'nothing'}" + (f"; against: {bad}" if bad else "")
    return text, conflicts_of(comparisons, _labels(comparisons, gammas), households)


def conflicts_of(comparisons: tuple[Comparison, ...], labels: dict[str, str],
                 households: bool = True) -> tuple[str, ...]:
    """The comparisons that veto an automatic merge: :data:`HARD_CONFLICTS`, and where the records
    hold households, :data:`HOUSEHOLD_CONFLICTS` and a given name that differs beside one family
    name (a household, twins), or one given name beside family names that differ, with no birth
    date, email or national id agreeing: which part of a whole name is the family name is a guess
    (Shimizu Aya and Shimizu Shinya, Попова Ирина and Попова Ева read family name last are one
    given name); and :data:`NAMELESS`."""
    found = {c.name for c in comparisons if labels.get(c.name) in HARD_CONFLICTS.get(c.name, ())
             and (households or labels.get(c.name) not in HOUSEHOLD_CONFLICTS.get(c.name, ()))}
    if (households and labels.get("given_name") in TWIN_GIVEN_LEVELS
            and labels.get("family_name") in AGREEING_FAMILY
            and labels.get("national_id") in (None, DIFFERENT, VERIFIED_DIFFERENT)):
        found.add("given_name")
    if (households and labels.get("family_name") == DIFFERENT and labels.get("given_name") in AGREEING_FAMILY
            and not _personal(labels)):
        found.add("family_name")
    out = tuple(c.description for c in comparisons if c.name in found)
    if "given_name" not in labels and "family_name" not in labels and not _agreeing(
            labels, tuple(PERSONAL_AGREEMENTS)):
        out += (NAMELESS,)
    return out


def _personal(labels: dict[str, str]) -> bool:
    """A birth date, an email local part (one made of the name too) or a national id agrees."""
    return labels.get("email_local", "").startswith("exact") or _agreeing(labels, BESIDE_THE_PHONE)


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
    """Comparisons that veto an automatic merge however high the weight (see :func:`conflicts_of`)."""

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
