"""A shop for the decisions tests on a real database: commerce's sample catalogue (dress D in
M, stocked in the US and in a German warehouse, and L, not), Ann (consented to
personalisation, keeps size M in dresses) and Bo (never asked, so refused on an opt-in
region), both with an address in Germany."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from frontoffice.commerce import service as commerce
from frontoffice.consent import service as consent
from frontoffice.identity import service as identity
from frontoffice.outbound.exports import catch_up_people
from frontoffice.storage.sql import SqlStore
from frontoffice.tenancy import service as tenancy
from tests.integration.identity_support import Brand, identify
from tests.unit.commerce.sample import NOW, order, setup

ACTIONS = [
    {"action_id": "dress", "kind": "product", "title": "Wrap dress", "channels": ["web", "email"],
     "product_id": "D", "skus": ["D-M"], "category": "dresses", "value": 100.0, "margin": 0.4},
    {"action_id": "dress-l", "kind": "offer", "title": "Wrap dress in L", "channels": ["web"],
     "product_id": "D", "skus": ["D-L"], "value": 80.0, "margin": 0.3},
    {"action_id": "vip", "kind": "loyalty", "title": "Double points", "channels": ["web"],
     "segment": "vip", "value": 5.0, "margin": 1.0},
    {"action_id": "care", "kind": "content", "title": "How to care for linen", "channels": ["web"]},
]


@dataclass(frozen=True)
class Shop:
    ws: str
    ann: str
    bo: str


def shop(store: SqlStore) -> Shop:
    cs, ws, src = setup(store)
    web, _ = tenancy.create_source(store, ws, "web", "web")
    Brand(store, ws, {"web": web.id}).send(
        "web", identify("m1", "2026-01-01T10:00:00Z", user="cus_ann", email="ann@posteo.de",
                        address={"country": "DE"}),
        identify("m2", "2026-01-01T10:00:00Z", user="cus_bo", email="bo@posteo.de",
                 address={"country": "DE"}))
    commerce.ingest(cs, ws, src, "locations", [{  # ships to Ann and Bo's country
        "event_id": "loc-de", "version": 1, "location_id": "WH-DE", "kind": "warehouse",
        "city": "Leipzig", "country": "DE", "capabilities": ["ship"]}], NOW)
    commerce.ingest(cs, ws, src, "inventory", [{"event_id": "stk-de", "version": 1,
                                                "location_id": "WH-DE", "sku": "D-M",
                                                "on_hand": 2}], NOW)
    commerce.ingest(cs, ws, src, "orders", [order(1, "delivered", email="ann@posteo.de")], NOW)
    catch_up_people(store, ws)
    consent.record(store, consent.ConsentHub.of(store), ws, consent.Capture(
        subject="user_id:cus_ann", explicit=True, at=datetime(2026, 1, 2, tzinfo=UTC),
        purposes={"personalisation": "granted"}), NOW)
    catch_up_people(store, ws)
    tenancy.require_workspace(store, ws)
    return Shop(ws, identity.find(store, ws, "ann@posteo.de"),
                identity.find(store, ws, "bo@posteo.de"))
