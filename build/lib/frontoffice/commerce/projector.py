"""The commerce projection: applies ``commerce`` events from the log to the state tables.

Every application is idempotent and guarded by the entity's version, so the tables end the
same whatever the order or number of deliveries, and ``rebuild`` recreates them from the log.
"""

from __future__ import annotations

from typing import Any

import orjson

from frontoffice.commerce.records import customer_keys
from frontoffice.storage.commerce_sql import CommerceStore, Position, ProjectionTx
from frontoffice.storage.sql import SqlStore

PAGE = 5000


def doc(data: dict[str, Any]) -> str:
    return orjson.dumps(data, option=orjson.OPT_SORT_KEYS).decode()


def apply(tx: ProjectionTx, ws: str, etype: str, data: dict[str, Any]) -> None:
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
            tx.upsert_position(ws, Position(data["sku"], data["location_id"], data["on_hand"],
                                            data["committed"], data["incoming"], version))
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


def catch_up(cs: CommerceStore, ws: str) -> int:
    """Apply every commerce event the projection has not seen; returns how many."""
    applied = 0
    with cs.lock(ws):
        upto = cs.high_water(ws)
        after = cs.cursor(ws)
        while after < upto:
            page = cs.log_page(ws, after, upto, PAGE)
            with cs.transaction() as tx:
                for _, etype, payload in page:
                    apply(tx, ws, etype, orjson.loads(payload))
                applied += len(page)
                after = page[-1][0] if len(page) == PAGE else upto
                tx.set_cursor(ws, after)
            if any(etype.startswith(("location.", "pool.")) for _, etype, _ in page):
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
