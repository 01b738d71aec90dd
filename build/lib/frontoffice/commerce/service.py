"""Commerce use cases: intake, holds, pool rules, and the read models built on the projection.

Synchronous; the HTTP routes use the group-commit writer for intake and these functions for
the rest. Every function takes the store it works on: nothing here holds state.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial
from typing import Any

import orjson

from frontoffice.commerce import intake, projector, shipments
from frontoffice.commerce.availability import availability
from frontoffice.commerce.holds import admit_hold
from frontoffice.commerce.pricing import conflicts
from frontoffice.commerce.records import record
from frontoffice.commerce.schemas import HoldIn, PoolRule
from frontoffice.commerce.traits import customer_traits, product_view
from frontoffice.domain.events import EventRecord, iso
from frontoffice.domain.tenancy import new_id
from frontoffice.errors import NotFound
from frontoffice.storage.commerce_sql import CommerceStore
from frontoffice.storage.port import AppendBatch

INTERNAL_SOURCE = "frontoffice-commerce"  # source id of events frontoffice itself emits


@dataclass(frozen=True, slots=True)
class IngestResult:
    accepted: int
    duplicates: int
    alerts: int


def _docs(cs: CommerceStore, ws: str, kind: str, ref: str | None = None) -> list[dict[str, Any]]:
    return [orjson.loads(e.doc) for e in cs.entities(ws, kind, ref)]


def append(cs: CommerceStore, ws: str, source_id: str, records: Sequence[EventRecord]) -> tuple[int, int]:
    result = cs.store.append([AppendBatch(ws, source_id, records, origin="commerce")])[0]
    return result.inserted, result.duplicates


def ingest(cs: CommerceStore, ws: str, source_id: str, kind: str, body: object,
           now: datetime) -> IngestResult:
    """Validate, log and project a batch of native events (the CLI's and loader's path)."""
    records = intake.prepare(cs, ws, intake.parse(kind, body), now)
    inserted, duplicates = append(cs, ws, source_id, records)
    projector.catch_up(cs, ws)
    alerts = 0
    if kind == "shipments":
        alerts = append(cs, ws, INTERNAL_SOURCE, shipment_alerts(cs, ws, records, now))[0]
        projector.catch_up(cs, ws)
    return IngestResult(inserted, duplicates, alerts)


def shipment_alerts(cs: CommerceStore, ws: str, records: Iterable[EventRecord],
                    now: datetime) -> list[EventRecord]:
    """Alerts for the current state of the shipments these records touched."""
    ids = {orjson.loads(r.payload)["shipment_id"] for r in records}
    current = [orjson.loads(e.doc) for i in sorted(ids) if (e := cs.entity(ws, "shipment", i))]
    return shipments.alert_records(current, now)


def sweep_overdue(cs: CommerceStore, ws: str, now: datetime) -> int:
    """Flag open shipments past their promised date; returns how many new alerts."""
    found = shipments.alert_records(_docs(cs, ws, "shipment"), now)
    inserted = append(cs, ws, INTERNAL_SOURCE, found)[0]
    projector.catch_up(cs, ws)
    return inserted


def place_hold(cs: CommerceStore, ws: str, hold: HoldIn, now: datetime) -> dict[str, Any]:
    projector.catch_up(cs, ws)
    hold_id = hold.hold_id or "hold_" + new_id()
    expires = iso(now + timedelta(seconds=hold.ttl_seconds))
    payload = {"hold_id": hold_id, "sku": hold.sku, "location_id": hold.location_id,
               "qty": hold.qty, "expires_at": expires}
    rec = record(f"inventory.held:{hold_id}", "inventory.held", payload, now)
    left = cs.place_hold(ws, INTERNAL_SOURCE, rec, hold_id, hold.sku, hold.location_id, hold.qty,
                         expires, partial(admit_hold, hold.sku, hold.location_id, hold.qty))
    return {**payload, "available_after": left}


def release_hold(cs: CommerceStore, ws: str, hold_id: str, now: datetime) -> None:
    rec = record(f"inventory.released:{hold_id}", "inventory.released", {"hold_id": hold_id}, now)
    append(cs, ws, INTERNAL_SOURCE, [rec])
    projector.catch_up(cs, ws)


def set_pool(cs: CommerceStore, ws: str, rule: PoolRule, now: datetime) -> None:
    version = int(now.timestamp() * 1000)
    data = {**rule.model_dump(mode="json"), "version": version}
    append(cs, ws, INTERNAL_SOURCE, [record(f"pool:{rule.channel}:{version}", "pool.configured",
                                            data, now)])
    projector.catch_up(cs, ws)


def availability_for(cs: CommerceStore, ws: str, sku: str, channel: str, mode: str | None,
                     near: str | None, now: datetime) -> dict[str, Any]:
    positions = cs.positions(ws, sku)
    if not positions and cs.entity(ws, "variant", sku) is None:
        raise NotFound(f"Unknown SKU {sku!r}; products arrive through /commerce/v1/products.")
    locations: dict[str, dict[str, Any]] = {}
    rule: dict[str, Any] | None = None
    for kind, entity in cs.locations_and_pool(ws, channel):
        if kind == "pool":
            rule = orjson.loads(entity.doc)
        else:
            locations[entity.entity_id] = orjson.loads(entity.doc)
    if near and near not in locations:
        raise NotFound(f"Unknown location {near!r} for 'near'.")
    held = cs.held(ws, sku, iso(now)) if positions else {}
    return availability(sku, channel, mode, near, locations, positions, held, rule)


def price_conflicts(cs: CommerceStore, ws: str, tolerance: float,
                    at: datetime | None = None) -> list[dict[str, Any]]:
    return conflicts(_docs(cs, ws, "listing"), tolerance, at)


def traits_for(cs: CommerceStore, ws: str, keys: Sequence[str]) -> dict[str, Any]:
    """Commerce traits of the person known by any of ``keys`` (``user_id:…``, ``email:…``,
    ``buyer_id:…``, ``phone:…``, as ``records.customer_keys`` makes them)."""
    order_ids = cs.entity_ids_for_keys(ws, "order", keys)
    orders = [orjson.loads(e.doc) for i in order_ids if (e := cs.entity(ws, "order", i))]
    returns = [d for i in order_ids for d in _docs(cs, ws, "return", i)]
    alerts = [d for i in order_ids for d in _docs(cs, ws, "alert", i)]
    subs = [orjson.loads(e.doc) for i in cs.entity_ids_for_keys(ws, "subscription", keys)
            if (e := cs.entity(ws, "subscription", i))]
    skus = {line["sku"] for o in orders for line in o["lines"]}
    variants = {s: orjson.loads(e.doc) for s in sorted(skus) if (e := cs.entity(ws, "variant", s))}
    return customer_traits(orders, returns, alerts, subs, variants)


def product_supplier_view(cs: CommerceStore, ws: str) -> dict[str, list[dict[str, Any]]]:
    variants = {d["sku"]: d for d in _docs(cs, ws, "variant")}
    return product_view(_docs(cs, ws, "order"), _docs(cs, ws, "return"),
                        _docs(cs, ws, "alert"), variants)


def delivery_alerts(cs: CommerceStore, ws: str) -> list[dict[str, Any]]:
    return _docs(cs, ws, "alert")
