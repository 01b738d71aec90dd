"""The price and promotion consistency monitor.

At every instant where some listing of a product starts, each channel's effective price is
its promotion if one is valid, else its everyday listing. Two channels conflict when their
effective prices differ by more than the tolerance (a fraction of the dearer price) while both
show the everyday price or both run the same promotion (35% off on instagram, 25% on facebook
under one campaign). A promotion only one channel runs is a channel-exclusive offer, not a
conflict. Each conflict carries both listings and the first instant it was seen.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime
from typing import Any


def _effective(listings: list[dict[str, Any]], at: datetime) -> dict[str, Any] | None:
    valid = [x for x in listings
             if datetime.fromisoformat(x["valid_from"]) <= at <= datetime.fromisoformat(x["valid_to"])]
    if not valid:
        return None
    return max(valid, key=lambda x: (x["promotion_id"] is not None, x["valid_from"], x["listing_id"]))


def _clashes(effective: list[dict[str, Any]],
             tolerance: float) -> Iterable[tuple[dict[str, Any], dict[str, Any]]]:
    for i, a in enumerate(effective):
        for b in effective[i + 1:]:
            if a["promotion_id"] != b["promotion_id"]:
                continue
            low, high = (a, b) if a["price"] <= b["price"] else (b, a)
            if high["price"] > 0 and (high["price"] - low["price"]) / high["price"] > tolerance:
                yield low, high


def conflicts(listings: Iterable[dict[str, Any]], tolerance: float = 0.01,
              at: datetime | None = None) -> list[dict[str, Any]]:
    grouped: dict[tuple[str, str], dict[str, list[dict[str, Any]]]] = defaultdict(
        lambda: defaultdict(list))
    for listing in listings:
        grouped[(listing["product_id"], listing["currency"])][listing["channel"]].append(listing)
    found: dict[tuple[str, str, str, str], dict[str, Any]] = {}
    for (product_id, currency), by_channel in sorted(grouped.items()):
        if len(by_channel) < 2:
            continue
        instants = [at] if at else sorted({datetime.fromisoformat(x["valid_from"])
                                           for rows in by_channel.values() for x in rows})
        for instant in instants:
            effective = sorted((e for rows in by_channel.values()
                                if (e := _effective(rows, instant))), key=lambda x: x["channel"])
            for low, high in _clashes(effective, tolerance):
                key = (product_id, currency, low["listing_id"], high["listing_id"])
                if key in found:
                    continue
                found[key] = {
                    "product_id": product_id, "currency": currency, "at": instant.isoformat(),
                    "difference_pct": round(100 * (high["price"] - low["price"]) / high["price"], 1),
                    "promotion_id": low["promotion_id"],
                    "reason": (f"{product_id} costs {low['price']:g} {currency} on {low['channel']} "
                               f"but {high['price']:g} on {high['channel']} at the same time"),
                    "low": low, "high": high,
                }
    return sorted(found.values(), key=lambda c: (-c["difference_pct"], c["product_id"], c["at"]))
