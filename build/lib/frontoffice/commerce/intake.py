"""Validating a batch of native commerce events against the projection, all or nothing.

A batch is refused whole, with the first problem's code and message, when a payload is
malformed, a quantity negative, a product, location or order unknown, or a lifecycle move
invalid. Otherwise every item becomes one ``EventRecord``; stale versions are still logged
(the log keeps everything) and the projector ignores them.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

import orjson
from pydantic import BaseModel, ValidationError

from frontoffice.commerce import schemas as s
from frontoffice.commerce.records import record
from frontoffice.commerce.states import ORDER, RETURN, Machine
from frontoffice.domain.events import EventRecord
from frontoffice.errors import InvalidInput
from frontoffice.storage.commerce_sql import CommerceStore

MAX_ITEMS = 5000


class IntakeError(InvalidInput):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


def parse(kind: str, body: object) -> list[BaseModel]:
    """``body`` is one event object or an array of them."""
    model = s.ENTITY_MODELS[kind]
    items = body if isinstance(body, list) else [body]
    if not items:
        raise IntakeError("invalid_payload", "The array is empty; send at least one event.")
    if len(items) > MAX_ITEMS:
        raise IntakeError("too_many", f"At most {MAX_ITEMS} events per request.")
    parsed: list[BaseModel] = []
    for index, item in enumerate(items):
        try:
            parsed.append(model.model_validate(item))
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(p) for p in first["loc"]) or "body"
            prefix = f"{kind}[{index}].{where}" if isinstance(body, list) else where
            value = first.get("input")
            negative = (first["type"] == "greater_than_equal" and isinstance(value, int | float)
                        and not isinstance(value, bool) and value < 0)
            code = "negative_quantity" if negative else "invalid_payload"
            raise IntakeError(code, f"{prefix}: {first['msg']}.") from None
    return parsed


class _Known:
    """Lookups against the projection, plus what earlier items of the batch established."""

    def __init__(self, cs: CommerceStore, ws: str) -> None:
        self.cs = cs
        self.ws = ws
        self.local: dict[tuple[str, str], dict[str, Any]] = {}
        self.stored: dict[tuple[str, str], dict[str, Any] | None] = {}

    def get(self, kind: str, entity_id: str) -> dict[str, Any] | None:
        if (kind, entity_id) in self.local:
            return self.local[(kind, entity_id)]
        if (kind, entity_id) not in self.stored:
            found = self.cs.entity(self.ws, kind, entity_id)
            self.stored[(kind, entity_id)] = None if found is None else dict(orjson.loads(found.doc))
        return self.stored[(kind, entity_id)]

    def erased_order(self, order_id: str) -> bool:
        """An order unknown because its customer was erased: what refers to it is dropped by
        the suppression list when stored (and recorded), not refused."""
        if self.get("order", order_id) is not None:
            return False
        identifier = f"order:{order_id.strip()}"
        return bool(self.cs.store.suppressed_identifiers(self.ws, {identifier}))

    def need(self, kind: str, entity_id: str, where: str) -> dict[str, Any]:
        found = self.get(kind, entity_id)
        if found is None:
            endpoint = {"location": "locations", "variant": "products", "product": "products",
                        "order": "orders"}[kind]
            label = "SKU" if kind == "variant" else kind
            raise IntakeError(f"unknown_{'product' if kind == 'variant' else kind}",
                              f"{where}: unknown {label} {entity_id!r}; send it to "
                              f"/commerce/v1/{endpoint} first.")
        return found


def _transition(known: _Known, machine: Machine, kind: str, entity_id: str, version: int,
                status: str) -> None:
    current = known.get(kind, entity_id)
    if current is None or version <= int(current["version"]):
        return
    refusal = machine.refusal(current["status"], status)
    if refusal:
        raise IntakeError("invalid_transition", f"{kind} {entity_id!r} version {version}: {refusal}")


def _check(known: _Known, item: BaseModel) -> tuple[str, str, str]:
    """Validate references and moves; return (event type, entity kind, entity id)."""
    if isinstance(item, s.LocationIn):
        return "location.upserted", "location", item.location_id
    if isinstance(item, s.ProductIn):
        return "product.upserted", "product", item.product_id
    if isinstance(item, s.InventoryIn):
        known.need("variant", item.sku, f"inventory {item.location_id}/{item.sku}")
        known.need("location", item.location_id, f"inventory {item.location_id}/{item.sku}")
        return "inventory.adjusted", "position", f"{item.location_id}/{item.sku}"
    if isinstance(item, s.ListingIn):
        known.need("product", item.product_id, f"listing of {item.product_id}")
        if item.valid_to < item.valid_from:
            raise IntakeError("invalid_payload", f"listing of {item.product_id}: valid_to is "
                              "before valid_from.")
        return "listing.upserted", "listing", item.listing_id or ""
    if isinstance(item, s.OrderIn):
        for line in item.lines:
            where = f"order {item.order_id!r} line {line.line_no}"
            known.need("variant", line.sku, where)
            if line.location_id:
                known.need("location", line.location_id, where)
        _transition(known, ORDER, "order", item.order_id, item.version, item.status)
        created = known.get("order", item.order_id) is None
        return ("order.created" if created else "order.updated"), "order", item.order_id
    if isinstance(item, s.ShipmentIn | s.ReturnIn) and known.erased_order(item.order_id):
        if isinstance(item, s.ShipmentIn):
            return "shipment.updated", "shipment", item.shipment_id
        return "return.updated", "return", item.return_id
    if isinstance(item, s.ShipmentIn):
        where = f"shipment {item.shipment_id!r}"
        known.need("order", item.order_id, where)
        known.need("location", item.location_id, where)
        return "shipment.updated", "shipment", item.shipment_id
    if isinstance(item, s.ReturnIn):
        where = f"return {item.return_id!r}"
        order = known.need("order", item.order_id, where)
        lines = {line["line_no"]: line for line in order["lines"]}
        ordered = lines.get(item.line_no)
        if ordered is None:
            raise IntakeError("unknown_line", f"{where}: order {item.order_id!r} has no line "
                              f"{item.line_no} (it has {sorted(lines)}).")
        if item.qty > ordered["qty"]:
            raise IntakeError("invalid_quantity", f"{where}: returns {item.qty} but line "
                              f"{item.line_no} has only {ordered['qty']}.")
        if item.location_id:
            known.need("location", item.location_id, where)
        _transition(known, RETURN, "return", item.return_id, item.version, item.status)
        return "return.updated", "return", item.return_id
    if isinstance(item, s.SubscriptionIn):
        known.need("variant", item.sku, f"subscription {item.subscription_id!r}")
        return "subscription.updated", "subscription", item.subscription_id
    raise IntakeError("invalid_payload", f"Unsupported item {type(item).__name__}.")


def listing_id(item: s.ListingIn) -> str:
    return item.listing_id or "|".join((item.product_id, item.channel, item.currency,
                                        item.promotion_id or "everyday",
                                        item.valid_from.date().isoformat()))


def prepare(cs: CommerceStore, ws: str, items: Sequence[BaseModel],
            received_at: datetime) -> list[EventRecord]:
    """Check every item; return their records, or raise ``IntakeError`` for the first bad one."""
    known = _Known(cs, ws)
    records: list[EventRecord] = []
    for given in items:
        item = given
        if isinstance(item, s.ListingIn) and item.listing_id is None:
            item = item.model_copy(update={"listing_id": listing_id(item)})
        etype, kind, entity_id = _check(known, item)
        data = item.model_dump(mode="json")
        current = None if kind == "position" else known.get(kind, entity_id)
        if current is None or int(data["version"]) > int(current["version"]):
            known.local[(kind, entity_id)] = data
            if kind == "product":
                for variant in data["variants"]:
                    known.local[("variant", variant["sku"])] = {"version": data["version"]}
        user_id = data.get("customer", {}).get("user_id") if kind in ("order", "subscription") \
            else None
        records.append(record(data["event_id"], etype, data, received_at,
                              getattr(item, "occurred_at", None), user_id))
    return records
