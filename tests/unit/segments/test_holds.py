"""The projection answers membership with conditions compiled to plain functions and asks for the
reason only of a change: the compiled answer is always ``evaluate``'s, on random people."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from frontoffice.segments.catalog import load
from frontoffice.segments.evaluate import Person, by_name, compute, evaluate, read_by
from frontoffice.segments.model import DAY_MS, Event
from frontoffice.segments.ports import Definition

NOW = 100 * DAY_MS
TRAITS = [{"name": "orders", "op": "count", "event": "order"},
          {"name": "spend_7d", "op": "sum", "event": "order", "property": "amount", "within_days": 7},
          {"name": "fav", "op": "most_frequent", "event": "view", "property": "cat"},
          {"name": "cats", "op": "distinct", "event": "view", "property": "cat"},
          {"name": "idle", "op": "days_since", "event": "order"},
          {"name": "returns", "op": "ratio", "event": "return", "denominator": {"event": "order"}}]
SEGMENTS: list[tuple[str, dict[str, Any]]] = [
    ("buyers", {"did": "order", "at_least": 2, "within_days": 2}),
    ("x_viewers", {"did": "view", "where": {"cat": "x"}}),
    ("never_returned", {"did_not": "return"}),
    ("view_then_order", {"first": "view", "then": "order", "within_hours": 12}),
    ("spenders", {"any": [{"computed": "spend_7d", "op": "gte", "value": 40},
                          {"computed": "fav", "op": "eq", "value": "y"}]}),
    ("explorers", {"all": [{"computed": "cats", "op": "contains", "value": "z"},
                           {"computed": "returns", "op": "lt", "value": 0.5},
                           {"computed": "idle", "op": "exists"}]}),
    ("germans", {"all": [{"trait": "country", "op": "in", "value": ["DE", "AT"]},
                         {"reachable": "email"}, {"consent": "marketing", "channel": "email"}]}),
    ("likely", {"any": [{"predicted": "buy", "op": "gte", "value": 0.5},
                        {"commerce": "bought_category", "value": "shoes"}, {"commerce": "open_return"}]}),
    ("loyal", {"all": [{"segment": "buyers"}, {"not": {"segment": "explorers"}}]}),
]
CATALOG = load([Definition("trait", d["name"], 1, d, True, "") for d in TRAITS],
               [Definition("segment", name, 1, {"condition": c}, True, "") for name, c in SEGMENTS])
FACTS = ["trait:country=DE", "trait:country=FR", "reach:email=1", "consent:marketing:email=1",
         "predicted:buy=0.7", "predicted:buy=0.2", "commerce:bought_category:shoes=1",
         "commerce:open_return=R1"]

event = st.builds(lambda seq, name, hours, cat, amount: Event(seq, name, NOW - hours * 3_600_000,
                                                              {"cat": cat, "amount": amount}),
                  st.integers(1, 10_000), st.sampled_from(["view", "order", "return"]),
                  st.integers(0, 60).map(lambda n: n * 4),  # four-hour steps: some events meet
                  st.sampled_from(["x", "y", "z"]), st.integers(1, 40))


@settings(max_examples=150, deadline=None)
@given(st.lists(event, max_size=8, unique_by=lambda e: e.seq), st.sets(st.sampled_from(FACTS)))
def test_a_compiled_condition_answers_as_the_evaluated_one(events: list[Event], facts: set[str]) -> None:
    mine = sorted(events, key=lambda e: (e.at, e.seq))
    named = by_name(mine)
    computed = {name: compute(d, mine, NOW) for name, (d, _) in CATALOG.traits.items()}
    assert {name: compute(d, read_by(d, named), NOW) for name, (d, _) in CATALOG.traits.items()} == computed
    held = dict(f.split("=") for f in sorted(facts))
    slow, fast = Person(mine, computed, held), Person(mine, computed, held)
    for segment, holds, _ in CATALOG.compiled():
        slow.segments[segment.name] = evaluate(segment.condition, slow, NOW)[0]
        fast.segments[segment.name] = holds(fast, NOW)
    assert fast.segments == slow.segments
