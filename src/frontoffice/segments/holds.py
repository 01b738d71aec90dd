"""Conditions compiled once into plain functions answering only whether a person meets them.

Pure. The projection evaluates every active segment for every person an event touches; building
each answer's reason (``evaluate.evaluate``) costs more than the answer, and is only kept when a
membership changes. ``compile_condition`` gives the answer alone, reading a person's events by
name (``Person.named``), so a filter looks only at the events it could match. It answers exactly
as ``evaluate`` does (``tests/unit/segments/test_holds.py``): the reason is asked of ``evaluate``
only for the segments whose membership changed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from frontoffice.segments.conditions import (
    All,
    AnyOf,
    Commerce,
    Computed,
    Condition,
    Consent,
    Did,
    InSegment,
    Not,
    Predicted,
    Reachable,
    Then,
    Trait,
    leaves,
)
from frontoffice.segments.evaluate import Person, compare
from frontoffice.segments.model import Filter

Holds = Callable[[Person, int], bool]


def _did(f: Filter, at_least: int) -> Holds:
    if not f.where and f.within_days is None:
        return lambda p, now: len(p.named.get(f.event, ())) >= at_least

    def holds(p: Person, now: int) -> bool:
        count = 0
        for e in p.named.get(f.event, ()):
            if f.matches(e, now):
                count += 1
                if count >= at_least:
                    return True
        return count >= at_least

    return holds


def _then(c: Then) -> Holds:
    def holds(p: Person, now: int) -> bool:
        firsts = [a.at for a in p.named.get(c.first.event, ()) if c.first.matches(a, now)]
        if not firsts:
            return False
        return any(a < b.at <= a + c.within_ms for b in p.named.get(c.then.event, ())
                   if c.then.matches(b, now) for a in firsts)

    return holds


def _computed(name: str, op: str, value: object) -> Holds:
    def holds(p: Person, now: int) -> bool:
        found = p.computed.get(name)
        if found is None:
            return compare(op, None, value, False)
        return compare(op, found.value, value, found.kind == "number")

    return holds


def _predicted(key: str, op: str, value: object) -> Holds:
    def holds(p: Person, now: int) -> bool:
        fact = p.facts.get(key)
        return compare(op, None if fact is None else float(fact), value, True)

    return holds


def compile_condition(c: Condition) -> Holds:
    """A function answering ``evaluate(c, person, now)[0]``."""
    match c:
        case All(items):
            parts = [compile_condition(i) for i in items]
            return lambda p, now: all(h(p, now) for h in parts)
        case AnyOf(items):
            parts = [compile_condition(i) for i in items]
            return lambda p, now: any(h(p, now) for h in parts)
        case Not(item):
            inner = compile_condition(item)
            return lambda p, now: not inner(p, now)
        case Trait(name, op, value):
            key = f"trait:{name}"
            return lambda p, now: compare(op, p.facts.get(key), value, False)
        case Computed(name, op, value):
            return _computed(name, op, value)
        case Predicted(name, op, value):
            return _predicted(f"predicted:{name}", op, value)
        case Did(f, n):
            return _did(f, n)
        case Then():
            return _then(c)
        case Consent(purpose, channel):
            key = f"consent:{purpose}:{channel}"
            return lambda p, now: p.facts.get(key) == "1"
        case Reachable(kind):
            key = f"reach:{kind}"
            return lambda p, now: key in p.facts
        case InSegment(name):
            return lambda p, now: p.segments.get(name, False)
        case Commerce():
            key = c.key
            return lambda p, now: p.facts.get(key) is not None
    raise TypeError(c)


@dataclass(frozen=True, slots=True)
class Reads:
    """What a condition's answer depends on: event names, computed traits, facts, segments."""

    events: frozenset[str]
    computed: frozenset[str]
    facts: frozenset[str]
    segments: frozenset[str]


def reads_of(c: Condition) -> Reads:
    """The inputs of ``c``: its answer changes only when one of them does (or time passes)."""
    events: set[str] = set()
    computed: set[str] = set()
    facts: set[str] = set()
    segments: set[str] = set()
    for leaf in leaves(c):
        match leaf:
            case Trait(name, _, _):
                facts.add(f"trait:{name}")
            case Computed(name, _, _):
                computed.add(name)
            case Predicted(name, _, _):
                facts.add(f"predicted:{name}")
            case Did(f, _):
                events.add(f.event)
            case Then(a, b, _):
                events.update((a.event, b.event))
            case Consent(purpose, channel):
                facts.add(f"consent:{purpose}:{channel}")
            case Reachable(kind):
                facts.add(f"reach:{kind}")
            case InSegment(name):
                segments.add(name)
            case Commerce():
                facts.add(leaf.key)
    return Reads(frozenset(events), frozenset(computed), frozenset(facts), frozenset(segments))
