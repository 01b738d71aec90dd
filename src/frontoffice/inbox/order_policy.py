"""What an agent may do to an order from a ticket, and why not. Pure.

- Cancel while the order has not shipped (pending or confirmed); after that, a return.
- Resend once, when a delivery failed or is late (past its promised time, not delivered) and
  every line of it is in stock to ship: the same lines, from the same location, by the same
  carrier."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

CANCELLABLE = ("pending", "confirmed")
RESEND_DAYS = 3  # the promise of a resent parcel


def cancel_refusal(order: Mapping[str, Any]) -> str | None:
    status = order.get("status")
    if status == "cancelled":
        return f"Order {order['order_id']} is already cancelled."
    if status not in CANCELLABLE:
        return (f"Order {order['order_id']} is {status}: only a pending or confirmed order can be "
                "cancelled; start a return instead.")
    return None


@dataclass(frozen=True, slots=True)
class Resend:
    shipment_id: str
    order_id: str
    location_id: str
    carrier: str
    line_nos: list[int]
    promised_by: datetime
    why: str


def _troubled(shipment: Mapping[str, Any], now: datetime) -> str | None:
    if shipment.get("status") == "failed":
        return "its delivery failed"
    promised = shipment.get("promised_by")
    if shipment.get("status") != "delivered" and promised and datetime.fromisoformat(promised) < now:
        return f"it is late (promised by {promised})"
    return None


def resend_plan(order: Mapping[str, Any], shipments: Sequence[Mapping[str, Any]],
                available: Mapping[str, int], now: datetime) -> Resend | str:
    """The new shipment, or why the order cannot be resent."""
    order_id = order["order_id"]
    mine = [s for s in shipments if s.get("order_id") == order_id]
    if done := [s["shipment_id"] for s in mine if str(s["shipment_id"]).startswith("resend-")]:
        return f"Order {order_id} was already resent (shipment {done[0]}); resend an order once."
    troubled = [(s, why) for s in mine if (why := _troubled(s, now))]
    if not troubled:
        return (f"Order {order_id}'s delivery has not failed and is not late; resend only those "
                "(start a return for a damaged or wrong item).")
    shipment, why = troubled[0]
    line_nos = list(shipment.get("line_nos") or [line["line_no"] for line in order.get("lines", [])])
    lines = [line for line in order.get("lines", []) if line["line_no"] in line_nos]
    if short := [f"{line['sku']} ({available.get(line['sku'], 0)} of {line['qty']})" for line in lines
                 if available.get(line["sku"], 0) < line["qty"]]:
        return f"Not enough stock to resend order {order_id}: {', '.join(short)} available."
    return Resend(f"resend-{order_id}", order_id, shipment["location_id"], shipment.get("carrier", ""),
                  line_nos, now + timedelta(days=RESEND_DAYS), f"shipment {shipment['shipment_id']}: {why}")
