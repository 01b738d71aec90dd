"""Namesakes: a person known by little more than a name joins the only other person of that name,
when the name is rare enough that a second person carrying it is unlikely among the brand's people.

A social profile, a receipt whose shopper gave only a name, a call note with another phone: such a
record shares nothing with its person's other records but the name, and no pairwise weight reaches
the auto-merge bar on a name alone. A careful person asks two questions instead: who else has this
name (and do their facts agree), and how many people of this name would a customer base of this
size hold by chance? The second is estimated from the people themselves, part by part:
``persons x share(given name) x share(family name)``, the shares counted over the persons' names
(so Kim Minjun and Li Wei, common parts, expect namesakes; a rare given name with a rare family
name does not). A nickname also counts as its formal name (Patty Whitaker is Patricia Whitaker).
Two people whose birth dates disagree (each known on both sides, none shared), or who each carry a
mobile number and none in common, are never joined. Another postcode, phone or email local part
weighs against a join as much as the persons themselves say it should: one person's own records
show a second mailbox, a landline beside the mobile or a move now and then, strangers always
differ, so a disagreement multiplies the expected count by the odds the persons give
(:func:`disagreement_odds`).

Pure: the caller gives the current persons (after the deterministic and probabilistic tiers) and
applies the matches through the identity graph, whose over-merge rules still hold.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from itertools import combinations

from frontoffice.identity.probabilistic.columns import Row
from frontoffice.normalise import is_mobile

DEFAULT_MAX_EXPECTED = 0.05
"""Join only when fewer than this many people of the name are expected by chance (a 1 in 20 chance
that someone else carries it): on the demo brand precision stays at 0.995 up to here."""
FACTS = ("birth_date", "postcode", "phone", "email_local")
"""Facts compared between namesakes, known on both sides with no value shared."""
HARD_FACTS = frozenset({"birth_date", "mobile"})
"""Differences that always say "two people": two birth dates (a parent and a child of one name at
one address are the namesakes most alike), two mobile numbers and none in common (one mobile is
one person's; a landline is a household's or a second line)."""
MIN_SAMPLE = 20
"""Persons showing a fact on two records or more needed to estimate its odds; with fewer, a
disagreement on it says "two people" as a birth date does."""

Name = tuple[str, str]  # (given key, family key)
_WORDS = {"postcode": "postcode", "phone": "phone", "email_local": "email local part"}


@dataclass
class NamedPerson:
    """What this rule reads of one person: the names of its records and its facts."""

    names: set[Name] = field(default_factory=set)
    facts: dict[str, set[str]] = field(default_factory=dict)
    seen: Counter[str] = field(default_factory=Counter)
    """How many of its records carry each fact."""


@dataclass(frozen=True, slots=True)
class NamesakeMatch:
    person_a: str
    person_b: str
    name: Name
    expected: float
    differing: tuple[str, ...] = ()
    """Facts known on both sides with no value shared (none of :data:`HARD_FACTS`)."""
    odds: float = 1.0
    """How much likelier those differences are between two people than within one."""

    @property
    def explanation(self) -> str:
        given, family = self.name
        said = (f"the only people named {given} {family}, where about {self.expected:.4f} people of that "
                "name are expected by chance")
        if not self.differing:
            return said + "; no birth date, postcode, phone or email disagrees"
        facts = " and ".join(_WORDS[f] for f in self.differing)
        return (f"{said}; the {facts} differ, {self.odds:.1f} times likelier between two people than within "
                f"one: {self.expected * self.odds:.4f}")


def people_of(partition: Mapping[str, Iterable[str]], rows: Mapping[str, Row]) -> dict[str, NamedPerson]:
    """Persons (id → record ids) described by their records' Splink rows (:func:`.columns.to_row`)."""
    out: dict[str, NamedPerson] = {}
    for pid, members in partition.items():
        person = out.setdefault(pid, NamedPerson())
        for rid in members:
            row = rows.get(rid)
            if row is None:
                continue
            if row["given_key"] and row["family_key"]:
                person.names.add((row["given_key"], row["family_key"]))
                for group in row["given_nicknames"] or ():  # Patty Jones is also Patricia Jones
                    person.names.add((group, row["family_key"]))
            for fact in FACTS:
                if row[fact]:
                    person.facts.setdefault(fact, set()).add(row[fact])
                    person.seen[fact] += 1
    return out


def _forms(name: Name) -> tuple[Name, Name]:
    """Either order: which part of a whole name is the family name is often a guess."""
    return name, (name[1], name[0])


def namesake_matches(people: Mapping[str, NamedPerson],
                     max_expected: float = DEFAULT_MAX_EXPECTED) -> list[NamesakeMatch]:
    """Groups of persons that share a rare name and no one else does, whose differences (weighed by
    :func:`disagreement_odds`) still leave fewer than ``max_expected`` people of it expected, as
    matches of the group's oldest id to each other one (sorted). A person split in two by the other
    tiers (a web profile and a store profile) is still one group: with a name this rare, a split is
    far likelier than two people."""
    named = {pid: p for pid, p in people.items() if p.names}
    given_count: Counter[str] = Counter()
    family_count: Counter[str] = Counter()
    holders: dict[Name, set[str]] = {}
    for pid, person in named.items():
        given_count.update({g for g, _ in person.names})
        family_count.update({f for _, f in person.names})
        for name in person.names:
            for form in _forms(name):
                holders.setdefault(form, set()).add(pid)
    total_given, total_family = sum(given_count.values()), sum(family_count.values())

    def expected(name: Name) -> float:
        g, f = name
        return len(named) * given_count[g] / total_given * family_count[f] / total_family

    odds = disagreement_odds(people.values())
    found: list[NamesakeMatch] = []
    for group in _groups(named, holders):
        common = set.intersection(*({f for n in named[p].names for f in _forms(n)} for p in group))
        names = sorted(n for n in common if n in named[group[0]].names)
        if not names:
            continue
        differing = sorted({f for a, b in combinations(group, 2) for f in _differing(named[a], named[b])})
        against = max(math.prod(odds[f] for f in _differing(named[a], named[b]))
                      for a, b in combinations(group, 2))
        best = min(names, key=expected)
        if expected(best) * against < max_expected:
            found.extend(NamesakeMatch(group[0], other, best, expected(best), tuple(differing), against)
                         for other in group[1:])
    return found


def disagreement_odds(people: Iterable[NamedPerson]) -> dict[str, float]:
    """Per fact, how much likelier two records disagree on it when they are two people than when
    they are one, estimated from the persons the other tiers made: strangers always differ, and of
    the persons that show the fact on two records or more, the share showing two values is how often
    one person does (a second mailbox, a landline beside the mobile, a move). Infinite for
    :data:`HARD_FACTS`, for a fact no such person disagrees on and below :data:`MIN_SAMPLE`."""
    several: Counter[str] = Counter()
    differ: Counter[str] = Counter()
    for person in people:
        for fact, count in person.seen.items():
            if count >= 2:
                several[fact] += 1
                differ[fact] += len(person.facts[fact]) >= 2
    return {f: (several[f] / differ[f] if f not in HARD_FACTS and several[f] >= MIN_SAMPLE and differ[f]
                else math.inf) for f in (*FACTS, "mobile")}


def _groups(named: Mapping[str, NamedPerson], holders: Mapping[Name, set[str]]) -> list[list[str]]:
    """Persons joined by any name they share (either order), groups of two or more, sorted."""
    seen: set[str] = set()
    groups = []
    for pid in sorted(named):
        if pid in seen:
            continue
        group, todo = {pid}, [pid]
        while todo:
            for name in named[todo.pop()].names:
                for form in _forms(name):
                    fresh = holders.get(form, set()) - group
                    group |= fresh
                    todo.extend(fresh)
        seen |= group
        if len(group) > 1:
            groups.append(sorted(group))
    return groups


def _differing(a: NamedPerson, b: NamedPerson) -> list[str]:
    """Facts known on both persons with no value shared; two mobile numbers and none in common count
    as a birth date does (one mobile is one person's), not as a phone."""
    out = [f for f in FACTS if a.facts.get(f) and b.facts.get(f) and not a.facts[f] & b.facts[f]]
    if "phone" in out and _mobile(a) and _mobile(b):
        out[out.index("phone")] = "mobile"
    return out


def _mobile(person: NamedPerson) -> bool:
    return any(is_mobile(phone) for phone in person.facts.get("phone", ()))
