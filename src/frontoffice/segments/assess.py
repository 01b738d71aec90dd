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
from frontoffice.segments.model import Event, Filter, TraitDef
from frontoffice.segments.ports import Change, Outcome


@dataclass(frozen=True, slots=True)
class Since:
    """What moved since the answers a person is evaluated from: the names of their events since,
    and the facts those answers were given on (to tell which changed). The answers are the
    person's memberships (a person evaluated before), or the empty person's (``from_empty``:
    ``Catalog.baseline``, for a person with no stored event, all of whose events are new)."""

    names: frozenset[str]
    facts: Mapping[str, str]
    from_empty: bool = False


def assess(catalog: Catalog, outcome: Outcome, events: Sequence[Event], predicted: Mapping[str, str],
           members: Collection[str], now: int, windows: tuple[list[Filter], list[tuple[Filter, bool]]],
           since: Since | None = None) -> Outcome:
    """Fill ``outcome`` (whose facts are set) with the person's values, membership changes and
    next due time: wholly, or in part when ``since`` says what moved."""
    base, index = catalog.baseline(), catalog.index()
    values: dict[str, Value] = {}  # filled trait by trait, read by the segments below
    deferred: dict[str, tuple[TraitDef, Sequence[Event]]] = {}  # computed if a segment answered reads it
    person = Person(events, values, {**outcome.facts, **predicted})
    again = None if since is None else index.traits_fed(since.names)
    for name, (d, version) in catalog.traits.items():
        read = read_by(d, person.named)
        if not read:  # the value over no events, not saved
            values[name] = base.values[name]
        elif again is None or name in again:
            value = values[name] = compute(d, read, now)
            outcome.values[name] = (orjson.dumps(value.value).decode(),
                                    orjson.dumps(value.explain(d, version, now)).decode())
        else:  # not saved (an evaluation in part): the segments answered again seldom read it
            deferred[name] = (d, read)
    hit: set[str] = set()  # the segments reading what moved (a segment answered otherwise aside)
    if since is not None and again is not None:
        old, now_facts = since.facts, person.facts
        moved = {k for k in {*old, *now_facts} if old.get(k) != now_facts.get(k)}
        hit = index.segments_reading(since.names, again, moved)
    prior = base.answers if since is not None and since.from_empty else None
    differ: set[str] = set()  # the segments answered otherwise than the answers evaluated from
    answers = person.segments
    for segment, holds, reads in catalog.compiled():  # the reason only of a change
        name = segment.name
        was = name in members
        before = was if prior is None else prior[name]
        kept = since is not None and name not in hit and (not differ or reads.segments.isdisjoint(differ))
        if kept:  # nothing it reads moved: the answer stands, and so does its reason
            ok = answers[name] = before
        else:
            if deferred and not reads.computed.isdisjoint(deferred):
                for trait in reads.computed & deferred.keys():
                    values[trait] = compute(*deferred.pop(trait), now)
            ok = answers[name] = holds(person, now)
            if ok != before:
                differ.add(name)
        if ok != was:  # kept, only from the empty person's answers (else before is was)
            why = base.why[name] if kept else evaluate(segment.condition, person, now)[1]
            outcome.changes.append(Change(name, segment.version, "entered" if ok else "exited", why))
    active = {s.name for s in catalog.segments}
    for gone in sorted(set(members) - active):
        outcome.changes.append(Change(gone, 0, "exited", f"segment {gone} was deleted"))
    outcome.due_at = next_change_of(*windows, person.named, now)
    outcome.partial = since is not None and not since.from_empty  # from the empty person: all saved
    return outcome
