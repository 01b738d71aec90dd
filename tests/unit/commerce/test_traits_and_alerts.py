"""Customer traits, the product/supplier view, late and failed delivery detection, parsing."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from frontoffice.commerce import intake
from frontoffice.commerce.shipments import alert_records, alert_type
from frontoffice.commerce.traits import customer_traits, product_view

VARIANTS = {"D-M": {"product_id": "D", "size": "M", "category": "dresses", "supplier_ids": ["S1"]},
            "D-L": {"product_id": "D", "size": "L", "category": "dresses", "supplier_ids": ["S1"]},
            "J-32": {"product_id": "J", "size": "32", "category": "jeans", "supplier_ids": ["S2"]}}


def order(order_id: str, lines: list[tuple[str, int, str, str | None]], total: float,
          status: str = "delivered") -> dict[str, Any]:
    return {"order_id": order_id, "status": status, "currency": "EUR", "total": total,
            "lines": [{"line_no": i, "sku": sku, "qty": qty, "fulfilment": mode, "location_id": loc}
                      for i, (sku, qty, mode, loc) in enumerate(lines, start=1)]}


ORDERS = [order("O1", [("D-M", 1, "bopis", "ST1"), ("D-L", 1, "bopis", "ST1")], 200),
          order("O2", [("J-32", 1, "ship", None)], 80),
          order("O3", [("J-32", 1, "ship", None)], 80, status="cancelled")]
RETURNS = [{"order_id": "O1", "line_no": 2, "qty": 1, "reason": "too_big", "status": "refunded",
            "refund_amount": 100.0, "method": "boris", "location_id": "ST1"}]


def test_traits_sum_value_net_of_refunds_and_skip_cancelled_orders() -> None:
    traits = customer_traits(ORDERS, RETURNS, [], [], VARIANTS)
    assert traits["order_count"] == 2
    assert traits["lifetime_value"] == {"EUR": 180.0}
    assert traits["return_rate"] == round(1 / 3, 3)
    assert traits["return_reasons"] == {"too_big": 1}


def test_kept_sizes_ignore_what_was_sent_back() -> None:
    traits = customer_traits(ORDERS, RETURNS, [], [], VARIANTS)
    assert traits["kept_sizes"] == {"dresses": "M", "jeans": "32"}
    assert traits["preferred_store"] == "ST1" and traits["preferred_fulfilment"] == "bopis"


def test_late_deliveries_and_active_subscriptions_are_counted() -> None:
    alerts = [{"type": "shipment.late"}, {"type": "shipment.failed"}]
    subs = [{"subscription_id": "SUB1", "status": "active"},
            {"subscription_id": "SUB2", "status": "cancelled"}]
    traits = customer_traits(ORDERS, [], alerts, subs, VARIANTS)
    assert (traits["late_deliveries"], traits["failed_deliveries"]) == (1, 1)
    assert traits["active_subscriptions"] == ["SUB1"]


def test_product_view_compares_return_and_problem_rates_per_supplier() -> None:
    returns = [*RETURNS, {"order_id": "O2", "line_no": 1, "qty": 1, "reason": "damaged",
                          "status": "requested"}]
    view = product_view(ORDERS, returns, [], VARIANTS)
    suppliers = {row["id"]: row for row in view["suppliers"]}
    assert suppliers["S2"]["problem_rate"] == 1.0 and suppliers["S1"]["problem_rate"] == 0.0
    assert suppliers["S1"]["return_rate"] == 0.5
    assert view["suppliers"][0]["id"] == "S2"  # worst first


NOW = datetime(2026, 3, 10, tzinfo=UTC)


def shipment(status: str, delivered_at: str | None) -> dict[str, Any]:
    return {"shipment_id": "SH1", "order_id": "O1", "location_id": "WH", "carrier": "dhl",
            "status": status, "promised_by": "2026-03-05T12:00:00+00:00",
            "delivered_at": delivered_at}


@pytest.mark.parametrize(("status", "delivered_at", "expected"), [
    ("delivered", "2026-03-04T12:00:00+00:00", None),
    ("delivered", "2026-03-06T12:00:00+00:00", "shipment.late"),
    ("failed", None, "shipment.failed"),
    ("in_transit", None, "shipment.late"),
])
def test_late_and_failed_deliveries_are_detected(status: str, delivered_at: str | None,
                                                 expected: str | None) -> None:
    assert alert_type(shipment(status, delivered_at), NOW) == expected


def test_an_alert_has_a_stable_message_id_so_detecting_twice_stores_it_once() -> None:
    first = alert_records([shipment("failed", None)], NOW)
    again = alert_records([shipment("failed", None)], datetime(2026, 3, 11, tzinfo=UTC))
    assert first[0].message_id == again[0].message_id == "shipment.failed:SH1"
    assert first[0].family == "commerce"


@pytest.mark.parametrize(("body", "code"), [
    ({"event_id": "e", "version": 1, "location_id": "L", "sku": "S", "on_hand": -1}, "negative_quantity"),
    ({"event_id": "e", "version": 1, "location_id": "L", "sku": "S"}, "invalid_payload"),
    ({"event_id": "e", "version": 1, "location_id": "L", "sku": "S", "on_hand": 1, "x": 1},
     "invalid_payload"),
    ([], "invalid_payload"),
])
def test_malformed_inventory_is_refused_with_a_code(body: object, code: str) -> None:
    with pytest.raises(intake.IntakeError) as caught:
        intake.parse("inventory", body)
    assert caught.value.code == code
