"""Figures about a generated brand, written to ``summary.json``."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from typing import Any

from frontoffice.demo.brand import DemoBrand
from frontoffice.demo.commerce import Price
from frontoffice.demo.marketplace import MarketplaceAlias
from frontoffice.demo.messages import SupportMessage
from frontoffice.demo.names import is_non_latin
from frontoffice.demo.orders import Order
from frontoffice.demo.people import NON_LATIN_COUNTRIES, Person
from frontoffice.demo.places import COUNTRIES


def inconsistent_promotions(prices: Iterable[Price]) -> list[tuple[str, str, str]]:
    """(product, currency, promotion) where channels give different discounts in the same window."""
    offs: dict[tuple[str, str, str, str, str], set[int]] = {}
    for p in prices:
        if p.promotion_id:
            offs.setdefault((p.product_id, p.currency, p.promotion_id, p.valid_from, p.valid_to), set()).add(
                p.percent_off
            )
    return sorted({(k[0], k[1], k[2]) for k, v in offs.items() if len(v) > 1})


def record_names(
    events: Iterable[tuple[dict[str, Any], str]],
    pos: Iterable[tuple[dict[str, str], str]],
    aliases: Iterable[tuple[MarketplaceAlias, str]],
    orders: Iterable[tuple[Order, str]],
    messages: Iterable[tuple[SupportMessage, str]],
) -> Iterator[tuple[str, str]]:
    """(person_id, name as written) for every record that carries a name."""
    for ev, pid in events:
        for traits in (ev.get("traits"), ev["context"].get("traits")):
            if traits and traits.get("name"):
                yield pid, traits["name"]
    for row, pid in pos:
        yield pid, row["name"]
    for alias, pid in aliases:
        yield pid, alias.display_name
    for order, pid in orders:
        yield pid, order.customer_name
    for message, pid in messages:
        if message.sender_name:
            yield pid, message.sender_name


def cross_script_people(people: tuple[Person, ...], names: Iterable[tuple[str, str]]) -> dict[str, int]:
    """Per country, people whose records show their name both in native script and romanised."""
    native: set[str] = set()
    latin: set[str] = set()
    for pid, name in names:
        (native if is_non_latin(name) else latin).add(pid)
    both = native & latin
    counts = Counter(p.country for p in people if p.person_id in both and p.country in NON_LATIN_COUNTRIES)
    return {code: counts[code] for code in NON_LATIN_COUNTRIES}


def _counts(values: Iterable[str]) -> dict[str, int]:
    return dict(sorted(Counter(values).items()))


def record_counts(brand: DemoBrand) -> dict[str, int]:
    return {
        "events.ndjson": len(brand.events), "pos.csv": len(brand.pos_rows),
        "marketplace.ndjson": len(brand.marketplace_aliases), "orders.ndjson": len(brand.orders),
        "shipments.ndjson": len(brand.shipments), "returns.ndjson": len(brand.returns),
        "messages.ndjson": len(brand.messages), "ground_truth.csv": len(brand.ground_truth),
        "catalogue.json": len(brand.products), "locations.json": len(brand.locations),
        "stock.json": len(brand.stock), "prices.json": len(brand.prices),
    }


def summarise(brand: DemoBrand, cross_script: dict[str, int]) -> dict[str, Any]:
    """The figures of ``summary.json``; ``cross_script`` comes from :func:`cross_script_people`."""
    lines = sum(len(o.lines) for o in brand.orders)
    per_country = Counter(p.country for p in brand.people)
    kin = Counter(p.kin for p in brand.people)
    returns, shipments = brand.returns, brand.shipments
    return {
        "seed": brand.seed,
        "people": len(brand.people),
        "people_per_country": {code: per_country[code] for code in COUNTRIES},
        "records": record_counts(brand),
        "events_per_source": _counts(e["context"]["source"] for e in brand.events),
        "events_per_type": _counts(e["type"] for e in brand.events),
        "order_lines": lines,
        "returned_lines": len(returns),
        "return_rate": round(len(returns) / lines, 4) if lines else 0.0,
        "returns_per_reason": _counts(r.reason for r in returns),
        "shipments_failed": sum(s.status == "failed" for s in shipments),
        "shipments_late": sum(
            s.delivered_at is not None and s.delivered_at > s.promised_by for s in shipments
        ),
        "cross_script_people": sum(cross_script.values()),
        "cross_script_people_per_country": cross_script,
        "twins": kin["twin"],
        "household_members": kin["household"],
        "lookalikes": kin["lookalike"],
        "messages_per_language": _counts(m.language for m in brand.messages),
        "inconsistent_promotions": [
            {"product_id": pid, "promotion_id": promo}
            for pid, promo in sorted({(p, promo) for p, _, promo in inconsistent_promotions(brand.prices)})
        ],
    }
