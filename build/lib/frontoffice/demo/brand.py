"""The generated demo brand, held in memory (see :func:`frontoffice.demo.generator.generate`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from frontoffice.demo.commerce import Location, Price, Product, StockPosition, Supplier
from frontoffice.demo.marketplace import MarketplaceAlias
from frontoffice.demo.messages import SupportMessage
from frontoffice.demo.orders import Order, Return, Shipment
from frontoffice.demo.people import Person


@dataclass(frozen=True)
class TruthRow:
    """Which true person produced a record. Only ``ground_truth.csv`` holds these."""

    record_id: str
    kind: str
    person_id: str


@dataclass(frozen=True)
class DemoBrand:
    """Everything generated for one seed and size. Events and POS rows are plain JSON-like dicts
    (Segment spec and CSV columns); treat them as read-only, since events share context objects."""

    seed: int
    people: tuple[Person, ...]
    suppliers: tuple[Supplier, ...]
    products: tuple[Product, ...]
    locations: tuple[Location, ...]
    stock: tuple[StockPosition, ...]
    prices: tuple[Price, ...]
    events: tuple[dict[str, Any], ...]
    pos_rows: tuple[dict[str, str], ...]
    marketplace_aliases: tuple[MarketplaceAlias, ...]
    orders: tuple[Order, ...]
    shipments: tuple[Shipment, ...]
    returns: tuple[Return, ...]
    messages: tuple[SupportMessage, ...]
    ground_truth: tuple[TruthRow, ...]
    summary: dict[str, Any]
