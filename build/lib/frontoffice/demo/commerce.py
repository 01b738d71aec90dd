"""Catalogue, suppliers, locations, stock positions and per-channel prices of the demo brand.

Prices are consistent across channels except for deliberate conflicts a pricing check should
catch: the same product at the same time 35% off on ``instagram`` but 25% off on
``facebook``, and 30% off on ``web`` but 20% on ``app``.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from frontoffice.demo.phones import draw_phone
from frontoffice.demo.places import COUNTRIES, country, postcode, street_address
from frontoffice.demo.sizes import CATEGORIES, sizes_for

PRICE_CHANNELS = ("web", "app", "pos", "marketplace", "instagram", "facebook")
FX_FROM_USD = {"USD": 1.0, "EUR": 0.92, "JPY": 150.0, "KRW": 1350.0, "CNY": 7.2, "RUB": 92.0}
ZERO_DECIMAL = ("JPY", "KRW", "RUB")
FULFILMENT_MODES = ("ship", "bopis", "boss", "bodfs", "curbside", "boris")
PRODUCTS_PER_CATEGORY = 10

_STYLES = {
    "dresses": ("Wrap Dress", "Slip Dress", "Shirt Dress", "Maxi Dress", "Midi Dress", "Knit Dress"),
    "shoes": ("Leather Loafer", "Chelsea Boot", "Running Sneaker", "Canvas Sneaker", "Ankle Boot"),
    "jeans": ("Slim Jeans", "Straight Jeans", "Wide-Leg Jeans", "Bootcut Jeans", "Relaxed Jeans"),
    "jackets": ("Denim Jacket", "Puffer Jacket", "Trench Coat", "Bomber Jacket", "Rain Shell"),
    "shirts": ("Oxford Shirt", "Linen Shirt", "Flannel Shirt", "Poplin Shirt", "Silk Blouse", "Overshirt"),
    "knitwear": ("Merino Crewneck", "Cashmere Cardigan", "Cable Knit Sweater", "Ribbed Turtleneck"),
}
_PRICE_RANGE_USD = {
    "dresses": (49, 149), "shoes": (59, 189), "jeans": (49, 129),
    "jackets": (79, 249), "shirts": (29, 89), "knitwear": (39, 159),
}
_COLOURS = ("Black", "Navy", "Ivory", "Olive", "Camel", "Rust", "Sky Blue", "Charcoal", "Sage", "Burgundy")
_SUPPLIERS = (
    ("SUP-01", "Anatolia Textiles", "TR", ("dresses", "shirts", "knitwear")),
    ("SUP-02", "Dhaka Garments Ltd", "BD", ("shirts", "jeans", "dresses")),
    ("SUP-03", "Porto Footwear", "PT", ("shoes",)),
    ("SUP-04", "Guangzhou Apparel Co.", "CN", ("jackets", "dresses", "shoes", "knitwear")),
    ("SUP-05", "Hanoi Stitchworks", "VN", ("jackets", "shirts")),
    ("SUP-06", "Milano Pelle", "IT", ("shoes", "jackets")),
    ("SUP-07", "Ahmedabad Denim", "IN", ("jeans",)),
    ("SUP-08", "Busan Outerwear", "KR", ("jackets", "knitwear")),
)
_WAREHOUSES = {
    "US": (("Reno", "NV", "1200 Logistics Way", 89501, "775NXXXXXX"),
           ("Columbus", "OH", "4500 Commerce Pkwy", 43004, "614NXXXXXX")),
    "DE": (("Erfurt", "Thüringen", "Logistikring 7", 99084, "361NXXXXXX"),),
    "JP": (("千葉市美浜区", "千葉県", "中瀬2丁目6-1", 2610001, "43NXXXXXX"),),
    "KR": (("이천시", "경기도", "마장면 서이천로 578", 17379, "31NXXXXXX"),),
    "CN": (("昆山市", "江苏省", "玉山镇物流园路88号", 215300, "512NXXXXXXX"),),
    "RU": (("Подольск", "Московская область", "Промышленная ул., д. 12", 142100, "496NXXXXXX"),),
}


@dataclass(frozen=True)
class Supplier:
    supplier_id: str
    name: str
    country: str


@dataclass(frozen=True)
class Variant:
    sku: str
    size: str


@dataclass(frozen=True)
class Product:
    product_id: str
    name: str
    category: str
    colour: str
    supplier_ids: tuple[str, ...]
    base_price_usd: float
    variants: tuple[Variant, ...]


@dataclass(frozen=True)
class Location:
    location_id: str
    kind: str
    name: str
    street: str
    city: str
    postcode: str
    region: str
    country: str
    phone: str
    capabilities: tuple[str, ...]


@dataclass(frozen=True)
class StockPosition:
    location_id: str
    sku: str
    product_id: str
    on_hand: int
    committed: int
    incoming: int


@dataclass(frozen=True)
class Price:
    product_id: str
    channel: str
    currency: str
    list_price: float
    price: float
    percent_off: int
    promotion_id: str | None
    valid_from: str
    valid_to: str


def local_price(usd: float, currency: str) -> float:
    """A shelf price in local currency with local price endings (59.99, ¥8,990, ₩89,000)."""
    value = usd * FX_FROM_USD[currency]
    if currency in ("USD", "EUR"):
        return round(round(value) - 0.01, 2)
    if currency == "CNY":
        return float(round(value) - 1)
    if currency == "KRW":
        return float(round(value, -3))
    return float(round(value, -2) - 10)


def discounted(price: float, percent_off: int, currency: str) -> float:
    value = price * (100 - percent_off) / 100
    return float(round(value)) if currency in ZERO_DECIMAL else round(value, 2)


def build_products(rng: random.Random) -> tuple[tuple[Supplier, ...], tuple[Product, ...]]:
    suppliers = tuple(Supplier(sid, name, ctry) for sid, name, ctry, _ in _SUPPLIERS)
    products: list[Product] = []
    for category in CATEGORIES:
        makers = [sid for sid, _, _, cats in _SUPPLIERS if category in cats]
        low, high = _PRICE_RANGE_USD[category]
        for _ in range(PRODUCTS_PER_CATEGORY):
            pid = f"PRD-{len(products) + 1:04d}"
            chosen = rng.sample(makers, 2 if len(makers) > 1 and rng.random() < 0.3 else 1)
            products.append(
                Product(
                    product_id=pid,
                    name=rng.choice(_STYLES[category]),
                    category=category,
                    colour=rng.choice(_COLOURS),
                    supplier_ids=tuple(sorted(chosen)),
                    base_price_usd=float(rng.randrange(low, high + 1, 10) - 1),
                    variants=tuple(Variant(f"{pid}-{size}", size) for size in sizes_for(category)),
                )
            )
    return suppliers, tuple(products)


def build_locations(rng: random.Random) -> tuple[Location, ...]:
    """Fulfilment centres (ship only) and city stores (pick-up always, other services some)."""
    locations: list[Location] = []
    for code in COUNTRIES:
        ctry = country(code)
        for n, (town, region, street, zipcode, landline) in enumerate(_WAREHOUSES[code], start=1):
            phone = draw_phone(rng, code, (landline,), mobile=False).national
            locations.append(
                Location(f"WH-{code}-{n}", "warehouse", f"Fulfilment centre {town}", street, town,
                         postcode(code, zipcode), region, code, phone, ("ship",))
            )
        for n, city in enumerate(ctry.cities[: 4 if code == "US" else 3], start=1):
            extras = [m for m in ("boss", "bodfs", "curbside", "boris", "ship") if rng.random() < 0.6]
            locations.append(
                Location(
                    f"ST-{code}-{n:02d}", "store", f"Frontoffice Store {city.name}",
                    street_address(rng, code, city), city.name,
                    postcode(code, rng.randint(city.postcode_lo, city.postcode_hi)), city.region, code,
                    draw_phone(rng, code, (city.landline,), mobile=False).national,
                    tuple(m for m in FULFILMENT_MODES if m == "bopis" or m in extras),
                )
            )
    return tuple(locations)


def build_stock(
    rng: random.Random, products: tuple[Product, ...], locations: tuple[Location, ...]
) -> tuple[StockPosition, ...]:
    """Every size of every product at every location: deep at warehouses, shallow in stores."""
    stock: list[StockPosition] = []
    for loc in locations:
        deep = loc.kind == "warehouse"
        most, empty = (150, 0.05) if deep else (12, 0.15)
        for product in products:
            for variant in product.variants:
                on_hand = 0 if rng.random() < empty else rng.randint(1, most)
                committed = rng.randint(0, min(on_hand, 20))
                incoming = rng.randint(10, max(most, 12)) if rng.random() < 0.2 else 0
                position = StockPosition(
                    loc.location_id, variant.sku, product.product_id, on_hand, committed, incoming
                )
                stock.append(position)
    return tuple(stock)


def _day(offset: int) -> str:
    return (date(2026, 1, 1) + timedelta(days=offset)).isoformat()


def build_prices(rng: random.Random, products: tuple[Product, ...]) -> tuple[Price, ...]:
    """Everyday prices for every channel and currency, then promotions layered over windows."""
    prices: list[Price] = []
    shuffled = list(products)
    rng.shuffle(shuffled)
    social_clash = {p.product_id for p in shuffled[:4]}
    app_clash = {p.product_id for p in shuffled[4:6]}
    spring = {p.product_id for p in shuffled[6:18]}
    summer = {p.product_id for p in shuffled[12:30]}
    for product in products:
        for currency in FX_FROM_USD:
            base = local_price(product.base_price_usd, currency)
            plans: list[tuple[str, int, str, int, int]] = [(ch, 0, "", 0, 364) for ch in PRICE_CHANNELS]
            pid = product.product_id
            if pid in spring:
                plans += [(ch, 20, "SPRING-20", 59, 73) for ch in PRICE_CHANNELS]
            if pid in summer:
                plans += [(ch, 30, "SUMMER-30", 170, 190) for ch in PRICE_CHANNELS]
            if pid in social_clash:
                plans += [("instagram", 35, "SOCIAL-FLASH", 120, 127)]
                plans += [("facebook", 25, "SOCIAL-FLASH", 120, 127)]
            if pid in app_clash:
                plans += [("web", 30, "WEEKEND-DEAL", 200, 202), ("app", 20, "WEEKEND-DEAL", 200, 202)]
            for channel, pct, promo, start, end in plans:
                prices.append(
                    Price(pid, channel, currency, base, discounted(base, pct, currency), pct, promo or None,
                          _day(start), _day(end))
                )
    return tuple(prices)


class PriceBook:
    """Looks up the price a channel charged for a product on a given day."""

    def __init__(self, prices: tuple[Price, ...]) -> None:
        self._by_key: dict[tuple[str, str, str], list[tuple[int, int, Price]]] = {}
        origin = date(2026, 1, 1)
        for p in prices:
            start = (date.fromisoformat(p.valid_from) - origin).days
            end = (date.fromisoformat(p.valid_to) - origin).days
            self._by_key.setdefault((p.product_id, p.channel, p.currency), []).append((start, end, p))

    def at(self, product_id: str, channel: str, currency: str, day: int) -> Price:
        """The promotion running that day, else the everyday price."""
        entries = self._by_key.get((product_id, channel, currency))
        if not entries:
            raise KeyError(f"no price for {product_id} on {channel} in {currency}; check build_prices")
        live = [p for start, end, p in entries if start <= day <= end]
        return max(live, key=lambda p: p.percent_off)
