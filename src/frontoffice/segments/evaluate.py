"""Computing traits and evaluating conditions for one person, in memory, with the reason.

Pure: a person is their projected events (oldest first), their facts (golden-record traits,
reachability, consent, read through the owners' ports) and the segments already decided. Every
answer says why; ``next_change`` says when time alone would change an answer (a window
expires, a day passes), so the projection re-evaluates the person then and not later.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from frontoffice.segments.conditions import (
    COMMERCE,
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
)
from frontoffice.segments.model import DAY_MS, Event, Filter, TraitDef, as_number, as_text


@dataclass(frozen=True, slots=True)
class Value:
    """A computed trait's value and its explanation (events counted, window)."""

    value: Any
    events: int
    window: str
    kind: str = "number"

    def explain(self, definition: TraitDef, version: int, now: int) -> dict[str, Any]:
        return {"definition": definition.name, "version": version, "op": definition.op,
                "events_counted": self.events, "window": self.window, "as_of_ms": now}


def _window(f: Filter) -> str:
    return f"last {f.within_days} days" if f.within_days else "all time"


def compute(d: TraitDef, events: Sequence[Event], now: int) -> Value:
    found = _compute(d, events, now)
    return found if found.kind == d.kind else Value(found.value, found.events, found.window, d.kind)


def _compute(d: TraitDef, events: Sequence[Event], now: int) -> Value:
    f = d.source
    if f.where or f.within_days is not None or d.denominator is not None:
        picked = [e for e in events if f.matches(e, now)]
    else:  # every event of its name
        picked = [e for e in events if e.name == f.event]
    window = _window(d.source)
    if d.op == "count":
        return Value(len(picked), len(picked), window)
    if d.op == "ratio":
        assert d.denominator is not None  # parse_trait guarantees it
        den = sum(1 for e in events if d.denominator.matches(e, now))
        return Value(len(picked) / den if den else None, len(picked) + den, window)
    if d.op in ("days_since", "days_since_first"):
        times = [e.at for e in picked]
        at = (max(times) if d.op == "days_since" else min(times)) if times else None
        return Value(None if at is None else (now - at) // DAY_MS, len(picked), window)
    prop = d.prop or ""
    if d.op in ("sum", "min", "max", "avg"):
        numbers = [n for e in picked if (n := as_number(e.props.get(prop))) is not None]
        if d.op == "sum":
            return Value(sum(numbers), len(numbers), window)
        if not numbers:
            return Value(None, 0, window)
        result = (min(numbers) if d.op == "min" else max(numbers) if d.op == "max"
                  else sum(numbers) / len(numbers))
        return Value(result, len(numbers), window)
    having = [(e, t) for e in picked if (t := as_text(e.props.get(prop))) is not None]
    if d.op in ("first", "last"):
        if not having:
            return Value(None, 0, window)
        chosen = min(having, key=lambda p: (p[0].at, p[0].seq)) if d.op == "first" else \
            max(having, key=lambda p: (p[0].at, p[0].seq))
        return Value(chosen[0].props.get(prop), len(having), window)
    counts = Counter(t for _, t in having)
    if d.op == "most_frequent":
        best = min(counts.items(), key=lambda kv: (-kv[1], kv[0]), default=None)
        return Value(None if best is None else best[0], len(having), window)
    if d.op == "distinct_count":
        return Value(len(counts), len(having), window)
    return Value(sorted(counts), len(having), window)  # distinct


def by_name(events: Sequence[Event]) -> dict[str, list[Event]]:
    """The events by name, each list in the order given (a filter reads only its own name's)."""
    named: dict[str, list[Event]] = {}
    for e in events:
        named.setdefault(e.name, []).append(e)
    return named


def read_by(d: TraitDef, named: Mapping[str, Sequence[Event]]) -> Sequence[Event]:
    """The events ``compute(d, ...)`` can count: those of its filters' names."""
    mine = named.get(d.source.event, ())
    if d.denominator is None or d.denominator.event == d.source.event:
        return mine
    return [*mine, *named.get(d.denominator.event, ())]


def next_change(filters: Sequence[Filter], days_since: Sequence[tuple[Filter, bool]],
                events: Sequence[Event], now: int) -> int | None:
    """The earliest time after ``now`` at which an answer over these filters can change by time
    alone: a windowed event leaving its window, or a day passing since a first or last event."""
    return next_change_of(filters, days_since, by_name(events), now)


def next_change_of(filters: Sequence[Filter], days_since: Sequence[tuple[Filter, bool]],
                   named: Mapping[str, Sequence[Event]], now: int) -> int | None:
    """``next_change`` of the events by name (``by_name``)."""
    due: list[int] = []
    for f in filters:
        if f.within_days:
            span = f.within_days * DAY_MS
            due += [e.at + span + 1 for e in named.get(f.event, ())
                    if f.matches(e, now) and e.at + span + 1 > now]
    for f, first in days_since:  # (filter, whether the days count from the first event)
        times = [e.at for e in named.get(f.event, ()) if f.matches(e, now)]
        if times:
            at = min(times) if first else max(times)
            due.append(at + ((now - at) // DAY_MS + 1) * DAY_MS)
    return min(due, default=None)


def compare(op: str, have: Any, want: Any, numeric: bool) -> bool:
    """As the compiled SQL compares: numbers as numbers, anything else as text."""
    if op == "exists":
        return have is not None and have != []
    if have is None:
        return False
    if op == "contains":
        return isinstance(have, list) and as_text(want) in have
    if isinstance(have, list):
        return False
    if op in ("gt", "gte", "lt", "lte"):
        number = as_number(have)
        if number is None:
            return False
        found: bool = {"gt": number > want, "gte": number >= want, "lt": number < want,
                       "lte": number <= want}[op]
        return found
    if op == "in":
        return as_text(have) in want
    same = as_number(have) == as_number(want) if numeric else as_text(have) == as_text(want)
    return same if op == "eq" else not same


@dataclass
class Person:
    """What conditions read about one person."""

    events: Sequence[Event]
    computed: Mapping[str, Value]
    facts: Mapping[str, str]
    segments: dict[str, bool] = field(default_factory=dict)
    named: dict[str, list[Event]] = field(init=False, repr=False)  # the events by name

    def __post_init__(self) -> None:
        self.named = by_name(self.events)


def _count(f: Filter, events: Sequence[Event], now: int) -> int:
    return sum(1 for e in events if f.matches(e, now))


def _then(c: Then, events: Sequence[Event], now: int) -> tuple[int, int] | None:
    firsts = [e for e in events if c.first.matches(e, now)]
    for b in (e for e in events if c.then.matches(e, now)):
        for a in firsts:
            if a.at < b.at <= a.at + c.within_ms:
                return a.seq, b.seq
    return None


def evaluate(c: Condition, p: Person, now: int) -> tuple[bool, str]:
    """Whether the person meets the condition, and why (or why not)."""
    match c:
        case All(items):  # the first failure says why not; else every part says why
            met = []
            for i in items:
                ok, why = evaluate(i, p, now)
                if not ok:
                    return False, why
                met.append(why)
            return True, "; ".join(met)
        case AnyOf(items):  # the first part met says why; else every part says why not
            failed = []
            for i in items:
                ok, why = evaluate(i, p, now)
                if ok:
                    return True, why
                failed.append(why)
            return False, "none of: " + "; ".join(failed)
        case Not(item):
            ok, why = evaluate(item, p, now)
            return not ok, f"not ({why})"
        case Trait(name, op, value):
            have = p.facts.get(f"trait:{name}")
            return compare(op, have, value, False), f"trait {name} is {have!r}"
        case Computed(name, op, value):
            found = p.computed.get(name)
            have = None if found is None else found.value
            numeric = found is not None and found.kind == "number"
            return compare(op, have, value, numeric), f"computed {name} is {have!r}"
        case Predicted(name, op, value):
            fact = p.facts.get(f"predicted:{name}")  # stored as text, as the SQL reads it
            number = None if fact is None else float(fact)
            return compare(op, number, value, True), f"predicted {name} is {number!r}"
        case Did(f, n):
            count = _count(f, p.events, now)
            return count >= n, f"did {f.describe()} {count} time(s), needs {n}"
        case Then(a, b, _):
            pair = _then(c, p.events, now)
            if pair is None:
                return False, f"no {b.event!r} within the time after {a.event!r}"
            return True, f"{a.event!r} (seq {pair[0]}) then {b.event!r} (seq {pair[1]})"
        case Consent(purpose, channel):
            have = p.facts.get(f"consent:{purpose}:{channel}")
            verdict = "allowed" if have == "1" else "refused"
            return have == "1", f"consent to {purpose} on {channel}: {verdict}"
        case Reachable(kind):
            ok = f"reach:{kind}" in p.facts
            return ok, f"{'has' if ok else 'has no'} {kind}"
        case InSegment(name):
            ok = p.segments.get(name, False)
            return ok, f"{'in' if ok else 'not in'} segment {name}"
        case Commerce(fact, value):
            held = p.facts.get(c.key)
            what = COMMERCE[fact] + (f" {value!r}" if value is not None else "")
            return held is not None, (f"{what}: {held}" if held is not None and held != "1" else
                                      what if held is not None else f"not: {what}")
    raise TypeError(c)


def filters_of(c: Condition) -> list[Filter]:
    match c:
        case All(items) | AnyOf(items):
            return [f for i in items for f in filters_of(i)]
        case Not(item):
            return filters_of(item)
        case Did(f, _):
            return [f]
        case Then(a, b, _):
            return [a, b]
    return []
