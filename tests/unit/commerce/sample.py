"""A tiny catalogue shared by the commerce tests: two locations, one product in two sizes."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from frontoffice.commerce import service
from frontoffice.commerce.store import CommerceStore
from frontoffice.services import tenancy
from frontoffice.storage.sql import SqlStore

NOW = datetime(2026, 3, 1, 12, tzinfo=UTC)
LOCATIONS = [
    {"event_id": "loc-wh", "version": 1, "location_id": "WH", "kind": "warehouse", "city": "Reno",
     "country": "US", "capabilities": ["ship"]},
    {"event_id": "loc-st", "version": 1, "location_id": "ST", "kind": "store", "city": "Austin",
     "country": "US", "capabilities": ["ship", "bopis", "boris", "boss"]},
]
PRODUCTS = [{"event_id": "prd-d", "version": 1, "product_id": "D", "name": "Wrap Dress",
             "category": "dresses", "supplier_ids": ["S1"],
             "variants": [{"sku": "D-M", "size": "M"}, {"sku": "D-L", "size": "L"}]}]
STOCK = [{"event_id": "stk-1", "version": 1, "location_id": "WH", "sku": "D-M", "on_hand": 10,
          "committed": 2},
         {"event_id": "stk-2", "version": 1, "location_id": "ST", "sku": "D-M", "on_hand": 3}]


def order(version: int, status: str, *, order_id: str = "O1", email: str = "ann@example.com",
          event_id: str | None = None) -> dict[str, Any]:
    return {"event_id": event_id or f"{order_id}-v{version}", "version": version,
            "order_id": order_id, "status": status, "channel": "web",
            "placed_at": "2026-03-01T10:00:00Z", "currency": "EUR", "total": 100.0,
            "customer": {"email": email},
            "lines": [{"line_no": 1, "sku": "D-M", "qty": 1, "unit_price": 100.0}]}


def setup(store: SqlStore, name: str = "acme") -> tuple[CommerceStore, str, str]:
    """A workspace with a commerce source and the catalogue loaded: (cs, ws id, source id)."""
    ws = tenancy.create_workspace(store, name)
    source, _ = tenancy.create_source(store, ws.id, "shop", "commerce")
    cs = CommerceStore(store)
    for kind, items in (("locations", LOCATIONS), ("products", PRODUCTS), ("inventory", STOCK)):
        service.ingest(cs, ws.id, source.id, kind, items, NOW)
    return cs, ws.id, source.id


def state(cs: CommerceStore, ws: str) -> dict[str, Any]:
    """Everything the projection holds for ``ws``, comparable across runs."""
    out: dict[str, Any] = {}
    for kind in ("location", "product", "variant", "listing", "order", "shipment", "return",
                 "subscription", "alert"):
        out[kind] = [(e.entity_id, e.version, e.doc) for e in cs.entities(ws, kind)]
    out["positions"] = sorted(cs.all_positions(ws), key=lambda p: (p.sku, p.location_id))
    return out
