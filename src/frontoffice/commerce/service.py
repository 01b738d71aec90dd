"""Commerce use cases: intake, holds, pool rules, and the read models built on the projection.

Synchronous, and written against ``commerce.ports``: the CLI, the loader and the HTTP routes all
take intake through ``ingest`` (the routes hand it the group-commit writer as ``append``). A use
case that logs events applies them to the projection itself (``projector.project``), so what a
request wrote is visible to the next one; no request catches the projection up from the log (the
worker does).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import orjson

from frontoffice.commerce import intake, projector, shipments
from frontoffice.commerce.availability import availability
from frontoffice.commerce.holds import admit_hold
from frontoffice.commerce.ports import Commerce, CommerceState
from frontoffice.commerce.pricing import conflicts
from frontoffice.commerce.records import record
from frontoffice.commerce.schemas import HoldIn, PoolRule
from frontoffice.commerce.traits import customer_traits, product_view
from frontoffice.domain.events import EventRecord, iso
from frontoffice.domain.tenancy import new_id
from frontoffice.errors import NotFound
from frontoffice.storage.port import AppendBatch, AppendResult

INTERNAL_SOURCE = "frontoffice-commerce"  # source id of events frontoffice itself emits
Append = Callable[[AppendBatch], AppendResult]


@dataclass(frozen=True, slots=True)
class IngestResult:
    accepted: int
    duplicates: int
    alerts: int


def _docs(cs: CommerceState, ws: str, kind: str, ref: str | None = None) -> list[dict[str, Any]]:
    return [orjson.loads(e.doc) for e in cs.entities(ws, kind, ref)]


def log_and_project(cs: Commerce, ws: str, source_id: str, records: Sequence[EventRecord],
                    append: Append | None = None) -> AppendResult:
    """Append ``records`` (through ``append``, else the store) and apply what the log kept: all
    of them, unless some were already there (a redelivery: the log's copy wins) or dropped (an
    erased person's)."""
    result = (append or cs.append)(AppendBatch(ws, source_id, records, origin="commerce"))
    if not records:
        return result
    kept: Sequence[EventRecord] = records
    if result.duplicates or result.suppressed:
        kept = cs.logged(ws, source_id, [r.message_id for r in records])
    with cs.lock(ws), cs.transaction() as tx:
        projector.project(tx, ws, kept)
    if projector.moves_places(r.type for r in kept):
        cs.places_changed(ws)  # after the commit, so no reader caches the old rows
    return result


def ingest(cs: Commerce, ws: str, source_id: str, kind: str, body: object, now: datetime,
           append: Append | None = None) -> IngestResult:
    """Validate, log and project a batch of native events, all or nothing (``IntakeError``);
    shipments also log the delivery alerts they raise."""
    records = intake.prepare(cs, ws, intake.parse(kind, body), now)
    result = log_and_project(cs, ws, source_id, records, append)
    alerts = 0
    if kind == "shipments":
        found = shipment_alerts(cs, ws, records, now)
        if found:
            alerts = log_and_project(cs, ws, INTERNAL_SOURCE, found, append).inserted
    return IngestResult(result.inserted, result.duplicates, alerts)


def shipment_alerts(cs: CommerceState, ws: str, records: Iterable[EventRecord],
                    now: datetime) -> list[EventRecord]:
    """Alerts for the current state of the shipments these records touched."""
    ids = {orjson.loads(r.payload)["shipment_id"] for r in records}
    current = [orjson.loads(e.doc) for i in sorted(ids) if (e := cs.entity(ws, "shipment", i))]
    return shipments.alert_records(current, now)


def sweep_overdue(cs: Commerce, ws: str, now: datetime) -> int:
    """Flag open shipments past their promised date; returns how many new alerts."""
    found = shipments.alert_records(_docs(cs, ws, "shipment"), now)
    return log_and_project(cs, ws, INTERNAL_SOURCE, found).inserted


def place_hold(cs: Commerce, ws: str, hold: HoldIn, now: datetime) -> dict[str, Any]:
    """Reserve stock until it expires, if the stock rule (``holds.admit_hold``) allows it: the
    position is read locked, the rule asked, and the hold logged and applied in one transaction."""
    hold_id = hold.hold_id or "hold_" + new_id()
    expires = iso(now + timedelta(seconds=hold.ttl_seconds))
    payload = {"hold_id": hold_id, "sku": hold.sku, "location_id": hold.location_id,
               "qty": hold.qty, "expires_at": expires}
    rec = record(f"inventory.held:{hold_id}", "inventory.held", payload, now)
    with cs.stock() as tx:
        position = tx.position(ws, hold.sku, hold.location_id)
        held = tx.held_at(ws, hold.sku, hold.location_id, rec.received_at)
        left = admit_hold(hold.sku, hold.location_id, hold.qty, position, held)
        tx.log(ws, INTERNAL_SOURCE, rec)
        tx.add_hold(ws, hold_id, hold.sku, hold.location_id, hold.qty, expires)
    return {**payload, "available_after": left}


def release_hold(cs: Commerce, ws: str, hold_id: str, now: datetime) -> None:
    rec = record(f"inventory.released:{hold_id}", "inventory.released", {"hold_id": hold_id}, now)
    log_and_project(cs, ws, INTERNAL_SOURCE, [rec])


def set_pool(cs: Commerce, ws: str, rule: PoolRule, now: datetime) -> None:
    version = int(now.timestamp() * 1000)
    data = {**rule.model_dump(mode="json"), "version": version}
    log_and_project(cs, ws, INTERNAL_SOURCE, [record(f"pool:{rule.channel}:{version}",
                                                     "pool.configured", data, now)])


def _places(cs: CommerceState, ws: str, channel: str, near: str | None
            ) -> tuple[dict[str, dict[str, Any]], dict[str, Any] | None]:
    """Every location by id, and the channel's pool rule."""
    locations: dict[str, dict[str, Any]] = {}
    rule: dict[str, Any] | None = None
    for kind, entity in cs.locations_and_pool(ws, channel):
        if kind == "pool":
            rule = orjson.loads(entity.doc)
        else:
            locations[entity.entity_id] = orjson.loads(entity.doc)
    if near and near not in locations:
        raise NotFound(f"Unknown location {near!r} for 'near'.")
    return locations, rule


def availability_for(cs: CommerceState, ws: str, sku: str, channel: str, mode: str | None,
                     near: str | None, now: datetime) -> dict[str, Any]:
    stock = cs.stock_of(ws, sku, iso(now))
    if not stock and cs.entity(ws, "variant", sku) is None:
        raise NotFound(f"Unknown SKU {sku!r}; products arrive through /commerce/v1/products.")
    locations, rule = _places(cs, ws, channel, near)
    return availability(sku, channel, mode, near, locations, [p for p, _ in stock],
                        {p.location_id: held for p, held in stock}, rule)


def availabilities_for(cs: CommerceState, ws: str, skus: Sequence[str], channel: str,
                       mode: str | None, near: str | None, now: datetime) -> dict[str, dict[str, Any]]:
    """``availability_for`` of many SKUs in one read; a SKU without stock anywhere is absent."""
    stocks = cs.stocks_of(ws, skus, iso(now))
    locations, rule = _places(cs, ws, channel, near)
    return {sku: availability(sku, channel, mode, near, locations, [p for p, _ in stock],
                              {p.location_id: held for p, held in stock}, rule)
            for sku, stock in stocks.items()}


def price_conflicts(cs: CommerceState, ws: str, tolerance: float,
                    at: datetime | None = None) -> list[dict[str, Any]]:
    return conflicts(_docs(cs, ws, "listing"), tolerance, at)


def traits_for(cs: CommerceState, ws: str, keys: Sequence[str]) -> dict[str, Any]:
    """Commerce traits of the person known by any of ``keys`` (``user_id:…``, ``email:…``,
    ``buyer_id:…``, ``phone:…``, as ``records.customer_keys`` makes them)."""
    order_ids, orders, returns, variants = _purchases(cs, ws, keys)
    alerts = [orjson.loads(e.doc) for e in cs.entities_of(ws, "alert", order_ids)]
    sub_ids = cs.entity_ids_for_keys(ws, "subscription", keys)
    subs = [orjson.loads(e.doc) for e in sorted(cs.entities_named(ws, "subscription", sub_ids),
                                                key=lambda e: e.entity_id)]
    return customer_traits(orders, returns, alerts, subs, variants)


def purchase_traits(cs: CommerceState, ws: str, keys: Sequence[str]) -> dict[str, Any]:
    """``traits_for`` from the orders, their returns and variants alone: the traits of purchases
    (preferred store, fulfilment, sizes, return rate) read no delivery alert or subscription."""
    _, orders, returns, variants = _purchases(cs, ws, keys)
    return customer_traits(orders, returns, (), (), variants)


def _purchases(cs: CommerceState, ws: str, keys: Sequence[str]
               ) -> tuple[list[str], list[dict[str, Any]], list[dict[str, Any]], dict[str, dict[str, Any]]]:
    """The customer's order ids, orders (by id), the orders' returns and their lines' variants."""
    order_ids = cs.entity_ids_for_keys(ws, "order", keys)
    orders = [orjson.loads(e.doc) for e in sorted(cs.entities_named(ws, "order", order_ids),
                                                  key=lambda e: e.entity_id)]
    returns = [orjson.loads(e.doc) for e in cs.entities_of(ws, "return", order_ids)]
    skus = sorted({line["sku"] for o in orders for line in o["lines"]})
    variants = {e.entity_id: orjson.loads(e.doc) for e in cs.entities_named(ws, "variant", skus)}
    return order_ids, orders, returns, variants


def product_supplier_view(cs: CommerceState, ws: str) -> dict[str, list[dict[str, Any]]]:
    variants = {d["sku"]: d for d in _docs(cs, ws, "variant")}
    return product_view(_docs(cs, ws, "order"), _docs(cs, ws, "return"),
                        _docs(cs, ws, "alert"), variants)


def delivery_alerts(cs: CommerceState, ws: str) -> list[dict[str, Any]]:
    return _docs(cs, ws, "alert")


OPEN_RETURNS = ("requested", "authorised", "received", "inspected")  # not yet refunded or replaced


@dataclass(frozen=True, slots=True)
class CustomerFacts:
    """What segments' conditions read of a customer: returns still open, the categories of what
    they bought (orders not cancelled), and their late deliveries (shipment ids)."""

    open_returns: tuple[str, ...]
    categories: tuple[str, ...]
    late_deliveries: tuple[str, ...]


def customer_facts(cs: CommerceState, ws: str, keys: Sequence[str]) -> CustomerFacts:
    """The facts of the customer known by any of ``keys`` (as ``records.customer_keys`` makes them)."""
    order_ids = cs.entity_ids_for_keys(ws, "order", keys) if keys else []
    orders = [orjson.loads(e.doc) for e in cs.entities_named(ws, "order", order_ids)]
    skus = sorted({line["sku"] for o in orders if o["status"] != "cancelled" for line in o["lines"]})
    categories = {orjson.loads(e.doc).get("category") for e in cs.entities_named(ws, "variant", skus)}
    returns = [orjson.loads(e.doc) for e in cs.entities_of(ws, "return", order_ids)]
    late = [d["shipment_id"] for e in cs.entities_of(ws, "alert", order_ids)
            if (d := orjson.loads(e.doc))["type"] == "shipment.late"]
    return CustomerFacts(tuple(sorted(r["return_id"] for r in returns if r["status"] in OPEN_RETURNS)),
                         tuple(sorted(c for c in categories if isinstance(c, str))), tuple(sorted(late)))


def order_customers(cs: CommerceState, ws: str, order_ids: Sequence[str]) -> dict[str, dict[str, Any]]:
    """The customer (``user_id``, ``email``, ``buyer_id``, ``phone``) of each known order."""
    return {e.entity_id: orjson.loads(e.doc).get("customer") or {}
            for e in cs.entities_named(ws, "order", sorted(set(order_ids)))}
