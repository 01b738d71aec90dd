"""Saleor webhook payloads mapped to native commerce events.

Saleor's serialised webhook payload is a JSON array of objects, each with a global ``id``
(base64 of ``Type:pk``) and snake_case fields. Mapped events (from the ``Saleor-Event`` or
``X-Saleor-Event`` header): ``order_created`` / ``order_updated`` (orders),
``fulfillment_created`` (shipments) and ``product_variant_stock_updated`` (inventory).
Ids are decoded to their ``pk``: register Saleor warehouses as locations with that id.
Saleor has no entity version, so ``updated_at`` (else ``created``) in milliseconds, plus the
rank of the order status, orders the changes.
"""

from __future__ import annotations

import base64
import binascii
from datetime import datetime, timedelta
from typing import Any

from frontoffice.commerce.intake import IntakeError

EVENT_HEADER = "Saleor-Event"
PROMISE_DAYS = 5  # promised delivery when the fulfilment's metadata has no ``promised_by``
_ORDER_STATUS = {
    "unconfirmed": "pending", "unfulfilled": "confirmed",
    "partially_fulfilled": "partially_fulfilled", "fulfilled": "fulfilled",
    "partially_returned": "fulfilled", "returned": "fulfilled",
    "canceled": "cancelled", "expired": "cancelled",
}
_RANK = {s: i for i, s in enumerate(("pending", "confirmed", "partially_fulfilled",
                                     "fulfilled", "cancelled"))}


def pk(global_id: object) -> str:
    """``T3JkZXI6MTI=`` (``Order:12``) -> ``12``; anything else unchanged."""
    text = str(global_id or "")
    try:
        decoded = base64.b64decode(text, validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return text
    kind, sep, key = decoded.partition(":")
    return key if sep and kind.isalpha() and key else text


def _when(value: object, field: str) -> datetime:
    if not isinstance(value, str):
        raise IntakeError("invalid_payload", f"Saleor payload needs '{field}' as a date-time.")
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise IntakeError("invalid_payload", f"Saleor '{field}' {value[:40]!r} is not a date-time.") from None


def _ms(at: datetime) -> int:
    return int(at.timestamp() * 1000)


def _order(o: dict[str, Any]) -> dict[str, Any]:
    status = _ORDER_STATUS.get(str(o.get("status")))
    if status is None:
        raise IntakeError("unsupported_status", f"Saleor order status {o.get('status')!r} is not "
                          f"mapped; mapped: {', '.join(sorted(_ORDER_STATUS))}.")
    created = _when(o.get("created"), "created")
    changed = _when(o["updated_at"], "updated_at") if o.get("updated_at") else created
    version = _ms(changed) * 10 + _RANK[status]
    lines = []
    for number, line in enumerate(o.get("lines") or [], start=1):
        allocations = line.get("allocations") or []
        lines.append({
            "line_no": number, "sku": line.get("product_sku"), "qty": line.get("quantity"),
            "unit_price": float(line.get("unit_price_gross_amount") or 0),
            "list_price": float(line.get("undiscounted_unit_price_gross_amount") or 0) or None,
            "fulfilment": "bopis" if o.get("collection_point") else "ship",
            "location_id": pk(allocations[0]["warehouse_id"]) if allocations else None,
        })
    channel = o.get("channel") or {}
    currency = (o.get("lines") or [{}])[0].get("currency") or channel.get("currency_code")
    order_id = pk(o.get("id"))
    return {
        "event_id": f"saleor:order:{order_id}:{version}", "version": version,
        "occurred_at": changed.isoformat(), "order_id": order_id, "status": status,
        "channel": channel.get("slug") or "saleor", "placed_at": created.isoformat(),
        "currency": currency, "total": float(o.get("total_gross_amount") or 0),
        "customer": {"email": o.get("user_email"), "user_id": pk(o["user_id"]) if o.get("user_id")
                     else None},
        "lines": lines,
    }


def _fulfillment(f: dict[str, Any]) -> dict[str, Any]:
    order = f.get("order") or {}
    created = _when(f.get("created") or order.get("created"), "created")
    meta = f.get("metadata") or {}
    promised = _when(meta["promised_by"], "metadata.promised_by") if meta.get("promised_by") \
        else created + timedelta(days=PROMISE_DAYS)
    lines = f.get("lines") or []
    warehouse = next((pk(x["warehouse_id"]) for x in lines if x.get("warehouse_id")), None)
    status = {"fulfilled": "in_transit", "canceled": "failed", "returned": "delivered"}.get(
        str(f.get("status")), "pending")
    shipment_id = pk(f.get("id"))
    version = _ms(created) * 10 + (1 if status != "pending" else 0)
    return {
        "event_id": f"saleor:fulfillment:{shipment_id}:{f.get('status')}", "version": version,
        "shipment_id": shipment_id, "order_id": pk(order.get("id")), "location_id": warehouse,
        "mode": "ship", "carrier": str(f.get("tracking_code") or f.get("tracking_number") or ""),
        "status": status, "shipped_at": created.isoformat(), "promised_by": promised.isoformat(),
    }


def _stock(s: dict[str, Any]) -> dict[str, Any]:
    if s.get("quantity") is None or not s.get("product_sku"):
        raise IntakeError("invalid_payload", "Saleor stock payloads need product_sku and quantity "
                          "(add them to the webhook's subscription query).")
    changed = _when(s.get("updated_at"), "updated_at") if s.get("updated_at") else None
    location = pk(s.get("warehouse_id"))
    version = _ms(changed) if changed else 0
    return {
        "event_id": f"saleor:stock:{location}:{s['product_sku']}:{version}:{s['quantity']}",
        "version": version, "location_id": location, "sku": s["product_sku"],
        "on_hand": s["quantity"], "committed": s.get("quantity_allocated") or 0,
    }


_EVENTS = {"order_created": ("orders", _order), "order_updated": ("orders", _order),
           "fulfillment_created": ("shipments", _fulfillment),
           "product_variant_stock_updated": ("inventory", _stock)}


def to_native(event: str | None, body: object) -> tuple[str, list[dict[str, Any]]]:
    name = (event or "").strip().lower()
    if name not in _EVENTS:
        raise IntakeError("unsupported_event", f"Saleor event {event!r} is not mapped; send "
                          f"{', '.join(sorted(_EVENTS))} with the {EVENT_HEADER} header.")
    given = body if isinstance(body, list) else [body]
    items = [i for i in given if isinstance(i, dict)]
    if not items or len(items) != len(given):
        raise IntakeError("invalid_payload", "A Saleor payload is an array of objects.")
    kind, mapper = _EVENTS[name]
    try:
        return kind, [mapper(item) for item in items]
    except (KeyError, TypeError, AttributeError, IndexError) as exc:
        raise IntakeError("invalid_payload", f"Saleor {name} payload lacks a field: {exc}.") from None
