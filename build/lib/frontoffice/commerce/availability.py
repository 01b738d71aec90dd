"""What can be promised on a channel, per fulfilment mode, near a location, from pooled stock.

available = on hand - committed - active holds, never below zero. A channel sees the
locations its pool rule admits (all locations when it has none). Ship and BOSS draw on the
whole pool; BOPIS, curbside and BODFS are served by one store: the one asked for with
``near``, or the best-stocked capable store.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from frontoffice.storage.commerce_sql import Position

POOLED = ("ship", "boss")
SINGLE_STORE = ("bopis", "curbside", "bodfs")
SELLING_MODES = POOLED + SINGLE_STORE


def in_pool(location: Mapping[str, Any], rule: Mapping[str, Any] | None) -> bool:
    if rule is None:
        return True
    if rule.get("location_kinds") and location["kind"] not in rule["location_kinds"]:
        return False
    if rule.get("countries") and location.get("country") not in rule["countries"]:
        return False
    return location["location_id"] not in rule.get("exclude_location_ids", ())


def _distance(location: Mapping[str, Any], near: Mapping[str, Any] | None) -> int:
    if near is None:
        return 0
    for rank, field in enumerate(("location_id", "city", "region", "country")):
        if location.get(field) and location.get(field) == near.get(field):
            return rank
    return 4


def availability(sku: str, channel: str, mode: str | None, near: str | None,
                 locations: Mapping[str, Mapping[str, Any]], positions: Sequence[Position],
                 held: Mapping[str, int], rule: Mapping[str, Any] | None) -> dict[str, Any]:
    near_loc = locations.get(near) if near else None
    rows = []
    for p in positions:
        loc = locations.get(p.location_id)
        if loc is None or not in_pool(loc, rule):
            continue
        hold = held.get(p.location_id, 0)
        rows.append({
            "location_id": p.location_id, "kind": loc["kind"], "city": loc.get("city", ""),
            "country": loc.get("country", ""), "capabilities": loc.get("capabilities", []),
            "on_hand": p.on_hand, "committed": p.committed, "held": hold, "incoming": p.incoming,
            "available": max(0, p.on_hand - p.committed - hold),
            "distance": _distance(loc, near_loc),
        })
    rows.sort(key=lambda r: (r["distance"], -r["available"], r["location_id"]))
    modes: dict[str, dict[str, Any]] = {}
    for m in (mode,) if mode else SELLING_MODES:
        source_capability = "ship" if m == "boss" else m  # BOSS ships from the pool to a store
        capable = [r for r in rows if source_capability in r["capabilities"]]
        if m in POOLED:
            total = sum(r["available"] for r in capable)
            if m == "boss" and near_loc is not None and "boss" not in near_loc.get("capabilities",
                                                                                    []):
                total, capable = 0, []
            modes[m] = {"available": total, "locations": [r["location_id"] for r in capable
                                                          if r["available"] > 0]}
        else:
            if near_loc is not None:
                capable = [r for r in capable if r["location_id"] == near]
            best = max(capable, key=lambda r: (r["available"], -r["distance"]), default=None)
            modes[m] = {"available": best["available"] if best else 0,
                        "locations": [best["location_id"]] if best and best["available"] else []}
    return {"sku": sku, "channel": channel, "near": near, "pool_rule": rule is not None,
            "modes": modes, "locations": rows}
