"""Real time and batch agree: on random event streams projected as they arrive (the clock moving
between arrivals), every segment's real-time members equal what its compiled SQL selects at the
same instant — on SQLite and on PostgreSQL."""

from __future__ import annotations

import itertools
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from frontoffice.storage import open_store
from frontoffice.storage.sql import SqlStore
from tests.integration.segments_support import DAY_S, World, new_world

TRAITS: list[dict[str, Any]] = [
    {"name": "orders", "op": "count", "event": "order"},
    {"name": "spend_7d", "op": "sum", "event": "order", "property": "amount", "within_days": 7},
    {"name": "biggest", "op": "max", "event": "order", "property": "amount"},
    {"name": "smallest", "op": "min", "event": "order", "property": "amount", "within_days": 3},
    {"name": "basket", "op": "avg", "event": "order", "property": "amount"},
    {"name": "first_cat", "op": "first", "event": "view", "property": "cat"},
    {"name": "last_cat", "op": "last", "event": "view", "property": "cat", "within_days": 2},
    {"name": "fav", "op": "most_frequent", "event": "view", "property": "cat"},
    {"name": "cats", "op": "distinct", "event": "view", "property": "cat"},
    {"name": "ncats", "op": "distinct_count", "event": "view", "property": "cat"},
    {"name": "idle", "op": "days_since", "event": "order"},
    {"name": "customer_days", "op": "days_since_first", "event": "view"},
    {"name": "returns", "op": "ratio", "event": "return", "denominator": {"event": "order"}},
]
SEGMENTS: list[tuple[str, dict[str, Any]]] = [
    ("buyers", {"did": "order", "at_least": 2, "within_days": 2}),
    ("x_viewers", {"did": "view", "where": {"cat": "x"}, "within_days": 1}),
    ("never_returned", {"did_not": "return"}),
    ("view_then_order", {"first": "view", "then": "order", "within_hours": 12}),
    ("spenders", {"any": [{"computed": "spend_7d", "op": "gte", "value": 40},
                          {"computed": "biggest", "op": "gt", "value": 25}]}),
    ("small_baskets", {"all": [{"computed": "basket", "op": "lt", "value": 15},
                               {"computed": "smallest", "op": "exists"}]}),
    ("cat_fans", {"any": [{"computed": "fav", "op": "eq", "value": "y"},
                          {"computed": "first_cat", "op": "in", "value": ["z"]},
                          {"computed": "last_cat", "op": "neq", "value": "x"}]}),
    ("explorers", {"all": [{"computed": "cats", "op": "contains", "value": "z"},
                           {"computed": "ncats", "op": "gte", "value": 2}]}),
    ("lapsed", {"all": [{"computed": "idle", "op": "gte", "value": 2},
                        {"computed": "orders", "op": "lte", "value": 3}]}),
    ("returners", {"computed": "returns", "op": "gte", "value": 0.5}),
    ("first_view_anniversary", {"computed": "customer_days", "op": "eq", "value": 3}),
    ("loyal_not_lapsed", {"all": [{"segment": "buyers"}, {"not": {"segment": "lapsed"}}]}),
]

event = st.tuples(st.sampled_from(["u1", "u2", "u3", "u4"]), st.sampled_from(["view", "order", "return"]),
                  st.integers(0, 6 * 24), st.sampled_from(["x", "y", "z"]), st.integers(1, 40))
# a user, what they do, the hour they do it, the category viewed, the amount ordered
stream = st.lists(st.lists(event, min_size=1, max_size=6), min_size=1, max_size=4)
later = st.integers(0, 8 * 24)


def _world(store: SqlStore) -> World:
    world = new_world(store)
    for doc in TRAITS:
        world.trait(doc)
    for name, condition in SEGMENTS:
        world.segment(name, condition)
    return world


@settings(max_examples=5, deadline=None, suppress_health_check=list(HealthCheck))
@given(batches=stream, end=later)
def test_real_time_members_equal_the_compiled_sql_on_random_streams(
        database_url: str, batches: list[list[tuple[str, str, int, str, int]]], end: int) -> None:
    store = open_store(database_url)
    try:
        world = _world(store)
        clock_h = 0
        for batch in batches:
            for user, name, hour, cat, amount in batch:
                props: dict[str, Any] = {"cat": cat} if name == "view" else {"amount": amount}
                world.track(user, name, hour * 3600 + 7, **props)
                clock_h = max(clock_h, hour)
            world.at(clock_h * 3600 + 60)
            world.project()
        world.at(clock_h * 3600 + 60 + end * 3600 + DAY_S / 3)
        world.project()
        realtime = {name: world.members(name) for name, _ in SEGMENTS}
        assert world.batch(shards=1) == realtime == world.batch(shards=3)
    finally:
        store.close()


def test_the_batch_splits_people_into_ranges_of_about_as_many_events_and_loses_none(
        database_url: str) -> None:
    store = open_store(database_url)
    try:
        world = _world(store)
        # user n does n + 1 things: the shards balance events, not people
        world.append([{"type": "track", "event": "order" if i % 3 else "view", "userId": f"user{n:02d}",
                       "properties": {"cat": "x", "amount": 9}, "messageId": f"split-{n}-{i}",
                       "timestamp": "2026-01-01T00:00:00Z"}
                      for n in range(12) for i in range(n + 1)])
        world.at(48 * 3600)
        world.project()
        cuts = world.data.person_splits(world.ws, 3)
        assert len(cuts) == 2 and cuts == sorted(cuts)
        events = {world.person(f"user{n:02d}"): n + 1 for n in range(12)}
        bounds = ["", *cuts, "\uffff"]
        shares = [sum(k for p, k in events.items() if low <= p < high)
                  for low, high in itertools.pairwise(bounds)]
        total = sum(events.values())  # 78: each range within a person's events (≤ 12) of a third
        assert sum(shares) == total and all(abs(share - total / 3) <= 12 for share in shares), shares
        whole = world.batch(shards=1)
        assert whole["never_returned"] and world.batch(shards=3) == whole == world.batch(shards=8)
    finally:
        store.close()
