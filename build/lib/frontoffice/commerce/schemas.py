"""The native commerce intake: one documented JSON schema per entity.

Every body carries ``event_id`` (the source's id of this change: a retry with the same id is
stored once) and ``version`` (a number that grows with every change of the entity, e.g. the
source's revision or ``updated_at`` in milliseconds): the highest version of an entity wins,
whatever order the webhooks arrive in. Amounts are in the currency's major unit.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

Id = Annotated[str, Field(min_length=1, max_length=200, pattern=r"^[^\x00]+$")]
Qty = Annotated[int, Field(ge=0, le=10_000_000)]
Money = Annotated[float, Field(ge=0, le=1e12)]


class Mode(StrEnum):
    SHIP = "ship"
    BOPIS = "bopis"
    BOSS = "boss"
    BODFS = "bodfs"
    CURBSIDE = "curbside"
    BORIS = "boris"


class LocationKind(StrEnum):
    WAREHOUSE = "warehouse"
    STORE = "store"
    THREE_PL = "3pl"
    MARKETPLACE_POOL = "marketplace_pool"


class _Event(BaseModel):
    model_config = ConfigDict(extra="forbid")
    event_id: Id = Field(description="The source's id of this change; retries reuse it.")
    version: int = Field(ge=0, le=2**62, description="Grows with every change of the entity.")
    occurred_at: datetime | None = Field(default=None, description="When the change happened at the source.")


class LocationIn(_Event):
    location_id: Id
    kind: LocationKind
    name: str = ""
    city: str = ""
    region: str = ""
    postcode: str = ""
    country: str = ""
    capabilities: list[Mode] = Field(default_factory=list)


class VariantIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    sku: Id
    size: str = ""


class ProductIn(_Event):
    product_id: Id
    name: str = ""
    category: str = ""
    supplier_ids: list[Id] = Field(default_factory=list)
    variants: list[VariantIn] = Field(min_length=1)


class InventoryIn(_Event):
    """The absolute position of one SKU at one location (not a delta)."""

    location_id: Id
    sku: Id
    on_hand: Qty
    committed: Qty = 0
    incoming: Qty = 0


class ListingIn(_Event):
    """A product's price on one channel; a promotion is a listing with a ``promotion_id``
    that overrides the everyday listing while it is valid."""

    listing_id: Id | None = Field(default=None, description="Default: product|channel|currency|"
                                   "promotion|valid_from date.")
    product_id: Id
    channel: Id
    currency: Annotated[str, Field(min_length=3, max_length=3)]
    list_price: Money
    price: Money
    promotion_id: Id | None = None
    valid_from: datetime
    valid_to: datetime


class OrderStatus(StrEnum):
    PENDING = "pending"
    CONFIRMED = "confirmed"
    PARTIALLY_FULFILLED = "partially_fulfilled"
    FULFILLED = "fulfilled"
    DELIVERY_FAILED = "delivery_failed"
    DELIVERED = "delivered"
    CLOSED = "closed"
    CANCELLED = "cancelled"


class Customer(BaseModel):
    model_config = ConfigDict(extra="forbid")
    user_id: Id | None = None
    email: Id | None = None
    buyer_id: Id | None = Field(default=None, description="A marketplace buyer id.")
    phone: Id | None = None


class OrderLineIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    line_no: int = Field(ge=1)
    sku: Id
    qty: int = Field(ge=1, le=1_000_000)
    unit_price: Money
    list_price: Money | None = None
    promotion_id: Id | None = None
    fulfilment: Mode = Mode.SHIP
    location_id: Id | None = None
    supplier_id: Id | None = None


class OrderIn(_Event):
    order_id: Id
    status: OrderStatus
    channel: Id
    placed_at: datetime
    currency: Annotated[str, Field(min_length=3, max_length=3)]
    customer: Customer = Field(default_factory=Customer)
    lines: list[OrderLineIn] = Field(min_length=1)
    total: Money


class ShipmentStatus(StrEnum):
    PENDING = "pending"
    IN_TRANSIT = "in_transit"
    DELIVERED = "delivered"
    FAILED = "failed"


class ShipmentIn(_Event):
    shipment_id: Id
    order_id: Id
    location_id: Id
    mode: Mode = Mode.SHIP
    carrier: str = ""
    line_nos: list[int] = Field(default_factory=list)
    status: ShipmentStatus
    shipped_at: datetime | None = None
    promised_by: datetime
    delivered_at: datetime | None = None


class ReturnStatus(StrEnum):
    REQUESTED = "requested"
    AUTHORISED = "authorised"
    RECEIVED = "received"
    INSPECTED = "inspected"
    REFUNDED = "refunded"
    REPLACED = "replaced"
    EXCHANGED = "exchanged"
    CLOSED = "closed"
    CANCELLED = "cancelled"


class ReturnIn(_Event):
    return_id: Id
    order_id: Id
    line_no: int = Field(ge=1)
    sku: Id
    qty: int = Field(ge=1, le=1_000_000)
    status: ReturnStatus
    reason: Annotated[str, Field(max_length=100)] = "unspecified"
    method: Literal["mail", "boris"] = "mail"
    location_id: Id | None = None
    refund_amount: Money | None = None


class SubscriptionIn(_Event):
    subscription_id: Id
    status: Literal["active", "paused", "cancelled"]
    sku: Id
    interval: str = "month"
    customer: Customer = Field(default_factory=Customer)


class PoolRule(BaseModel):
    """Which locations a channel may sell from (multi-channel fulfilment)."""

    model_config = ConfigDict(extra="forbid")
    channel: Id
    location_kinds: list[LocationKind] = Field(default_factory=list,
                                               description="Empty: every kind.")
    countries: list[str] = Field(default_factory=list, description="Empty: every country.")
    exclude_location_ids: list[Id] = Field(default_factory=list)


class HoldIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    sku: Id
    location_id: Id
    qty: int = Field(ge=1, le=1_000_000)
    ttl_seconds: int = Field(900, ge=1, le=30 * 86400)
    hold_id: Id | None = None


ENTITY_MODELS: dict[str, type[_Event]] = {
    "locations": LocationIn, "products": ProductIn, "inventory": InventoryIn,
    "listings": ListingIn, "orders": OrderIn, "shipments": ShipmentIn, "returns": ReturnIn,
    "subscriptions": SubscriptionIn,
}
