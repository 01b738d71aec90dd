"""Orders, shipments and returns, with fashion-like returns driven by fit and late delivery.

Each order line records the size ordered; the person's true size decides whether it fits, so
``too_small``/``too_big`` returns correlate with ordering below or above the true size. Some
shoppers bracket (order two sizes of one item and send one back). Late parcels raise the
return rate and bring ``late_delivery`` returns; failed deliveries are never returned.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from frontoffice.demo.commerce import Location, PriceBook, Product
from frontoffice.demo.marketplace import MarketplaceAlias
from frontoffice.demo.people import Person
from frontoffice.demo.phones import as_typed
from frontoffice.demo.places import country
from frontoffice.demo.sizes import sizes_for
from frontoffice.demo.timeline import DAY_MS, HOUR_MS, SPAN_DAYS, IdMint, iso, moment

RETURN_REASONS = ("too_small", "too_big", "damaged", "not_as_described", "changed_mind", "late_delivery")
_CARRIERS = {
    "US": ("ups", "fedex", "usps"), "DE": ("dhl", "hermes", "dpd"), "JP": ("yamato", "sagawa", "japan_post"),
    "KR": ("cj_logistics", "hanjin", "lotte"), "CN": ("sf_express", "jd_logistics", "zto"),
    "RU": ("cdek", "russian_post", "boxberry"),
}
_SHIP_DAYS = {"ship": (3, 5), "bodfs": (1, 1), "boss": (5, 7), "bopis": (0, 0), "curbside": (0, 0)}
_MODES = tuple(_SHIP_DAYS)
_MODE_WEIGHTS = (70, 7, 7, 12, 4)


@dataclass(frozen=True)
class OrderLine:
    line_no: int
    sku: str
    product_id: str
    name: str
    category: str
    size: str
    qty: int
    unit_price: float
    list_price: float
    promotion_id: str | None
    fulfilment: str
    location_id: str


@dataclass(frozen=True)
class ShipTo:
    name: str
    street: str
    city: str
    postcode: str
    region: str
    country: str
    phone: str | None


@dataclass(frozen=True)
class Order:
    order_id: str
    channel: str
    marketplace: str | None
    placed_at: str
    currency: str
    user_id: str | None
    buyer_id: str | None
    email: str | None
    phone: str | None
    customer_name: str
    ship_to: ShipTo | None
    lines: tuple[OrderLine, ...]
    total: float


@dataclass(frozen=True)
class Shipment:
    shipment_id: str
    order_id: str
    location_id: str
    mode: str
    carrier: str | None
    line_nos: tuple[int, ...]
    shipped_at: str
    promised_by: str
    delivered_at: str | None
    status: str


@dataclass(frozen=True)
class Return:
    return_id: str
    order_id: str
    line_no: int
    sku: str
    size: str
    qty: int
    reason: str
    method: str
    requested_at: str
    received_at: str
    location_id: str
    refund_amount: float
    currency: str


@dataclass(frozen=True)
class PlacedOrder:
    """An order with its bookkeeping for the other channels (never written to files)."""

    order: Order
    person: Person
    placed_ms: int
    anonymous_id: str | None
    shipment: Shipment
    shipped_ms: int
    delivered_ms: int | None
    late: bool
    returns: tuple[tuple[Return, int], ...]


class OrderMaker:
    def __init__(
        self,
        rng: random.Random,
        mint: IdMint,
        products: tuple[Product, ...],
        locations: tuple[Location, ...],
        prices: PriceBook,
    ) -> None:
        self.rng, self.mint, self.products, self.prices = rng, mint, products, prices
        self.warehouses: dict[str, list[Location]] = {}
        self.stores: dict[str, list[Location]] = {}
        for loc in locations:
            by_country = self.warehouses if loc.kind == "warehouse" else self.stores
            by_country.setdefault(loc.country, []).append(loc)

    def for_person(self, person: Person, aliases: tuple[MarketplaceAlias, ...]) -> list[PlacedOrder]:
        rng = self.rng
        channels = ["web"]
        if person.devices and person.user_ids:  # the app needs an account
            channels.append("app")
        if aliases:
            channels.append("marketplace")
        weights = {"web": 0.5, "app": 0.3, "marketplace": 0.3}
        count = min(6, int(rng.expovariate(1.0) * 1.5 * person.activity))
        placed = []
        for _ in range(count):
            channel = rng.choices(channels, weights=[weights[c] for c in channels])[0]
            alias = rng.choice(aliases) if channel == "marketplace" else None
            placed.append(self._order(person, channel, alias))
        return placed

    def _fulfilment(self, person: Person, marketplace: bool) -> tuple[str, Location]:
        rng = self.rng
        warehouses, stores = self.warehouses[person.country], self.stores[person.country]
        mode = "ship" if marketplace else rng.choices(_MODES, weights=_MODE_WEIGHTS)[0]
        if mode == "ship":
            shippers = [s for s in stores if "ship" in s.capabilities]
            return mode, rng.choice(shippers) if shippers and rng.random() < 0.1 else rng.choice(warehouses)
        able = [s for s in stores if mode in s.capabilities]
        if not able:
            return "ship", rng.choice(warehouses)
        return mode, rng.choice([s for s in able if s.city == person.address.city] or able)

    def _lines(
        self, person: Person, channel: str, currency: str, day: int, mode: str, location: Location
    ) -> list[tuple[OrderLine, int]]:
        """Order lines with how far each ordered size is from the person's true size."""
        rng = self.rng
        lines: list[tuple[OrderLine, int]] = []
        for _ in range(rng.choices((1, 2, 3, 4), weights=(55, 28, 12, 5))[0]):
            product = rng.choice(self.products)
            sizes = sizes_for(product.category)
            true_idx = sizes.index(person.true_size(product.category))
            last = len(sizes) - 1
            picks = [min(max(true_idx + rng.choices((-1, 0, 1), weights=(12, 76, 12))[0], 0), last)]
            if rng.random() < 0.08:  # bracketing: the neighbouring size as well
                picks.append(min(max(picks[0] + rng.choice((-1, 1)), 0), last))
            for idx in dict.fromkeys(picks):
                price = self.prices.at(product.product_id, channel, currency, day)
                line = OrderLine(
                    len(lines) + 1, f"{product.product_id}-{sizes[idx]}", product.product_id, product.name,
                    product.category, sizes[idx], 2 if rng.random() < 0.05 else 1, price.price,
                    price.list_price, price.promotion_id, mode, location.location_id,
                )
                lines.append((line, idx - true_idx))
        return lines

    def _order(self, person: Person, channel: str, alias: MarketplaceAlias | None) -> PlacedOrder:
        rng, ctry = self.rng, country(person.country)
        day = rng.randint(person.first_day, SPAN_DAYS - 15)
        placed_ms = moment(rng, day, ctry.utc_offset_hours)
        mode, location = self._fulfilment(person, alias is not None)
        lines = self._lines(person, channel, ctry.currency, day, mode, location)
        order_id = self.mint.digits("ORD-", 9)
        user_id = anonymous_id = None
        if alias is not None:
            name, email, phone = alias.ship_to_name, alias.email, alias.ship_to_phone
        else:
            name = person.pick_name(rng, latin_share=0.35)[1]
            phone = as_typed(rng, person.phones[0]) if rng.random() < 0.6 else None
            if person.user_ids and (channel == "app" or rng.random() < 0.85):
                user_id = person.user_ids[0] if rng.random() < 0.85 else rng.choice(person.user_ids)
                email = person.account_email(user_id)
            else:
                email = rng.choice(person.emails)
            device_ids = [d.anonymous_id for d in person.devices]
            anonymous_id = rng.choice(device_ids if channel == "app" else list(person.browser_ids))
        addr = person.address
        ship_to = None
        if mode in ("ship", "bodfs"):
            ship_to = ShipTo(name, addr.street, addr.city, addr.postcode, addr.region, addr.country,
                             phone or as_typed(rng, person.phones[0]))
        total = round(sum(line.unit_price * line.qty for line, _ in lines), 2)
        order = Order(
            order_id, channel, alias.marketplace if alias else None, iso(placed_ms), ctry.currency, user_id,
            alias.buyer_id if alias else None, email, phone, name, ship_to,
            tuple(line for line, _ in lines), total,
        )
        return self._fulfil(order, person, placed_ms, anonymous_id, mode, location, lines)

    def _fulfil(
        self, order: Order, person: Person, placed_ms: int, anonymous_id: str | None, mode: str,
        location: Location, lines: list[tuple[OrderLine, int]],
    ) -> PlacedOrder:
        rng = self.rng
        low, high = _SHIP_DAYS[mode]
        shipped_ms = placed_ms + rng.randint(1, 3 if mode in ("bopis", "curbside") else 36) * HOUR_MS
        promised_ms = placed_ms + rng.randint(low, high) * DAY_MS + 6 * HOUR_MS
        r = rng.random()
        failed = r < 0.025
        late = not failed and r < 0.2
        delivered_ms: int | None = None
        if late:
            delivered_ms = promised_ms + rng.randint(1, 6) * DAY_MS + rng.randrange(DAY_MS // 2)
        elif not failed:
            delivered_ms = max(shipped_ms + 2 * HOUR_MS, promised_ms - rng.randrange(max(low, 1) * DAY_MS))
        carrier = None if mode in ("bopis", "curbside") else rng.choice(_CARRIERS[person.country])
        shipment = Shipment(
            self.mint.hex("shp_", 12), order.order_id, location.location_id, mode, carrier,
            tuple(line.line_no for line, _ in lines), iso(shipped_ms), iso(promised_ms),
            iso(delivered_ms) if delivered_ms is not None else None, "failed" if failed else "delivered",
        )
        returns: list[tuple[Return, int]] = []
        if delivered_ms is not None:
            for line, fit in lines:
                reason = return_reason(rng, fit, late)
                if reason is not None:
                    returns.append(self._return(order, person, line, reason, delivered_ms))
        return PlacedOrder(order, person, placed_ms, anonymous_id, shipment, shipped_ms, delivered_ms, late,
                           tuple(returns))

    def _return(
        self, order: Order, person: Person, line: OrderLine, reason: str, delivered_ms: int
    ) -> tuple[Return, int]:
        rng = self.rng
        requested_ms = delivered_ms + rng.randint(1, 20) * DAY_MS + rng.randrange(DAY_MS)
        boris = [s for s in self.stores[person.country] if "boris" in s.capabilities]
        in_store = bool(boris) and order.channel != "marketplace" and rng.random() < 0.35
        location = rng.choice(boris) if in_store else rng.choice(self.warehouses[person.country])
        received_ms = requested_ms if in_store else requested_ms + rng.randint(2, 8) * DAY_MS
        qty = line.qty if line.qty == 1 or rng.random() < 0.5 else 1
        ret = Return(
            self.mint.hex("ret_", 12), order.order_id, line.line_no, line.sku, line.size, qty, reason,
            "boris" if in_store else "mail", iso(requested_ms), iso(received_ms), location.location_id,
            round(line.unit_price * qty, 2), order.currency,
        )
        return ret, requested_ms


def return_reason(rng: random.Random, fit: int, late: bool) -> str | None:
    """Whether a delivered line comes back and why; ``fit`` is ordered minus true size index."""
    if fit != 0:
        if rng.random() >= (0.7 if fit < 0 else 0.65):
            return None
        if rng.random() < 0.85:
            return "too_small" if fit < 0 else "too_big"
        return rng.choice(("changed_mind", "not_as_described", "damaged"))
    if rng.random() >= 0.1 + (0.2 if late else 0.0):
        return None
    weights = (5, 5, 20, 25, 35, 40 if late else 0)
    return rng.choices(RETURN_REASONS, weights=weights)[0]
