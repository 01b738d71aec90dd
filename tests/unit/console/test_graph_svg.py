"""The identity graph's layout: deterministic, and only an identifier two records share is drawn
as the one that merged them."""

from __future__ import annotations

from typing import Any

from frontoffice.console.graph_svg import layout

GRAPH: dict[str, Any] = {
    "person_id": "p_1",
    "nodes": [
        {"id": "s1:b", "type": "record", "source_id": "s1", "observed_at": "2026-03-02T00:00:00Z"},
        {"id": "s1:a", "type": "record", "source_id": "s1", "observed_at": "2026-03-01T00:00:00Z"},
        {"id": "user_id:u", "type": "identifier", "kind": "user_id", "value": "u", "used_to_merge": True},
        {"id": "email:e", "type": "identifier", "kind": "email", "value": "e", "used_to_merge": True},
    ],
    "edges": [{"from": "s1:a", "to": "user_id:u"}, {"from": "s1:b", "to": "user_id:u"},
              {"from": "s1:a", "to": "email:e"}],
}


def test_records_are_drawn_oldest_first_and_identifiers_by_kind() -> None:
    drawn = layout(GRAPH, {"s1": "web"})
    records = [b for b in drawn.boxes if b.kind == "record"]
    assert [b.label for b in records] == ["a", "b"] and records[0].y < records[1].y
    assert records[0].detail.startswith("web · 2026-03-01")
    assert [b.detail for b in drawn.boxes if b.kind == "identifier"] == ["email", "user_id"]
    assert layout(GRAPH, {"s1": "web"}) == drawn


def test_only_an_identifier_two_records_carry_is_drawn_as_merging() -> None:
    drawn = layout(GRAPH, {})
    assert {b.label: b.merges for b in drawn.boxes if b.kind == "identifier"} == {"e": False, "u": True}
    assert sorted(line.merges for line in drawn.lines) == [False, True, True]
