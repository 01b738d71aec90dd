"""How one commerce or inbox event of the log becomes daily facts, sliced by the product,
supplier, category, agent, team, channel, store and region it carries (or that an earlier event
told: a return's order lines, a reply's ticket). Where the hour matters (first responses and the
SLA, deliveries and their late or failed alerts) a fact also names its UTC hour and is rolled up
by hour as well. Pure: ``fold`` reads and writes only the ``Refs`` it is given, so replaying the
log in order ends in the same rollups."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from frontoffice.insights.ports import Fact, Refs

ALL = ("all", "all")  # every metric is also counted for the whole workspace


def _day(value: str | None, fallback: str) -> str:
    return (value or fallback)[:10]


def hour_of(value: str) -> str:
    """The UTC hour of an ISO-8601 time ("2026-09-15T14"); a time without an offset is UTC."""
    at = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return (at.astimezone(UTC) if at.tzinfo else at).strftime("%Y-%m-%dT%H")


def _slices(**given: str | None) -> tuple[tuple[str, str], ...]:
    return (ALL, *((k, v) for k, v in given.items() if v))


def _line_slices(
    refs: Refs, line: Mapping[str, Any], order: Mapping[str, Any]
) -> tuple[tuple[str, str], ...]:
    variant = refs.get("variant", line["sku"]) or {}
    product, suppliers = variant.get("product_id"), variant.get("supplier_ids") or []
    supplier = line.get("supplier_id") or (suppliers[0] if suppliers else None)
    location = line.get("location_id")
    region = (refs.get("location", location) or {}).get("region") if location else None
    stratum = f"{product}|{supplier}|{variant.get('size', '')}" if product and supplier else None
    return _slices(
        product=product,
        supplier=supplier,
        category=variant.get("category"),
        channel=order.get("channel"),
        store=location,
        region=region,
        product_supplier_size=stratum,
    )


def fold(refs: Refs, etype: str, data: Mapping[str, Any], at: str) -> list[Fact]:
    """The facts of one event (``at``: when the log received it, the day when the event has none)."""
    family, _, action = etype.partition(".")
    if family in ("product", "location", "listing", "order", "return", "shipment"):
        return _commerce(refs, family, action, data, at)
    return _inbox(refs, etype, data, at)


def _commerce(refs: Refs, kind: str, action: str, data: Mapping[str, Any], at: str) -> list[Fact]:
    if kind == "product":
        refs.put("product", data["product_id"], {"category": data.get("category", "")})
        for v in data["variants"]:
            refs.put(
                "variant",
                v["sku"],
                {
                    "product_id": data["product_id"],
                    "size": v.get("size", ""),
                    "category": data.get("category", ""),
                    "supplier_ids": data.get("supplier_ids", []),
                },
            )
        return []
    if kind == "location":
        refs.put(
            "location",
            data["location_id"],
            {"region": data.get("region") or data.get("country", ""), "kind": data.get("kind", "")},
        )
        return []
    if kind == "listing":
        return _listing(refs, data, at)
    if kind == "order":
        return _order(refs, data, at)
    if kind == "return":
        return _return(refs, data, at)
    return _shipment(refs, action, data, at)


def _order(refs: Refs, data: Mapping[str, Any], at: str) -> list[Fact]:
    known = refs.get("order", data["order_id"])
    refs.put("order", data["order_id"], {"channel": data["channel"], "lines": data["lines"]})
    if known is not None:
        return []
    day, ev = _day(data.get("placed_at"), at), (f"order:{data['order_id']}",)
    stores = {line.get("location_id") for line in data["lines"]} - {None}
    store = next(iter(stores)) if len(stores) == 1 else None
    region = (refs.get("location", store) or {}).get("region") if store else None
    facts = [Fact("orders", day, _slices(channel=data["channel"], store=store, region=region), 1, ev)]
    for line in data["lines"]:
        facts.append(Fact("units", day, _line_slices(refs, line, data), line["qty"], ev))
    return facts


def _return(refs: Refs, data: Mapping[str, Any], at: str) -> list[Fact]:
    if refs.get("return", data["return_id"]) is not None or data.get("status") == "cancelled":
        return []
    refs.put("return", data["return_id"], {"order_id": data["order_id"]})
    order = refs.get("order", data["order_id"]) or {"lines": []}
    line = next((x for x in order["lines"] if x["line_no"] == data["line_no"]), {"sku": data["sku"]})
    slices = _line_slices(refs, line, order)
    day = _day(data.get("occurred_at"), at)
    ev = (f"return:{data['return_id']}", f"order:{data['order_id']}")
    reason = str(data.get("reason") or "unspecified").strip().lower().replace(" ", "_")
    return [
        Fact("returns", day, slices, data["qty"], ev),
        Fact(f"returns:{reason}", day, slices, data["qty"], ev),
    ]


def _shipment(refs: Refs, action: str, data: Mapping[str, Any], at: str) -> list[Fact]:
    sid = data["shipment_id"]
    if action == "updated":
        known = refs.get("shipment", sid)
        refs.put("shipment", sid, {"mode": data.get("mode", "ship"), "carrier": data.get("carrier", "")})
        if known is not None:
            return []
        metric = "shipments"
    elif action in ("late", "failed"):
        metric = f"deliveries_{action}"
    else:
        return []
    shipment = refs.get("shipment", sid) or {}
    region = (refs.get("location", data["location_id"]) or {}).get("region")
    slices = _slices(
        store=data["location_id"],
        region=region,
        mode=shipment.get("mode"),
        carrier=shipment.get("carrier") or data.get("carrier"),
    )
    due = data.get("promised_by") or at  # a shipment and its alert count on the day and hour it was due
    return [Fact(metric, due[:10], slices, 1, (f"shipment:{sid}", f"order:{data['order_id']}"), hour_of(due))]


def _overlap(a: Mapping[str, Any], b: Mapping[str, Any]) -> bool:
    return bool(a["valid_from"] <= b["valid_to"] and b["valid_from"] <= a["valid_to"])


def _listing(refs: Refs, data: Mapping[str, Any], at: str, tolerance: float = 0.01) -> list[Fact]:
    """A price conflict: two channels showing the same offer (everyday, or one promotion) at
    prices more than ``tolerance`` apart while both are valid."""
    product = data["product_id"]
    listings = (refs.get("listings", product) or {}).get("by_id", {})
    listings[data["listing_id"]] = {
        k: data[k]
        for k in ("listing_id", "channel", "currency", "price", "promotion_id", "valid_from", "valid_to")
    }
    refs.put("listings", product, {"by_id": listings})
    facts = []
    for other in listings.values():
        if (
            other["channel"] == data["channel"]
            or other["promotion_id"] != data["promotion_id"]
            or other["currency"] != data["currency"]
            or not _overlap(other, data)
        ):
            continue
        high = max(other["price"], data["price"])
        if high <= 0 or abs(other["price"] - data["price"]) / high <= tolerance:
            continue
        pair = "|".join(sorted((other["listing_id"], data["listing_id"])))
        if refs.get("conflict", pair) is not None:
            continue
        refs.put("conflict", pair, {"product_id": product})
        variant_category = (refs.get("product", product) or {}).get("category")
        facts.append(
            Fact(
                "price_conflicts",
                _day(data.get("occurred_at"), at),
                _slices(
                    product=product, channel=min(other["channel"], data["channel"]), category=variant_category
                ),
                1,
                (f"listing:{other['listing_id']}", f"listing:{data['listing_id']}"),
            )
        )
    return facts


def _ticket_slices(refs: Refs, t: Mapping[str, Any], **more: str | None) -> tuple[tuple[str, str], ...]:
    return _slices(agent=t.get("agent"), team=t.get("team"), channel=t.get("channel"), **more)


def _minutes(start: str, end: str) -> float:
    return (datetime.fromisoformat(end) - datetime.fromisoformat(start)).total_seconds() / 60


def _inbox(refs: Refs, etype: str, data: Mapping[str, Any], at: str) -> list[Fact]:
    tid = data.get("ticket_id")
    if tid is None:
        return []
    if etype == "ticket.opened":
        refs.put(
            "ticket",
            tid,
            {
                "channel": data["channel"],
                "team": data.get("team"),
                "agent": None,
                "opened": data["at"],
                "orders": [],
                "classified": False,
                "due": (data.get("sla") or {}).get("first_response_due"),
            },
        )
        return []
    t = refs.get("ticket", tid)
    if t is None:
        return []
    at_day, ev = _day(data.get("at"), at), (f"ticket:{tid}",)
    facts: list[Fact] = []
    if etype == "message.received":
        t["orders"] = sorted({*t["orders"], *data.get("orders", [])})
    elif etype == "ticket.assigned":  # each hand-over counts for the agent it goes to
        if t["agent"] != data["agent_id"]:
            facts.append(
                Fact(
                    "tickets_assigned",
                    at_day,
                    _slices(agent=data["agent_id"], team=data.get("team") or t["team"]),
                    1,
                    ev,
                )
            )
        t["agent"], t["team"] = data["agent_id"], data.get("team") or t["team"]
    elif etype == "ticket.classified" and not t["classified"]:
        t["classified"] = True
        facts += _classified(refs, t, data["understanding"], _day(t["opened"], at), ev)
    elif etype == "message.sent" and data.get("author") != "self-service" and "responded" not in t:
        t["responded"] = data["at"]
        slices, hour = _ticket_slices(refs, t), hour_of(data["at"])
        facts.append(Fact("responses", at_day, slices, 1, ev, hour))
        waited = _minutes(t["opened"], data["at"])
        facts.append(Fact("first_response_minutes", at_day, slices, waited, ev, hour))
        if t.get("due") and data["at"] > t["due"]:
            facts.append(Fact("sla_missed", at_day, slices, 1, ev, hour))
    elif etype == "ticket.updated" and data["changes"].get("status") == "solved" and "solved" not in t:
        t["solved"] = data["at"]  # the first solve: the resolution time
        slices = _ticket_slices(refs, t)
        facts.append(Fact("resolutions", at_day, slices, 1, ev))
        facts.append(Fact("resolution_minutes", at_day, slices, _minutes(t["opened"], data["at"]), ev))
    elif etype == "sla.breached":
        # the rate's unit is a ticket an agent held (``tickets_assigned``): a ticket breaching
        # several rounds (first response, resolution) under one agent counts once for them
        if t["agent"] is not None and t["agent"] not in t.setdefault("breached_for", []):
            t["breached_for"].append(t["agent"])
            facts.append(
                Fact("sla_breaches", at_day, _ticket_slices(refs, t), 1, ev, hour_of(data.get("at") or at))
            )
    elif etype == "ticket.rated":
        slices = _ticket_slices(refs, t)
        facts.append(Fact("csat", at_day, slices, float(data["score"]), ev))
        if int(data["score"]) <= 2:
            facts.append(Fact("csat_low", at_day, slices, 1, ev))
    else:
        return []
    refs.put("ticket", tid, t)
    return facts


def _classified(
    refs: Refs, t: Mapping[str, Any], u: Mapping[str, Any], day: str, ev: tuple[str, ...]
) -> list[Fact]:
    topic, sentiment = u.get("category", "other"), u.get("sentiment", "neutral")
    facts = [
        Fact(
            "tickets",
            day,
            _ticket_slices(refs, t, topic=topic, sentiment=sentiment, language=u.get("language")),
            1,
            ev,
        )
    ]
    products: set[tuple[str | None, str | None, str | None]] = set()
    for order_id in t["orders"]:
        order = refs.get("order", order_id) or {"lines": []}
        for line in order["lines"]:
            s = dict(_line_slices(refs, line, order))
            products.add((s.get("product"), s.get("supplier"), s.get("category")))
    for product, supplier, category in sorted(products, key=str):
        facts.append(
            Fact(
                f"tickets:{topic}",
                day,
                _slices(product=product, supplier=supplier, category=category),
                1,
                (*ev, *(f"order:{o}" for o in t["orders"])),
            )
        )
    if not products:
        facts.append(Fact(f"tickets:{topic}", day, _ticket_slices(refs, t), 1, ev))
    return facts
