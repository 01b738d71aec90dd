"""The commerce projection: applies ``commerce`` events from the log to the state tables.

Every application is idempotent and guarded by the entity's version, so the tables end the
same whatever the order or number of deliveries, and ``rebuild`` recreates them from the log.
The worker's projection runner drives ``CommerceHub`` (registered by ``commerce.capability``);
a request never catches up: a use case applies the events it has just logged (``project``), and
the worker's replay of them changes nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import orjson

from frontoffice.commerce.ports import Position, Writes
from frontoffice.commerce.records import customer_keys
from frontoffice.commerce.store import CommerceStore
from frontoffice.domain.events import EventRecord
from frontoffice.storage.sql import SqlStore

PAGE = 5000


def doc(data: dict[str, Any]) -> str:
    return orjson.dumps(data, option=orjson.OPT_SORT_KEYS).decode()


def apply(tx: Writes, ws: str, etype: str, data: dict[str, Any]) -> None:
    kind, _, action = etype.partition(".")
    version = int(data.get("version", 0))
    if kind == "location":
        tx.upsert_entity(ws, "location", data["location_id"], version, None, doc(data))
    elif kind == "product":
        if tx.upsert_entity(ws, "product", data["product_id"], version, None, doc(data)):
            for variant in data["variants"]:
                tx.upsert_entity(ws, "variant", variant["sku"], version, data["product_id"], doc({
                    "sku": variant["sku"], "size": variant["size"], "product_id": data["product_id"],
                    "category": data["category"], "supplier_ids": data["supplier_ids"]}))
    elif kind == "inventory":
        if action == "held":
            tx.add_hold(ws, data["hold_id"], data["sku"], data["location_id"], data["qty"],
                        data["expires_at"])
        elif action == "released":
            tx.release_hold(ws, data["hold_id"])
        else:
            tx.upsert_positions(ws, [stock_position(data)])
    elif kind == "listing":
        tx.upsert_entity(ws, "listing", data["listing_id"], version, data["product_id"], doc(data))
    elif kind == "order":
        if tx.upsert_entity(ws, "order", data["order_id"], version, None, doc(data)):
            tx.set_keys(ws, "order", data["order_id"], customer_keys(data["customer"]))
    elif kind == "shipment" and action in ("late", "failed"):
        tx.upsert_entity(ws, "alert", f"{etype}:{data['shipment_id']}", 0, data["order_id"],
                         doc({**data, "type": etype}))
    elif kind == "shipment":
        tx.upsert_entity(ws, "shipment", data["shipment_id"], version, data["order_id"], doc(data))
    elif kind == "return":
        tx.upsert_entity(ws, "return", data["return_id"], version, data["order_id"], doc(data))
    elif kind == "subscription":
        if tx.upsert_entity(ws, "subscription", data["subscription_id"], version, None, doc(data)):
            tx.set_keys(ws, "subscription", data["subscription_id"], customer_keys(data["customer"]))
    elif kind == "pool":
        tx.upsert_entity(ws, "pool", data["channel"], version, None, doc(data))


def stock_position(data: dict[str, Any]) -> Position:
    return Position(data["sku"], data["location_id"], data["on_hand"], data["committed"],
                    data["incoming"], int(data.get("version", 0)))


def apply_all(tx: Writes, ws: str, events: Iterable[tuple[str, bytes]]) -> None:
    """Apply (type, payload) events in order; a run of stock adjustments is written in one
    statement (the bulk of an inventory feed), in the same order."""
    run: list[Position] = []
    for etype, payload in events:
        if etype == "inventory.adjusted":
            run.append(stock_position(orjson.loads(payload)))
            continue
        if run:
            tx.upsert_positions(ws, run)
            run = []
        apply(tx, ws, etype, orjson.loads(payload))
    if run:
        tx.upsert_positions(ws, run)


def moves_places(etypes: Iterable[str]) -> bool:
    """Whether events of these types change locations or pool rules (cached by the store)."""
    return any(etype.startswith(("location.", "pool.")) for etype in etypes)


def project(tx: Writes, ws: str, records: Iterable[EventRecord]) -> None:
    """Apply records just logged, in the transaction ``tx`` (the worker's catch-up will apply
    them again from the log, which changes nothing)."""
    apply_all(tx, ws, ((rec.type, rec.payload) for rec in records))


def catch_up(cs: CommerceStore, ws: str) -> int:
    """Apply every commerce event the projection has not seen; returns how many."""
    applied = 0
    with cs.lock(ws):
        upto = cs.high_water(ws)
        after = cs.cursor(ws)
        while after < upto:
            page = cs.log_page(ws, after, upto, PAGE)
            with cs.transaction() as tx:
                apply_all(tx, ws, ((etype, payload) for _, etype, payload in page))
                applied += len(page)
                after = page[-1][0] if len(page) == PAGE else upto
                tx.set_cursor(ws, after)
            if moves_places(etype for _, etype, _ in page):
                cs.places_changed(ws)  # after the commit, so no reader caches the old rows
    return applied


def rebuild(cs: CommerceStore, ws: str) -> int:
    """Drop the commerce projection of ``ws`` and replay it from the event log."""
    cs.reset(ws)
    cs.places_changed(ws)
    return catch_up(cs, ws)


class CommerceHub:
    """The commerce projection of one storage, as the worker's projection runner drives it: the
    worker keeps the state tables caught up, so a request only applies what arrived since."""

    def __init__(self, store: SqlStore) -> None:
        self.cs = CommerceStore(store)

    def catch_up(self, ws: str) -> int:
        return catch_up(self.cs, ws)

    def rebuild(self, ws: str) -> int:
        return rebuild(self.cs, ws)
