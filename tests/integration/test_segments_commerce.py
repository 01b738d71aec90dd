"""Commerce in segment conditions — an open return, bought in a category, suffered a late
delivery — read through commerce's port, in real time as commerce's events are projected and in
batch, on SQLite and PostgreSQL. A late shipment names no customer: its order's buyer is found
through commerce, and the delay becomes that person's ``shipment.late`` event."""

from __future__ import annotations

from typing import Any

from frontoffice.commerce import service as commerce
from frontoffice.storage.sql import SqlStore
from frontoffice.tenancy import service as tenancy
from tests.integration.segments_support import World
from tests.unit.commerce.sample import NOW, order, setup

SEGMENTS: list[tuple[str, dict[str, Any]]] = [
    ("returning", {"commerce": "open_return"}),
    ("dress_buyers", {"commerce": "bought_category", "value": "dresses"}),
    ("hat_buyers", {"commerce": "bought_category", "value": "hats"}),
    ("let_down", {"commerce": "late_delivery"}),
    ("let_down_this_week", {"did": "shipment.late", "within_days": 7}),
]


def _return(version: int, status: str) -> dict[str, Any]:
    return {"event_id": f"r1-v{version}", "version": version, "return_id": "R1", "order_id": "O1",
            "line_no": 1, "sku": "D-M", "qty": 1, "status": status, "reason": "too_small"}


def _in(world: World) -> dict[str, set[str]]:
    world.project()
    realtime = {name: world.members(name) for name, _ in SEGMENTS}
    assert world.batch() == realtime
    return realtime


def test_a_late_delivery_an_open_return_and_a_category_bought_are_the_buyers_facts(store: SqlStore) -> None:
    cs, ws, shop = setup(store)
    web, _ = tenancy.create_source(store, ws, "web", "web")
    world = World(store, ws, web.id)
    world.clock[0] = NOW.timestamp() + 3600
    for name, condition in SEGMENTS:
        world.segment(name, condition)
    world.identify("cus_ann", email="ann@posteo.de")
    world.identify("cus_bo", email="bo@posteo.de")
    assert _in(world) == {name: set() for name, _ in SEGMENTS}
    ann = world.person("cus_ann")

    commerce.ingest(cs, ws, shop, "orders", [order(1, "fulfilled", email="ANN@posteo.de")], NOW)
    commerce.ingest(cs, ws, shop, "returns", [_return(1, "requested")], NOW)
    assert _in(world) == {"returning": {ann}, "dress_buyers": {ann}, "hat_buyers": set(), "let_down": set(),
                          "let_down_this_week": set()}

    commerce.ingest(cs, ws, shop, "shipments", [{
        "event_id": "sh1", "version": 1, "shipment_id": "SH1", "order_id": "O1", "location_id": "WH",
        "status": "delivered", "promised_by": "2026-02-27T00:00:00Z",
        "delivered_at": "2026-03-01T00:00:00Z"}], NOW)
    found = _in(world)
    assert found["let_down"] == found["let_down_this_week"] == {ann}
    why = {h["segment"]: h["why"] for h in world.data.history(ws, person_id=ann)}
    assert why["let_down"] == "suffered a late delivery: SH1"
    assert "shipment.late" in why["let_down_this_week"]

    commerce.ingest(cs, ws, shop, "returns", [_return(2, "authorised"), _return(3, "received"),
                                              _return(4, "inspected"), _return(5, "refunded")], NOW)
    assert _in(world)["returning"] == set()
    world.clock[0] = NOW.timestamp() + 8 * 86_400  # a week later: the delay is old news
    found = _in(world)
    assert found["let_down"] == {ann} and found["let_down_this_week"] == set()
