"""The definitions both segments benchmarks run: 20 computed traits and 50 segments over a small
shop vocabulary (events, categories, channels), made from templates."""

from __future__ import annotations

import random
from typing import Any

EVENTS = ("Product Viewed", "Order Completed", "Order Returned", "Email Opened", "Review Posted")
CATEGORIES = ("shoes", "hats", "socks", "coats", "bags")
CHANNELS = ("web", "app", "store")


def traits() -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = [
        {"name": "orders", "op": "count", "event": "Order Completed"},
        {"name": "orders_30d", "op": "count", "event": "Order Completed", "within_days": 30},
        {"name": "ltv", "op": "sum", "event": "Order Completed", "property": "total"},
        {
            "name": "spend_90d",
            "op": "sum",
            "event": "Order Completed",
            "property": "total",
            "within_days": 90,
        },
        {"name": "biggest_order", "op": "max", "event": "Order Completed", "property": "total"},
        {"name": "smallest_order", "op": "min", "event": "Order Completed", "property": "total"},
        {"name": "basket", "op": "avg", "event": "Order Completed", "property": "total"},
        {"name": "first_category", "op": "first", "event": "Order Completed", "property": "category"},
        {"name": "last_channel", "op": "last", "event": "Order Completed", "property": "channel"},
        {
            "name": "favourite_category",
            "op": "most_frequent",
            "event": "Order Completed",
            "property": "category",
        },
        {
            "name": "favourite_channel",
            "op": "most_frequent",
            "event": "Order Completed",
            "property": "channel",
        },
        {"name": "categories", "op": "distinct", "event": "Product Viewed", "property": "category"},
        {"name": "category_count", "op": "distinct_count", "event": "Product Viewed", "property": "category"},
        {"name": "days_since_order", "op": "days_since", "event": "Order Completed"},
        {"name": "days_since_view", "op": "days_since", "event": "Product Viewed"},
        {
            "name": "return_rate",
            "op": "ratio",
            "event": "Order Returned",
            "denominator": {"event": "Order Completed"},
        },
        {"name": "views_7d", "op": "count", "event": "Product Viewed", "within_days": 7},
        {"name": "opens_30d", "op": "count", "event": "Email Opened", "within_days": 30},
        {"name": "reviews", "op": "count", "event": "Review Posted"},
    ]
    out.append({"name": "good_reviews", "op": "count", "event": "Review Posted", "where": {"stars": "5"}})
    return out


def segments(seed: int = 7) -> list[tuple[str, dict[str, Any]]]:
    rnd = random.Random(seed)
    out: list[tuple[str, dict[str, Any]]] = []
    for i in range(50):
        kind = i % 5
        if kind == 0:
            cond: dict[str, Any] = {
                "did": rnd.choice(EVENTS),
                "at_least": rnd.randint(1, 4),
                "within_days": rnd.choice([7, 30, 90]),
            }
        elif kind == 1:
            cond = {
                "all": [
                    {"computed": "ltv", "op": "gte", "value": rnd.randint(50, 400)},
                    {"computed": "favourite_category", "op": "eq", "value": rnd.choice(CATEGORIES)},
                ]
            }
        elif kind == 2:
            cond = {
                "first": "Product Viewed",
                "then": "Order Completed",
                "within_hours": rnd.choice([1, 24, 72]),
            }
        elif kind == 3:
            cond = {
                "any": [
                    {"computed": "days_since_order", "op": "gte", "value": rnd.randint(10, 60)},
                    {"computed": "return_rate", "op": "gt", "value": 0.3},
                    {"not": {"did": "Email Opened", "within_days": 30}},
                ]
            }
        else:
            cond = {
                "all": [
                    {"computed": "categories", "op": "contains", "value": rnd.choice(CATEGORIES)},
                    {"segment": out[i - 4][0]},
                ]
            }
        out.append((f"s{i:02d}", cond))
    return out


def event(rnd: random.Random, now_s: float, span_days: int) -> tuple[str, float, dict[str, Any]]:
    name = rnd.choices(EVENTS, weights=(6, 2, 1, 3, 1))[0]
    at = now_s - rnd.random() * span_days * 86400
    props: dict[str, Any] = {"category": rnd.choice(CATEGORIES), "channel": rnd.choice(CHANNELS)}
    if name == "Order Completed":
        props["total"] = rnd.randint(5, 250)
    if name == "Review Posted":
        props["stars"] = str(rnd.randint(1, 5))
    return name, at, props
