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
Two people whose facts disagree (birth dates, postcodes, phones or email local parts, each known on
both sides and none shared) are never joined.

Pure: the caller gives the current persons (after the deterministic and probabilistic tiers) and
applies the matches through the identity graph, whose over-merge rules still hold.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from itertools import combinations

from frontoffice.identity.probabilistic.columns import Row

DEFAULT_MAX_EXPECTED = 0.05
"""Join only when fewer than this many people of the name are expected by chance (a 1 in 20 chance
that someone else carries it): on the demo brand precision stays at 0.995 up to here."""
FACTS = ("birth_date", "postcode", "phone", "email_local")
"""Facts that, known on both sides with no value shared, say "two people"."""

Name = tuple[str, str]  # (given key, family key)


@dataclass
class NamedPerson:
    """What this rule reads of one person: the names of its records and its facts."""

    names: set[Name] = field(default_factory=set)
    facts: dict[str, set[str]] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class NamesakeMatch:
    person_a: str
    person_b: str
    name: Name
    expected: float

    @property
    def explanation(self) -> str:
        given, family = self.name
        return (f"the only people named {given} {family}, where about {self.expected:.4f} people of that "
                "name are expected by chance; no birth date, postcode, phone or email disagrees")


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
    return out


def _forms(name: Name) -> tuple[Name, Name]:
    """Either order: which part of a whole name is the family name is often a guess."""
    return name, (name[1], name[0])


def namesake_matches(people: Mapping[str, NamedPerson],
                     max_expected: float = DEFAULT_MAX_EXPECTED) -> list[NamesakeMatch]:
    """Groups of persons that share a rare name and no one else does, with no fact that disagrees
    between any two of them, as matches of the group's oldest id to each other one (sorted). A
    person split in two by the other tiers (a web profile and a store profile) is still one group:
    with a name this rare, a split is far likelier than two people."""
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

    found: list[NamesakeMatch] = []
    for group in _groups(named, holders):
        common = set.intersection(*({f for n in named[p].names for f in _forms(n)} for p in group))
        names = sorted(n for n in common if n in named[group[0]].names)
        if not names or any(_disagree(named[a], named[b]) for a, b in combinations(group, 2)):
            continue
        best = min(names, key=expected)
        if expected(best) < max_expected:
            found.extend(NamesakeMatch(group[0], other, best, expected(best)) for other in group[1:])
    return found


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


def _disagree(a: NamedPerson, b: NamedPerson) -> bool:
    return any(a.facts.get(f) and b.facts.get(f) and not a.facts[f] & b.facts[f] for f in FACTS)
