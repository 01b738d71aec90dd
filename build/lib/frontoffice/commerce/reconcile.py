"""Reconciliation: compare a full snapshot from the commerce platform with the projection,
report the drift (missed webhooks) and repair it by appending corrective events.

The snapshot is ``{"taken_at": ISO time, "<kind>": [native items...]}`` for any of the intake
kinds; ``event_id`` and ``version`` may be left out. A repair gets a version above the current
one, so it wins, and goes through the same checks as a webhook: a repair an order's lifecycle
forbids (a cancelled order shown as paid) is reported as refused, not forced.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import orjson
from pydantic import ValidationError

from frontoffice.commerce import service
from frontoffice.commerce.intake import IntakeError, listing_id
from frontoffice.commerce.schemas import ENTITY_MODELS, ListingIn
from frontoffice.storage.commerce_sql import CommerceStore

_META = ("event_id", "version", "occurred_at")
_KEYS = {"locations": ("location", "location_id"), "products": ("product", "product_id"),
         "listings": ("listing", "listing_id"), "orders": ("order", "order_id"),
         "shipments": ("shipment", "shipment_id"), "returns": ("return", "return_id"),
         "subscriptions": ("subscription", "subscription_id")}
ORDER = ("locations", "products", "inventory", "listings", "orders", "shipments", "returns",
         "subscriptions")


def _current(cs: CommerceStore, ws: str, kind: str,
             item: dict[str, Any]) -> tuple[int, dict[str, Any] | None]:
    if kind == "inventory":
        found = next((p for p in cs.positions(ws, item["sku"])
                      if p.location_id == item["location_id"]), None)
        if found is None:
            return 0, None
        return found.version, {"location_id": found.location_id, "sku": found.sku,
                               "on_hand": found.on_hand, "committed": found.committed,
                               "incoming": found.incoming}
    entity_kind, key = _KEYS[kind]
    entity = cs.entity(ws, entity_kind, item[key])
    return (0, None) if entity is None else (entity.version, orjson.loads(entity.doc))


def _differs(snapshot: dict[str, Any], current: dict[str, Any]) -> list[str]:
    def same(a: object, b: object) -> bool:
        return orjson.dumps(a, option=orjson.OPT_SORT_KEYS) == orjson.dumps(
            b, option=orjson.OPT_SORT_KEYS)

    return sorted(k for k, v in snapshot.items() if k not in _META and not same(current.get(k), v))


def reconcile(cs: CommerceStore, ws: str, source_id: str, snapshot: dict[str, Any], now: datetime,
              *, repair: bool = True) -> dict[str, Any]:
    taken = str(snapshot.get("taken_at") or now.isoformat())
    report: dict[str, Any] = {"taken_at": taken, "kinds": {}, "drift": [], "refused": []}
    for kind in ORDER:
        items = snapshot.get(kind) or []
        counts = {"checked": 0, "missing": 0, "different": 0, "repaired": 0}
        for raw in items:
            try:
                model = ENTITY_MODELS[kind].model_validate({"event_id": "snapshot", "version": 0,
                                                            **raw})
            except ValidationError as exc:
                report["refused"].append({"kind": kind, "id": None, "code": "invalid_payload",
                                          "reason": str(exc.errors()[0]["msg"])})
                continue
            if isinstance(model, ListingIn) and model.listing_id is None:
                model = model.model_copy(update={"listing_id": listing_id(model)})
            full = model.model_dump(mode="json")
            item = {k: full[k] for k in (*raw, *(("listing_id",) if kind == "listings" else ()))}
            counts["checked"] += 1
            version, current = _current(cs, ws, kind, item)
            fields = ["(missing)"] if current is None else _differs(item, current)
            if not fields:
                continue
            counts["missing" if current is None else "different"] += 1
            ident = item.get(_KEYS[kind][1]) if kind in _KEYS else f"{item['location_id']}/{item['sku']}"
            report["drift"].append({"kind": kind, "id": ident, "fields": fields})
            if not repair:
                continue
            fixed = {**item, "version": max(version + 1, int(item.get("version") or 0)),
                     "event_id": f"reconcile:{taken}:{kind}:{ident}"}
            try:
                service.ingest(cs, ws, source_id, kind, [fixed], now)
                counts["repaired"] += 1
            except IntakeError as exc:
                report["refused"].append({"kind": kind, "id": ident, "code": exc.code,
                                          "reason": str(exc)})
        if items:
            report["kinds"][kind] = counts
    return report
