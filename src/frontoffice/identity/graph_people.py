"""The people of the identity graph and the one rule that says whether two may merge.

Split from :mod:`frontoffice.identity.graph`: the graph keeps the state and the recomputation,
this module the values it holds and :func:`merge_blocker`, which every merge of every tier
passes (a person's decision, a shared identifier, a probabilistic match).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from frontoffice.identity.model import Identifier, IdKind
from frontoffice.identity.rules import GraphConfig, values_conflict
from frontoffice.normalise import NameKeys, is_mobile, name_similarity


@dataclass(frozen=True, slots=True)
class Node:
    record_id: str
    seq: int
    identifiers: tuple[Identifier, ...]
    names: tuple[NameKeys, ...] = ()
    birth_dates: tuple[str, ...] = ()


@dataclass(eq=False)
class Person:
    pid: str
    oldest: tuple[int, str]
    members: set[str] = field(default_factory=set)
    values: dict[IdKind, dict[str, tuple[int, str]]] = field(default_factory=dict)
    """Each identifier value of the person and its oldest record (seq, record id)."""
    constrained: set[str] = field(default_factory=set)
    names: dict[tuple[str, str], NameKeys] = field(default_factory=dict)
    birth_dates: set[str] = field(default_factory=set)


@dataclass(frozen=True, slots=True)
class Household:
    """An identifier seen on the records of two people: what tells them apart and why."""

    by: str  # "names" | "birth dates"
    reason: str


def household_of(config: GraphConfig, ident: Identifier, names: list[NameKeys], births: set[str],
                 node: Node) -> Household | None:
    """Whether ``node`` shows ``ident`` (seen so far with ``names`` and ``births``) on a second
    person's records: names not alike (Eun-ah and Si-jin Cho on the family email) or birth dates a
    generation apart (Felix Schneider and his son). A record that carries it and no name (or no birth
    date) cannot say which of them it is."""
    for mine in node.names:
        for theirs in names:
            alike = max(name_similarity(mine, theirs), name_similarity(_swapped(mine), theirs),
                        name_similarity(mine, _swapped(theirs)))
            if alike < config.household_names_below:
                shown = " and ".join(sorted(f"{k.given} {k.family}".strip() for k in (mine, theirs)))
                return Household("names", f"{ident} is on the records of two people ({shown})")
    for born in node.birth_dates:
        for other in births:
            if born[:4].isdigit() and other[:4].isdigit() and \
                    abs(int(born[:4]) - int(other[:4])) >= config.generation_years:
                shown = " and ".join(sorted((born, other)))
                return Household("birth dates", f"{ident} is on the records of two people (born {shown})")
    return None


def merge_blocker(config: GraphConfig, separations: Mapping[str, list[tuple[int, int]]],
                  sides: Mapping[int, tuple[frozenset[str], frozenset[str]]], a: Person, b: Person,
                  forced: bool, via: IdKind | None, pair_dated: bool = False,
                  household: Household | None = None) -> str | None:
    """Why ``a`` and ``b`` may not merge, or None. A person's "not the same" (split, reject)
    blocks every merge, forced or not; the rest (conflicting single-valued identifiers, limits per
    kind, different birth dates or different names on a household identifier, birth dates a
    generation apart on a match whose two records did not both carry one, two persons with a mobile
    number each and none in common on a match) blocks automatic merges only. ``pair_dated``: the
    match's two records both carry a birth date, so the match itself weighed them. ``household``:
    the shared identifier of a merge through one is on two people's records (:func:`household_of`);
    a person without what tells them apart (a name, a birth date) cannot say which of them it is."""
    small, big = (a, b) if len(a.constrained) <= len(b.constrained) else (b, a)
    for rid in small.constrained:
        for key, side in separations.get(rid, ()):
            if big.constrained & sides[key][1 - side]:
                return "a person decided these records are not the same person"
    if forced:
        return None
    for kind in config.single_valued:
        values = set(a.values.get(kind, ())) | set(b.values.get(kind, ()))
        if values_conflict(kind, values):
            return f"conflict: different {kind.value} values " + ", ".join(sorted(values))
    for kind, limit in config.max_per_person.items():
        count = len(set(a.values.get(kind, ())) | set(b.values.get(kind, ())))
        if count > limit:
            return f"limit: the merged person would have {count} {kind.value} values (at most {limit})"
    if via is None and not pair_dated and (gap := _generation_gap(a, b, config.generation_years)):
        return (f"birth dates a generation apart: {gap} (a match through a record without one "
                "joins a parent and a child of one name)")
    if via is None and config.one_mobile and (mobiles := _two_mobiles(a, b)):
        return (f"two mobile numbers, none in common: {mobiles} (a match of one name and address "
                "joins two people of one household)")
    if household is not None and not (a.names and b.names if household.by == "names"
                                      else a.birth_dates and b.birth_dates):
        return f"{household.reason}: a person without {household.by} cannot say which of them it is"
    if via is not None and via in config.name_veto_kinds and _born_apart(a, b):
        born = " and ".join("/".join(sorted(p.birth_dates)) for p in (a, b))
        return f"birth dates differ: {born} on a shared {via.value}"
    if via in config.name_veto_kinds and a.names and b.names:
        best = max(name_similarity(x, y) for x in a.names.values() for y in b.names.values())
        if best < config.name_veto_below:
            return (f"names differ: {_shown(a)} and {_shown(b)} (similarity {best:.2f}) on a "
                    f"shared {via.value}")
    return None


def _two_mobiles(a: Person, b: Person) -> str:
    """The mobile numbers of ``a`` and ``b`` when each holds one and they share none, else ``""``."""
    mine, theirs = ({p for p in x.values.get(IdKind.PHONE, ()) if is_mobile(p)} for x in (a, b))
    return " and ".join(sorted(mine | theirs)) if mine and theirs and mine.isdisjoint(theirs) else ""


def _born_apart(a: Person, b: Person) -> bool:
    """Both have birth dates and none is the same: a parent and child of one name, say."""
    return bool(a.birth_dates and b.birth_dates) and a.birth_dates.isdisjoint(b.birth_dates)


def _generation_gap(a: Person, b: Person, years: int) -> str:
    """The two furthest birth dates of ``a`` and ``b`` when their years are ``years`` or more
    apart, else ``""``: the whole people are compared, not only the two records of a match."""
    if not (a.birth_dates and b.birth_dates):
        return ""
    pairs = ((x, y) for x in a.birth_dates for y in b.birth_dates if x[:4].isdigit() and y[:4].isdigit())
    x, y = max(pairs, key=lambda p: abs(int(p[0][:4]) - int(p[1][:4])), default=("", ""))
    return " and ".join(sorted((x, y))) if x and abs(int(x[:4]) - int(y[:4])) >= years else ""


def _swapped(keys: NameKeys) -> NameKeys:
    """The name read the other way round (Novikov Vanya is Vanya Novikov)."""
    return replace(keys, given=keys.family, family=keys.given, given_alternatives=keys.family_alternatives,
                   family_alternatives=keys.given_alternatives, given_keys=keys.family_keys,
                   family_keys=keys.given_keys)


def _shown(person: Person) -> str:
    return "/".join(sorted(f"{g} {f}".strip() for g, f in person.names))
