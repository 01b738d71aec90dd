"""One person's evaluation: their computed traits, then every active segment in dependency order,
into an ``Outcome`` (the rows to save). Pure.

A person evaluated before whose only news is a page of their own events (``Since``) is evaluated
again in part: only the traits those events' names feed are computed and saved again, and only
the segments reading one of those names, one of those traits, a fact that changed or a segment
whose membership changed are answered again; every other answer stands as the last evaluation
left it. That holds because nothing else moved: no time-driven answer has come due (the caller
checks the person's due time is still ahead), the stored events are those the last evaluation
read, and the definitions are those it used (a changed definition queues everyone for a whole
evaluation).

A trait none of whose events the person has is not saved: its value is the value over no events,
which time does not change, and readers (``service.person``) give it from the definition.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

import orjson

from frontoffice.segments.catalog import Catalog
from frontoffice.segments.evaluate import Person, Value, compute, evaluate, next_change_of, read_by
from frontoffice.segments.model import Event, Filter
from frontoffice.segments.ports import Change, Outcome


@dataclass(frozen=True, slots=True)
class Since:
    """What moved since the answers a person is evaluated from: the names of their events since,
    the facts those answers were given on (to tell which changed), and the answers — the
    person's memberships (None: a person evaluated before), or the empty person's
    (``Catalog.baseline``: a person with no stored event, all of whose events are new)."""

    names: frozenset[str]
    facts: Mapping[str, str]
    answers: Mapping[str, bool] | None = None


def assess(catalog: Catalog, outcome: Outcome, events: Sequence[Event], predicted: Mapping[str, str],
           members: Collection[str], now: int, windows: tuple[list[Filter], list[tuple[Filter, bool]]],
           since: Since | None = None) -> Outcome:
    """Fill ``outcome`` (whose facts are set) with the person's values, membership changes and
    next due time: wholly, or in part when ``since`` says what moved."""
    values: dict[str, Value] = {}  # filled trait by trait, read by the segments below
    person = Person(events, values, {**outcome.facts, **predicted})
    again = None if since is None else {name for name, (d, _) in catalog.traits.items()
                                        if not since.names.isdisjoint(f.event for f in d.filters())}
    for name, (d, version) in catalog.traits.items():
        read = read_by(d, person.named)
        value = values[name] = compute(d, read, now)
        if read and (again is None or name in again):  # none read: the value over no events
            outcome.values[name] = (orjson.dumps(value.value).decode(),
                                    orjson.dumps(value.explain(d, version, now)).decode())
    moved: set[str] = set()
    if since is not None:
        old, now_facts = since.facts, person.facts
        moved = {k for k in {*old, *now_facts} if old.get(k) != now_facts.get(k)}
    prior = since.answers if since is not None and since.answers is not None else None
    differ: set[str] = set()  # the segments answered otherwise than the answers evaluated from
    for segment, holds, reads in catalog.compiled():  # the reason only of a change
        was = segment.name in members
        before = was if prior is None else prior.get(segment.name, False)
        if again is not None and since is not None and not reads.touched(since.names, again, moved, differ):
            ok = person.segments[segment.name] = before
        else:
            ok = person.segments[segment.name] = holds(person, now)
            if ok != before:
                differ.add(segment.name)
        if ok != was:
            why = evaluate(segment.condition, person, now)[1]
            outcome.changes.append(Change(segment.name, segment.version, "entered" if ok else "exited", why))
    active = {s.name for s in catalog.segments}
    for gone in sorted(set(members) - active):
        outcome.changes.append(Change(gone, 0, "exited", f"segment {gone} was deleted"))
    outcome.due_at = next_change_of(*windows, person.named, now)
    outcome.partial = since is not None and prior is None  # from the empty person: every value saved
    return outcome
