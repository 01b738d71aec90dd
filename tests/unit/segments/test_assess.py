"""A person evaluated before whose only news is a page of their own events is evaluated in part
(only what those events' names feed, the facts that changed and the segments that moved), and
ends exactly where a whole evaluation would: same changes, reasons, due time and values."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from frontoffice.segments.assess import Since, assess
from frontoffice.segments.model import Event
from frontoffice.segments.ports import Outcome
from tests.unit.segments.test_holds import CATALOG, FACTS, NOW, event

WINDOWS = CATALOG.windowed()


def facts(chosen: set[str]) -> dict[str, str]:
    return dict(f.split("=") for f in sorted(chosen))


def outcome(held: dict[str, str]) -> Outcome:
    evaluated = {k: v for k, v in held.items() if not k.startswith("predicted:")}
    return Outcome("p", "at", "cause", facts=evaluated)


@settings(max_examples=150, deadline=None)
@given(st.lists(event, max_size=6, unique_by=lambda e: e.seq), st.sets(st.sampled_from(FACTS)),
       st.lists(event, min_size=1, max_size=3, unique_by=lambda e: e.seq), st.sets(st.sampled_from(FACTS)),
       st.integers(0, 3 * 24))
def test_a_partial_evaluation_ends_where_a_whole_one_does(
        before: list[Event], old: set[str], new: list[Event], now_facts: set[str], hours_later: int) -> None:
    old_events = sorted(before, key=lambda e: (e.at, e.seq))
    new = [Event(e.seq + 10_000, e.name, e.at, e.props) for e in new]
    predicted = {k: v for k, v in facts(old).items() if k.startswith("predicted:")}  # kept, not evaluated
    first = assess(CATALOG, outcome(facts(old)), old_events, predicted, set(), NOW, WINDOWS)
    members = {c.segment for c in first.changes if c.change == "entered"}
    later = NOW + hours_later * 3_600_000
    if first.due_at is not None and first.due_at <= later:
        later = first.due_at - 1  # a partial evaluation is made only before the person's due time
    if later < NOW:
        return
    mine = sorted([*old_events, *new], key=lambda e: (e.at, e.seq))
    held = facts(now_facts)
    whole = assess(CATALOG, outcome(held), mine, predicted, members, later, WINDOWS)
    since = Since(frozenset(e.name for e in new), first.facts)
    part = assess(CATALOG, outcome(held), mine, predicted, members, later, WINDOWS, since)
    assert part.partial and not whole.partial
    assert part.changes == whole.changes
    assert part.due_at == whole.due_at
    assert part.values == {k: whole.values[k] for k in part.values}
    assert {k: v for k, (v, _) in whole.values.items() if k not in part.values} == \
        {k: v for k, (v, _) in first.values.items() if k not in part.values}


@settings(max_examples=150, deadline=None)
@given(st.lists(event, min_size=1, max_size=6, unique_by=lambda e: e.seq), st.sets(st.sampled_from(FACTS)),
       st.sets(st.sampled_from([s.name for s in CATALOG.segments])))
def test_a_person_with_no_stored_event_evaluated_from_the_empty_persons_answers_ends_where_a_whole_one_does(
        events: list[Event], chosen: set[str], members: set[str]) -> None:
    mine = sorted(events, key=lambda e: (e.at, e.seq))
    held = facts(chosen)
    predicted = {k: v for k, v in held.items() if k.startswith("predicted:")}
    whole = assess(CATALOG, outcome(held), mine, predicted, members, NOW, WINDOWS)
    since = Since(frozenset(e.name for e in mine), {}, from_empty=True)
    part = assess(CATALOG, outcome(held), mine, predicted, members, NOW, WINDOWS, since)
    assert not part.partial  # every value it has is saved, as a whole evaluation saves them
    assert part.changes == whole.changes
    assert part.due_at == whole.due_at
    assert part.values == whole.values
