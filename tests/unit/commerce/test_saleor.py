"""Saleor webhook payloads map onto native events."""

from __future__ import annotations

import base64

import pytest

from frontoffice.commerce import intake
from frontoffice.commerce.saleor import pk, to_native


def gid(kind: str, key: str) -> str:
    return base64.b64encode(f"{kind}:{key}".encode()).decode()


ORDER = {
    "type": "Order", "id": gid("Order", "o-1"), "created": "2026-03-01T10:00:00+00:00",
    "status": "unfulfilled", "user_email": "Ann@Example.com", "total_gross_amount": "59.00",
    "channel": {"slug": "default-channel", "currency_code": "USD"},
    "lines": [{"product_sku": "P1-M", "quantity": 2, "currency": "USD",
               "unit_price_gross_amount": "29.50", "undiscounted_unit_price_gross_amount": "35.00",
               "allocations": [{"warehouse_id": gid("Warehouse", "wh-1"), "quantity_allocated": 2}]}],
}


def test_global_ids_are_decoded_to_their_key() -> None:
    assert pk(gid("Order", "42")) == "42"
    assert pk("plain-id") == "plain-id"


def test_an_order_created_payload_becomes_a_native_order() -> None:
    kind, [order] = to_native("ORDER_CREATED", [ORDER])
    assert kind == "orders"
    parsed = intake.parse("orders", order)[0]
    assert parsed.model_dump()["status"] == "confirmed"
    assert order["lines"][0]["location_id"] == "wh-1" and order["customer"]["email"] == "Ann@Example.com"


def test_a_later_status_of_the_same_instant_gets_a_higher_version() -> None:
    _, [created] = to_native("order_created", [ORDER])
    _, [fulfilled] = to_native("order_updated", [{**ORDER, "status": "fulfilled"}])
    assert fulfilled["version"] > created["version"]


def test_a_fulfillment_becomes_a_shipment_with_a_default_promise() -> None:
    payload = {"id": gid("Fulfillment", "f-1"), "status": "fulfilled", "tracking_code": "TRK",
               "created": "2026-03-02T10:00:00+00:00", "order": ORDER,
               "lines": [{"quantity": 2, "warehouse_id": gid("Warehouse", "wh-1")}]}
    kind, [shipment] = to_native("FULFILLMENT_CREATED", [payload])
    assert kind == "shipments" and shipment["order_id"] == "o-1"
    assert shipment["promised_by"].startswith("2026-03-07")
    intake.parse("shipments", shipment)


def test_stock_updates_map_to_absolute_positions() -> None:
    kind, [stock] = to_native("PRODUCT_VARIANT_STOCK_UPDATED", [{
        "warehouse_id": gid("Warehouse", "wh-1"), "product_sku": "P1-M", "quantity": 7,
        "quantity_allocated": 2, "updated_at": "2026-03-02T10:00:00+00:00"}])
    assert kind == "inventory" and (stock["on_hand"], stock["committed"]) == (7, 2)


@pytest.mark.parametrize(("event", "body", "code"), [
    ("CHECKOUT_CREATED", [ORDER], "unsupported_event"),
    ("ORDER_CREATED", ["nope"], "invalid_payload"),
    ("ORDER_CREATED", [{**ORDER, "status": "draft"}], "unsupported_status"),
    ("PRODUCT_VARIANT_STOCK_UPDATED", [{"warehouse_id": "x"}], "invalid_payload"),
])
def test_unmapped_or_incomplete_payloads_are_refused(event: str, body: object, code: str) -> None:
    with pytest.raises(intake.IntakeError) as caught:
        to_native(event, body)
    assert caught.value.code == code
