"""Per-customer commerce traits, and return and problem rates per product and supplier.

Pure functions over projected documents; ``frontoffice.commerce.queries`` loads them.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

STORE_MODES = ("bopis", "curbside", "bodfs", "boss")
PROBLEM_REASONS = frozenset({"damaged", "defective", "not_as_described", "wrong_item",
                             "poor_quality"})
ORDERS_NOT_COUNTED = ("cancelled",)


def _returned_units(returns: Iterable[Mapping[str, Any]]) -> dict[tuple[str, int], int]:
    units: dict[tuple[str, int], int] = defaultdict(int)
    for r in returns:
        if r["status"] != "cancelled":
            units[(r["order_id"], r["line_no"])] += r["qty"]
    return units


def customer_traits(orders: Sequence[Mapping[str, Any]], returns: Sequence[Mapping[str, Any]],
                    alerts: Sequence[Mapping[str, Any]], subscriptions: Sequence[Mapping[str, Any]],
                    variants: Mapping[str, Mapping[str, Any]]) -> dict[str, Any]:
    counted = [o for o in orders if o["status"] not in ORDERS_NOT_COUNTED]
    returned = _returned_units(returns)
    value: dict[str, float] = defaultdict(float)
    for order in counted:
        value[order["currency"]] += order["total"]
    for r in returns:
        if r["status"] in ("refunded", "closed") and r.get("refund_amount"):
            currency = next((o["currency"] for o in counted if o["order_id"] == r["order_id"]), None)
            if currency:
                value[currency] -= r["refund_amount"]
    units = 0
    kept: dict[str, Counter[str]] = defaultdict(Counter)
    stores: Counter[str] = Counter()
    modes: Counter[str] = Counter()
    for order in counted:
        for line in order["lines"]:
            units += line["qty"]
            modes[line["fulfilment"]] += 1
            if line["fulfilment"] in STORE_MODES and line.get("location_id"):
                stores[line["location_id"]] += 1
            variant = variants.get(line["sku"], {})
            kept_qty = line["qty"] - returned.get((order["order_id"], line["line_no"]), 0)
            if kept_qty > 0 and variant.get("size"):
                kept[variant.get("category") or "other"][variant["size"]] += kept_qty
    for r in returns:
        if r.get("method") == "boris" and r.get("location_id"):
            stores[r["location_id"]] += 1
    returned_total = sum(returned.values())
    return {
        "order_count": len(counted),
        "lifetime_value": {c: round(v, 2) for c, v in sorted(value.items())},
        "units_bought": units,
        "return_rate": round(returned_total / units, 3) if units else 0.0,
        "return_reasons": dict(Counter(r["reason"] for r in returns if r["status"] != "cancelled")),
        "kept_sizes": {cat: sizes.most_common(1)[0][0] for cat, sizes in sorted(kept.items())},
        "preferred_store": stores.most_common(1)[0][0] if stores else None,
        "preferred_fulfilment": modes.most_common(1)[0][0] if modes else None,
        "late_deliveries": sum(1 for a in alerts if a["type"] == "shipment.late"),
        "failed_deliveries": sum(1 for a in alerts if a["type"] == "shipment.failed"),
        "active_subscriptions": sorted(s["subscription_id"] for s in subscriptions
                                       if s["status"] == "active"),
    }


def _rates(sold: Counter[str], returned: Counter[str], problems: Counter[str],
           reasons: Mapping[str, Counter[str]]) -> list[dict[str, Any]]:
    return sorted(({
        "id": key, "units_sold": sold[key], "units_returned": returned[key],
        "return_rate": round(returned[key] / sold[key], 3) if sold[key] else 0.0,
        "problems": problems[key],
        "problem_rate": round(problems[key] / sold[key], 3) if sold[key] else 0.0,
        "return_reasons": dict(reasons[key]),
    } for key in sold), key=lambda row: (-row["problem_rate"], -row["return_rate"], row["id"]))


def product_view(orders: Iterable[Mapping[str, Any]], returns: Iterable[Mapping[str, Any]],
                 alerts: Iterable[Mapping[str, Any]],
                 variants: Mapping[str, Mapping[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """A line's supplier is its ``supplier_id``, else its product's first listed supplier.
    Problems: returns for a defect reason plus lines on failed deliveries."""
    failed = {a["order_id"] for a in alerts if a["type"] == "shipment.failed"}
    sold: dict[str, Counter[str]] = {"products": Counter(), "suppliers": Counter()}
    returned: dict[str, Counter[str]] = {"products": Counter(), "suppliers": Counter()}
    problems: dict[str, Counter[str]] = {"products": Counter(), "suppliers": Counter()}
    reasons: dict[str, dict[str, Counter[str]]] = {"products": defaultdict(Counter),
                                                   "suppliers": defaultdict(Counter)}
    line_keys: dict[tuple[str, int], tuple[str, str]] = {}
    for order in orders:
        if order["status"] in ORDERS_NOT_COUNTED:
            continue
        for line in order["lines"]:
            variant = variants.get(line["sku"], {})
            product = variant.get("product_id", line["sku"])
            suppliers = variant.get("supplier_ids") or ["unknown"]
            supplier = line.get("supplier_id") or suppliers[0]
            line_keys[(order["order_id"], line["line_no"])] = (product, supplier)
            for view, key in (("products", product), ("suppliers", supplier)):
                sold[view][key] += line["qty"]
                if order["order_id"] in failed:
                    problems[view][key] += line["qty"]
    for r in returns:
        keys = line_keys.get((r["order_id"], r["line_no"]))
        if keys is None or r["status"] == "cancelled":
            continue
        for view, key in zip(("products", "suppliers"), keys, strict=True):
            returned[view][key] += r["qty"]
            reasons[view][key][r["reason"]] += r["qty"]
            if r["reason"] in PROBLEM_REASONS:
                problems[view][key] += r["qty"]
    return {view: _rates(sold[view], returned[view], problems[view], reasons[view])
            for view in ("products", "suppliers")}
