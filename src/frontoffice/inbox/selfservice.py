"""Self-service: "where is my order" answered from commerce's data in the chat, before an agent
reads it. The answer names the order and its shipments as commerce knows them; the ticket stays
routed (the customer may write again) and is tagged ``self_service``; the lead view counts those
no agent had to answer (deflection)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from frontoffice.inbox.ports import CustomerContext, Understanding

MIN_CONFIDENCE = 0.3  # the category head's probability over nine classes
AUTHOR = "self-service"


def _shipment_line(s: dict[str, Any]) -> str:
    parts = [f"shipment {s['shipment_id']}: {s['status'].replace('_', ' ')}"]
    if s.get("carrier"):
        parts.append(f"with {s['carrier']}")
    if s.get("delivered_at"):
        parts.append(f"delivered {s['delivered_at'][:10]}")
    elif s.get("promised_by"):
        parts.append(f"expected by {s['promised_by'][:10]}")
    return " ".join(parts)


def where_is_my_order(understanding: Understanding, context: CustomerContext,
                      mentioned: Sequence[str]) -> str | None:
    """The answer from commerce's data, or None (not that question, unsure, or nothing to say)."""
    if understanding.category != "where_is_my_order" or understanding.category_confidence < MIN_CONFIDENCE:
        return None
    orders = {o["order_id"]: o for o in context.orders}
    chosen = [orders[i] for i in mentioned if i in orders] or sorted(
        context.orders, key=lambda o: str(o.get("placed_at", "")))[-1:]
    if not chosen:
        return None
    order = chosen[0]
    shipments = [s for s in context.shipments if s.get("order_id") == order["order_id"]]
    if not shipments:
        status = order.get("status", "being prepared")
        return f"Your order {order['order_id']} is {status}; it has not shipped yet."
    lines = "; ".join(_shipment_line(s) for s in shipments)
    return f"Your order {order['order_id']}: {lines}. An agent will follow up if you need more."
