"""The demo brand's commerce files (``frontoffice demo generate``) as native intake events.

Everything goes through the same validation, log and projection as a webhook: locations,
products, stock, prices, orders, shipments (with the order moving to delivered or
delivery_failed), and returns (requested, then refunded once received).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import orjson

from frontoffice.commerce import service
from frontoffice.storage.commerce_sql import CommerceStore

CHUNK = 2000


def _json(path: Path) -> Any:
    return orjson.loads(path.read_bytes())


def _ndjson(path: Path) -> Iterator[dict[str, Any]]:
    with path.open("rb") as handle:
        for line in handle:
            if line.strip():
                yield orjson.loads(line)


def _order(o: dict[str, Any], status: str, version: int) -> dict[str, Any]:
    return {
        "event_id": f"demo:order:{o['order_id']}:{version}", "version": version,
        "occurred_at": o["placed_at"], "order_id": o["order_id"], "status": status,
        "channel": o["marketplace"] or o["channel"], "placed_at": o["placed_at"],
        "currency": o["currency"], "total": o["total"],
        "customer": {"user_id": o["user_id"], "email": o["email"], "buyer_id": o["buyer_id"],
                     "phone": o["phone"]},
        "lines": [{"line_no": x["line_no"], "sku": x["sku"], "qty": x["qty"],
                   "unit_price": x["unit_price"], "list_price": x["list_price"],
                   "promotion_id": x["promotion_id"], "fulfilment": x["fulfilment"],
                   "location_id": x["location_id"]} for x in o["lines"]],
    }


def native_events(folder: Path) -> Iterator[tuple[str, list[dict[str, Any]]]]:
    """(intake kind, events) in the order their references need."""
    yield "locations", [{
        "event_id": f"demo:location:{x['location_id']}", "version": 1,
        **{k: v for k, v in x.items() if k not in ("street", "phone")}}
        for x in _json(folder / "locations.json")]
    catalogue = _json(folder / "catalogue.json")
    yield "products", [{
        "event_id": f"demo:product:{p['product_id']}", "version": 1, "product_id": p["product_id"],
        "name": p["name"], "category": p["category"], "supplier_ids": p["supplier_ids"],
        "variants": p["variants"]} for p in catalogue["products"]]
    yield "inventory", [{
        "event_id": f"demo:stock:{s['location_id']}:{s['sku']}", "version": 1,
        "location_id": s["location_id"], "sku": s["sku"], "on_hand": s["on_hand"],
        "committed": s["committed"], "incoming": s["incoming"]}
        for s in _json(folder / "stock.json")]
    yield "listings", [{
        "event_id": f"demo:price:{i}", "version": 1, "product_id": p["product_id"],
        "channel": p["channel"], "currency": p["currency"], "list_price": p["list_price"],
        "price": p["price"], "promotion_id": p["promotion_id"],
        "valid_from": p["valid_from"] + "T00:00:00Z", "valid_to": p["valid_to"] + "T23:59:59Z"}
        for i, p in enumerate(_json(folder / "prices.json"))]
    orders = {o["order_id"]: o for o in _ndjson(folder / "orders.ndjson")}
    yield "orders", [_order(o, "confirmed", 1) for o in orders.values()]
    shipments = list(_ndjson(folder / "shipments.ndjson"))
    yield "shipments", [{
        "event_id": f"demo:shipment:{s['shipment_id']}", "version": 1,
        "shipment_id": s["shipment_id"], "order_id": s["order_id"],
        "location_id": s["location_id"], "mode": s["mode"], "carrier": s["carrier"] or "",
        "line_nos": s["line_nos"], "status": s["status"], "shipped_at": s["shipped_at"],
        "promised_by": s["promised_by"], "delivered_at": s["delivered_at"]} for s in shipments]
    final: dict[str, str] = {}
    for s in shipments:
        if final.get(s["order_id"]) != "delivery_failed":
            final[s["order_id"]] = "delivered" if s["status"] == "delivered" else "delivery_failed"
    yield "orders", [_order(orders[i], status, 2) for i, status in final.items() if i in orders]
    returns = list(_ndjson(folder / "returns.ndjson"))
    for version, status in ((1, "requested"), (2, "refunded")):
        yield "returns", [{
            "event_id": f"demo:return:{r['return_id']}:{version}", "version": version,
            "occurred_at": r["requested_at"] if version == 1 else r["received_at"],
            "return_id": r["return_id"], "order_id": r["order_id"], "line_no": r["line_no"],
            "sku": r["sku"], "qty": r["qty"], "status": status, "reason": r["reason"],
            "method": r["method"], "location_id": r["location_id"],
            "refund_amount": r["refund_amount"]}
            for r in returns if version == 1 or r["received_at"]]


def load(cs: CommerceStore, ws: str, source_id: str, folder: Path, now: datetime) -> dict[str, int]:
    """Returns accepted events per kind; loading twice accepts nothing new."""
    counts: dict[str, int] = {}
    for kind, events in native_events(folder):
        for start in range(0, len(events), CHUNK):
            result = service.ingest(cs, ws, source_id, kind, events[start:start + CHUNK], now)
            counts[kind] = counts.get(kind, 0) + result.accepted
            counts["alerts"] = counts.get("alerts", 0) + result.alerts
    return counts


def highlights(cs: CommerceStore, ws: str, limit: int = 3) -> dict[str, Any]:
    """What ``make demo`` shows: a few price conflicts, late or failed deliveries, and the
    commerce traits of the customer with the most orders."""
    found = service.price_conflicts(cs, ws, 0.01)
    alerts = service.delivery_alerts(cs, ws)
    orders = [orjson.loads(e.doc) for e in cs.entities(ws, "order")]
    emails: dict[str, int] = {}
    for o in orders:
        email = (o["customer"].get("email") or "").lower()
        if email:
            emails[email] = emails.get(email, 0) + 1
    top = max(sorted(emails), key=lambda e: emails[e], default=None)
    return {
        "conflicts": [c["reason"] for c in found[:limit]], "conflict_count": len(found),
        "late_or_failed": [f"{a['type']} {a['shipment_id']} (order {a['order_id']}, "
                           f"{a['hours_late']} h late)" for a in alerts[:limit]],
        "alert_count": len(alerts),
        "customer": top, "traits": service.traits_for(cs, ws, [f"email:{top}"]) if top else {},
    }
