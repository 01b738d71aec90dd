"""After an erasure, late commerce events about the erased person's orders (a shipment, a return
re-sent by the shop system) are dropped by the suppression list and recorded — neither refused
as "unknown order" (which would fail the shop's whole batch) nor stored. So is a call or message
that quotes one of their orders, however the number is written."""

from __future__ import annotations

from datetime import UTC, datetime

from frontoffice.commerce import service as commerce
from frontoffice.commerce.store import CommerceStore
from frontoffice.identity import service as identity
from frontoffice.identity.hub import IdentityHub
from frontoffice.identity.people_store import PeopleSql
from frontoffice.privacy.erasure import erase_person
from frontoffice.storage.sql import SqlStore
from tests.integration.identity_support import Brand
from tests.integration.test_privacy_scan import ANN, BO, populate
from tests.unit.commerce.sample import NOW


def shipment(order_id: str) -> dict[str, object]:
    return {"event_id": f"sh-{order_id}", "version": 1, "shipment_id": f"SH-{order_id}",
            "order_id": order_id, "location_id": "WH", "status": "delivered",
            "promised_by": "2026-03-03T00:00:00Z", "delivered_at": "2026-03-02T00:00:00Z"}


def test_late_shipments_and_returns_of_an_erased_persons_orders_are_suppressed(store: SqlStore) -> None:
    ws = populate(store)
    cs = CommerceStore(store)
    shop = store.source(ws, "shop")
    assert shop is not None
    [ann] = identity.lookup(store, ws, "email", ANN["email"])
    erase_person(store, ws, ann, people=PeopleSql(store), reason="test", requested_by="test",
                 now=datetime.now(UTC))
    before = store.count_events(ws)

    late = commerce.ingest(cs, ws, shop.id, "shipments", [shipment("O-ANN")], NOW)
    back = commerce.ingest(cs, ws, shop.id, "returns", [{
        "event_id": "rt-ann", "version": 1, "return_id": "R-ANN", "order_id": "O-ANN", "line_no": 1,
        "sku": "D-M", "qty": 1, "status": "requested", "reason": "too_big"}], NOW)
    assert late.accepted == 0 and back.accepted == 0
    assert store.count_events(ws) == before
    dropped = store.query("SELECT message_id, reason FROM privacy_suppressed_events WHERE "
                          "workspace_id = ? ORDER BY id", (ws,))
    assert [r[0] for r in dropped][-2:] == ["sh-O-ANN", "rt-ann"]
    assert all("erased" in r[1] for r in dropped)

    # Bo's orders are untouched: his shipment is stored and projected.
    assert commerce.ingest(cs, ws, shop.id, "shipments", [shipment("O-BO")], NOW).accepted == 1
    assert identity.lookup(store, ws, "email", BO["email"])


def call(mid: str, caller: str, order_id: str) -> dict[str, object]:
    return {"type": "track", "messageId": mid, "anonymousId": caller, "event": "Support Call",
            "timestamp": "2026-01-05T09:00:00Z", "properties": {"order_id": order_id}}


def test_a_call_quoting_an_erased_persons_order_is_suppressed(store: SqlStore) -> None:
    ws = populate(store)
    web = store.source(ws, "web")
    assert web is not None
    brand = Brand(store, ws, {"web": web.id})
    brand.send("web", {"type": "track", "messageId": "a5", "userId": "cus_ann_4711",
                       "event": "Order Completed", "timestamp": "2026-01-03T10:00:00Z",
                       "properties": {"order_id": "#ord-4711", "total": 20}},
               {"type": "track", "messageId": "b5", "userId": "cus_bo_1", "event": "Order Completed",
                "timestamp": "2026-01-03T11:00:00Z", "properties": {"order_id": "ORD-4712"}})
    IdentityHub(store).catch_up(ws)
    [ann] = identity.lookup(store, ws, "order_ref", "ORD 4711")
    erase_person(store, ws, ann, people=PeopleSql(store), reason="test", requested_by="test",
                 now=datetime.now(UTC))
    before = store.count_events(ws)

    # from a number nobody knows, quoting Ann's order as printed differently; and Bo's order
    brand.send("web", call("call-ann", "caller-77", "ord 4711"), call("call-bo", "caller-78", "#ORD4712"))
    assert store.count_events(ws) == before + 1
    dropped = store.query("SELECT message_id, reason FROM privacy_suppressed_events WHERE "
                          "workspace_id = ? ORDER BY id", (ws,))
    assert dropped[-1][0] == "call-ann" and "erased" in dropped[-1][1]
    assert store.event(ws, web.id, "call-bo") is not None
