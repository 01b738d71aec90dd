"""Invariants of the identity graph over random streams of records, edges and splits."""

from __future__ import annotations

from dataclasses import replace

from hypothesis import given, note, settings
from hypothesis import strategies as st

from frontoffice.identity.extract import record_name_keys
from frontoffice.identity.graph import Graph, Node
from frontoffice.identity.model import MatchEvidence
from frontoffice.identity.rules import GraphConfig, MatchEdge
from tests.unit.identity_core.support import node

VALUES = [f"user_id:u{i}" for i in range(4)] + [f"email:e{i}@x.de" for i in range(5)] + [
    f"phone:+4917000000{i}" for i in range(4)] + [f"anonymous_id:a{i}" for i in range(6)]
PROBABLE = MatchEvidence("probabilistic", "name, birth date", 12.0)
SAID_NO = MatchEvidence("manual", "not the same person")


@st.composite
def streams(draw: st.DrawFn) -> tuple[list[Node], list[tuple[int, str, int, int]]]:
    ids = draw(st.lists(st.lists(st.sampled_from(VALUES), max_size=3, unique=True), min_size=1, max_size=30))
    names = draw(st.lists(st.sampled_from([None, "Ann", "Bob"]), min_size=len(ids), max_size=len(ids)))
    nodes = [named(node(f"r{i}", i + 1, *chosen), names[i]) for i, chosen in enumerate(ids)]
    n = len(nodes)
    actions = draw(st.lists(st.tuples(st.integers(0, n), st.sampled_from(["edge", "separate"]),
                                      st.integers(0, n - 1), st.integers(0, n - 1)), max_size=4))
    return nodes, [a for a in actions if a[2] != a[3]]


def named(n: Node, given: str | None) -> Node:
    keys = record_name_keys(given, "Smith", "GB") if given else None
    return replace(n, names=(keys,) if keys else ())


def check_partition(g: Graph) -> None:
    seen: dict[str, str] = {}
    for pid, members in g.partition().items():
        for rid in members:
            assert rid not in seen, f"{rid} is in {seen[rid]} and {pid}"
            seen[rid] = pid
    assert set(seen) == set(g.nodes)
    assert all(g.person_of(r) == p for r, p in seen.items())


def play(nodes: list[Node], actions: list[tuple[int, str, int, int]]) -> Graph:
    g = Graph(GraphConfig())
    for at in range(len(nodes) + 1):
        for when, kind, a, b in actions:
            if when == at:
                if kind == "edge":
                    g.add_edge(MatchEdge(f"r{a}", f"r{b}", PROBABLE))
                else:
                    g.separate({f"r{a}"}, {f"r{b}"}, SAID_NO)
                check_partition(g)
        if at < len(nodes):
            g.add(nodes[at])
            check_partition(g)
    return g


@settings(max_examples=150, deadline=None)
@given(streams())
def test_every_record_belongs_to_exactly_one_person_at_every_moment(stream: tuple[list[Node], list]) -> None:
    play(*stream)  # checks after every step


@settings(max_examples=150, deadline=None)
@given(streams())
def test_the_incremental_graph_equals_a_replay_of_the_same_input(stream: tuple[list[Node], list]) -> None:
    nodes, actions = stream
    note(f"records {[(n.record_id, [str(i) for i in n.identifiers]) for n in nodes]}; actions {actions}")
    incremental = play(nodes, actions)
    edges = [MatchEdge(f"r{a}", f"r{b}", PROBABLE) for _, kind, a, b in actions if kind == "edge"]
    separations = [(frozenset({f"r{a}"}), frozenset({f"r{b}"})) for _, kind, a, b in actions
                   if kind == "separate"]
    replayed = Graph.rebuild(GraphConfig(), nodes, edges, separations)
    assert incremental.partition() == replayed.partition()
    assert incremental.generic == replayed.generic


@settings(max_examples=150, deadline=None)
@given(streams(), st.data())
def test_merge_then_split_returns_the_original_partition(stream: tuple[list[Node], list],
                                                         data: st.DataObject) -> None:
    nodes, _ = stream
    g = play(nodes, [])
    before = g.partition()
    if len(before) < 2:
        return
    first, second = data.draw(st.lists(st.sampled_from(sorted(before)), min_size=2, max_size=2, unique=True))
    a, b = min(before[first]), min(before[second])
    g.add_edge(MatchEdge(a, b, MatchEvidence("manual", "agent merged"), forced=True))
    assert g.person_of(a) == g.person_of(b)
    g.separate(before[first], before[second], MatchEvidence("manual", "agent split"))
    assert g.partition() == before


@settings(max_examples=100, deadline=None)
@given(st.lists(st.lists(st.sampled_from(VALUES), max_size=3, unique=True).filter(
    lambda ids: sum(i.startswith("user_id:") for i in ids) <= 1), min_size=2, max_size=25))
def test_no_automatic_merge_joins_two_logins(ids: list[list[str]]) -> None:
    g = play([node(f"r{i}", i + 1, *chosen) for i, chosen in enumerate(ids)], [])
    for pid, members in g.partition().items():
        logins = {i.value for r in members for i in g.nodes[r].identifiers if i.kind.value == "user_id"}
        assert len(logins) <= 1, pid
