"""Seeded incidents with ground truth, written through the product's own ingestion (commerce's
``service.ingest``, the inbox's ``intake.receive``, ``reply`` and ``rate``): ordinary noise for
``days`` days and, from ``incident_day``, four incidents — a supplier's defective batch (damaged
returns and tickets in English, German and Japanese), an agent falling behind the SLA, a store's
late click-and-collect orders and a promotion priced differently on two channels. ``truth.Truth``
says which orders, returns, tickets, shipments and listings each incident made, and when it began;
the desk's side is ``seed_desk``."""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from typing import Any

from frontoffice.commerce.ports import Commerce
from frontoffice.inbox import slas
from frontoffice.inbox.deps import Desk
from frontoffice.insights import seed_desk
from frontoffice.insights.truth import Incident, Truth
from frontoffice.insights.world import START, World

STORES = {"ST1": "north", "ST2": "south", "ST3": "east"}
PRODUCTS = {
    "P1": ("shoes", ["SUP-A", "SUP-B"]),
    "P2": ("shoes", ["SUP-C"]),
    "P3": ("bags", ["SUP-D"]),
    "P4": ("shirts", ["SUP-E"]),
}
SIZES = ("40", "42", "44")


def seed(
    cs: Commerce,
    desk: Desk,
    ws: str,
    days: int = 35,
    incident_day: int = 29,
    orders_per_day: int = 24,
    tickets_per_day: int = 3,
    seed_value: int = 20,
) -> Truth:
    w = World(
        cs,
        desk,
        ws,
        random.Random(seed_value),
        {k: Incident(k) for k in ("defective_batch", "agent_behind", "store_late", "price_split")},
        orders_per_day,
        tickets_per_day,
    )
    _catalogue(w)
    for day in range(days):
        _day(w, day, day >= incident_day)
    return Truth(w.truth, (START + timedelta(days=days - 1)).date().isoformat())


def _catalogue(w: World) -> None:
    at, v = START - timedelta(days=1), 1
    w.ingest(
        "locations",
        [
            {
                "event_id": "loc-W1",
                "version": v,
                "location_id": "W1",
                "kind": "warehouse",
                "region": "north",
                "capabilities": ["ship"],
            }
        ]
        + [
            {
                "event_id": f"loc-{s}",
                "version": v,
                "location_id": s,
                "kind": "store",
                "region": r,
                "capabilities": ["bopis"],
            }
            for s, r in STORES.items()
        ],
        at,
    )
    w.ingest(
        "products",
        [
            {
                "event_id": f"prod-{p}",
                "version": v,
                "product_id": p,
                "name": p,
                "category": c,
                "supplier_ids": sups,
                "variants": [{"sku": f"{p}-{s}", "size": s} for s in SIZES],
            }
            for p, (c, sups) in PRODUCTS.items()
        ],
        at,
    )
    ends = (START + timedelta(days=400)).isoformat()
    w.ingest(
        "listings",
        [
            {
                "event_id": f"list-{p}-{ch}",
                "version": v,
                "product_id": p,
                "channel": ch,
                "currency": "EUR",
                "list_price": 80.0,
                "price": 80.0,
                "valid_from": at.isoformat(),
                "valid_to": ends,
            }
            for p in PRODUCTS
            for ch in ("web", "app")
        ],
        at,
    )
    seed_desk.agents(w, at)


def _day(w: World, day: int, incident: bool) -> None:
    base = START + timedelta(days=day)
    orders: list[dict[str, Any]] = []
    returns: list[dict[str, Any]] = []
    shipments: list[dict[str, Any]] = []
    complaints: list[tuple[str, datetime]] = []
    for _ in range(w.rng.randint(w.orders_per_day * 5 // 6, w.orders_per_day * 7 // 6)):
        oid = w.next_id("O")
        product = w.rng.choices(list(PRODUCTS), weights=(4, 2, 2, 2))[0]  # P1 sells best
        supplier = w.rng.choice(PRODUCTS[product][1])
        size, channel = w.rng.choice(SIZES), w.rng.choice(("web", "app"))
        store = w.rng.choice(list(STORES)) if w.rng.random() < 0.3 else None
        placed = base + timedelta(hours=8, minutes=w.rng.randint(0, 600))
        line = {
            "line_no": 1,
            "sku": f"{product}-{size}",
            "qty": 1,
            "unit_price": 80.0,
            "supplier_id": supplier,
            "fulfilment": "bopis" if store else "ship",
            "location_id": store,
        }
        orders.append(
            {
                "event_id": f"{oid}-v1",
                "version": 1,
                "order_id": oid,
                "status": "confirmed",
                "channel": channel,
                "placed_at": placed.isoformat(),
                "currency": "EUR",
                "customer": {"email": f"c{oid}@mail.example"},
                "lines": [line],
                "total": 80.0,
            }
        )
        defective = incident and product == "P1" and supplier == "SUP-A"
        damaged = w.rng.random() < (0.45 if defective else 0.01)
        reason = (
            "damaged"
            if damaged
            else w.rng.choice(("size", "changed_mind"))
            if w.rng.random() < 0.06
            else None
        )
        if reason:
            rid = w.next_id("R")
            returns.append(
                {
                    "event_id": rid,
                    "version": 1,
                    "return_id": rid,
                    "order_id": oid,
                    "line_no": 1,
                    "sku": line["sku"],
                    "qty": 1,
                    "status": "requested",
                    "reason": reason,
                    "occurred_at": placed.isoformat(),
                }
            )
            if defective and damaged:
                w.truth["defective_batch"].saw(placed, f"return:{rid}", f"order:{oid}")
                if w.rng.random() < 0.5:  # half of them also write to the service desk
                    complaints.append((oid, placed))
        if store:
            late = (incident and store == "ST2") or w.rng.random() < 0.02
            sid = w.next_id("S")
            shipments.append(
                {
                    "event_id": sid,
                    "version": 1,
                    "shipment_id": sid,
                    "order_id": oid,
                    "location_id": store,
                    "mode": "bopis",
                    "status": "delivered",
                    "shipped_at": placed.isoformat(),
                    "promised_by": (placed + timedelta(hours=24)).isoformat(),
                    "delivered_at": (placed + timedelta(hours=40 if late else 20)).isoformat(),
                    "occurred_at": (placed + timedelta(hours=40 if late else 20)).isoformat(),
                }
            )
            if incident and store == "ST2":
                w.truth["store_late"].saw(placed + timedelta(hours=24), f"shipment:{sid}", f"order:{oid}")
    end = base + timedelta(hours=23)
    w.ingest("orders", orders, end)
    w.ingest("returns", returns, end)
    w.ingest("shipments", shipments, end)
    if incident and w.truth["price_split"].began is None:
        _promotion(w, base)
    seed_desk.tickets(w, base, incident, complaints, [o["order_id"] for o in orders])
    for hour in (12, 17, 23):  # the worker's SLA sweep (every minute in production), between actions
        w.run_until(base + timedelta(hours=hour))
        slas.sweep(w.desk, w.ws, base + timedelta(hours=hour))


def _promotion(w: World, base: datetime) -> None:
    at, until = base + timedelta(hours=6), base + timedelta(days=30)
    body = [
        {
            "event_id": f"promo-{ch}",
            "version": 2,
            "product_id": "P3",
            "channel": ch,
            "currency": "EUR",
            "list_price": 80.0,
            "price": price,
            "promotion_id": "AUTUMN",
            "valid_from": at.isoformat(),
            "valid_to": until.isoformat(),
        }
        for ch, price in (("web", 60.0), ("app", 68.0))
    ]
    w.ingest("listings", body, at)
    day = at.date().isoformat()
    w.truth["price_split"].saw(at, *(f"listing:P3|{ch}|EUR|AUTUMN|{day}" for ch in ("web", "app")))
