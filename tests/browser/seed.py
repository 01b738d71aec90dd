"""A small brand for the browser tests: people written in several scripts (resolved by the real
identity projection), one console user per role."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

from frontoffice.commerce import service
from frontoffice.commerce.store import CommerceStore
from frontoffice.consent import service as consent
from frontoffice.consent.person_service import PersonConsentHub
from frontoffice.console.demo import DEMO_PASSWORD, demo_login, ensure_demo_users
from frontoffice.console.roles import Role
from frontoffice.domain.events import now
from frontoffice.dsr import service as dsr
from frontoffice.dsr.config import DsrConfig
from frontoffice.dsr.model import Kind
from frontoffice.dsr.notify import OutboxNotifier
from frontoffice.dsr.store import DsrStore
from frontoffice.identity.hub import IdentityHub
from frontoffice.identity.review_store import ReviewItem, ReviewSql
from frontoffice.identity.store import IdentitySql
from frontoffice.storage import open_store
from frontoffice.storage.sql import SqlStore
from frontoffice.tenancy import service as tenancy
from tests.integration.identity_support import Brand, brand, identify
from tests.unit.commerce.sample import LOCATIONS, NOW, PRODUCTS, STOCK, order

PEOPLE = (
    ("web", identify("b-1", "2026-03-01T10:00:00Z", user="cus-ivanov", firstName="Sergei",
                     lastName="Ivanov", email="s.ivanov@mail.ru", country="RU")),
    ("pos", identify("b-2", "2026-03-02T11:00:00Z", user="cus-yamada", firstName="太郎",
                     lastName="山田", email="t.yamada@docomo.ne.jp", country="JP")),
    ("app", identify("b-3", "2026-03-03T12:00:00Z", user="cus-kim", firstName="민준", lastName="김",
                     email="minjun.kim@naver.com", country="KR")),
    ("web", identify("b-4", "2026-03-04T13:00:00Z", user="cus-mueller", firstName="Jürgen",
                     lastName="Müller", email="j.mueller@web.de", phone="+49 30 1234567",
                     country="DE")),
    ("pos", identify("b-5", "2026-03-05T14:00:00Z", user="cus-ivanov", loyaltyId="L-100",
                     firstName="Сергей", lastName="Иванов", country="RU")),
    # Olga's web profile and a store receipt joined by her user id: split apart by a lead
    ("web", identify("b-6", "2026-03-06T09:00:00Z", user="cus-petrova", firstName="Olga",
                     lastName="Petrova", email="olga.petrova@yandex.ru", country="RU")),
    ("pos", identify("b-7", "2026-03-07T09:30:00Z", user="cus-petrova", loyaltyId="L-700",
                     firstName="Ольга", lastName="Петрова", country="RU")),
    # a store receipt of Jürgen Müller's with no identifier in common: a pair for review
    ("pos", identify("b-8", "2026-03-08T15:00:00Z", user="L-800", loyaltyId="L-800",
                     firstName="Juergen", lastName="Mueller", country="DE")),
    # Hanna, a web visitor, and Anna at the store: twins by the model's reading, held apart
    ("web", identify("b-9", "2026-03-09T10:00:00Z", user="cus-hanna", firstName="Hanna",
                     lastName="Schmidt", email="hanna@posteo.de", country="DE")),
    ("pos", identify("b-10", "2026-03-09T11:00:00Z", user="L-900", loyaltyId="L-900",
                     firstName="Anna", lastName="Schmidt", country="DE")),
)
MODEL = Path(__file__).with_name("review_model.json")
# (record a, record b, match weight, explanation): what the probabilistic tier queues
PAIRS = (
    ("b-4", "b-8", 24.6, "match weight 24.6 from family name (spelling variant), given name (spelling "
     "variant), phone (missing); against: nothing"),
    ("b-9", "b-10", 7.1, "match weight 7.1 from family name (exact as written); against: given name "
     "(different)"),
)


def _consent_and_orders(store: SqlStore, ws: str) -> None:
    """Ivanov's consent (a grant, then a refusal) and one order, through their capabilities."""
    hub = consent.ConsentHub.of(store)
    for purposes, at in (({"marketing_email": "granted", "analytics": "granted"}, NOW),
                         ({"analytics": "denied"}, NOW.replace(day=3))):
        consent.record(store, hub, ws, consent.Capture("user_id:cus-ivanov", purposes, at=at,
                                                       explicit=True, notice_version="2026-01"),
                       NOW.replace(day=4))
    PersonConsentHub.of(store).catch_up(ws)
    source, _ = tenancy.create_source(store, ws, "shop", "commerce")
    cs = CommerceStore(store)
    for kind, items in (("locations", LOCATIONS), ("products", PRODUCTS), ("inventory", STOCK),
                        ("orders", [order(1, "confirmed", order_id="ORD-RU-1", email="s.ivanov@mail.ru")])):
        service.ingest(cs, ws, source.id, kind, items, NOW)
    _shirts(cs, ws, source.id)


def _review_queue(store: SqlStore, ws: str) -> None:
    """The workspace's trained model and the pairs its matcher would queue for a person to judge."""
    review = ReviewSql(store)
    review.save_model(ws, MODEL.read_text(encoding="utf-8"), 0)
    records = {rid.rpartition(":")[2]: (rid, pid) for rid, _, pid in IdentitySql(store).mapping(ws)}
    people = dict(PEOPLE_BY_ID)
    for a, b, weight, why in PAIRS:
        (ra, pa), (rb, pb) = records[a], records[b]
        sides = [{"record_id": r, "person_id": p, "given_name": people[m]["traits"]["firstName"],
                  "family_name": people[m]["traits"]["lastName"], "country": people[m]["traits"]["country"]}
                 for r, p, m in ((ra, pa, a), (rb, pb, b))]
        review.enqueue(ws, ReviewItem(0, ra, rb, pa, pb, weight, 1 - 2 ** -weight, why, sides[0], sides[1],
                                      "pending", ""))


PEOPLE_BY_ID = tuple((event["messageId"], event) for _, event in PEOPLE)


ERIK = identify("acc-1", "2026-03-10T08:00:00Z", user="cus-larsen", firstName="Erik", lastName="Larsen",
                email="erik.larsen@posteo.de", emailVerified=True, address={"country": "DE"})
GRETA = identify("acc-2", "2026-03-10T08:05:00Z", user="cus-berg", firstName="Greta", lastName="Berg",
                 email="greta.berg@posteo.de", emailVerified=True, address={"country": "DE"})


def _requests(store: SqlStore, shop: Brand) -> tuple[str, str]:
    """Erik asks for his erasure today (the code sent to his verified email is returned for the
    test to type); Greta's access request, verified weeks ago, is past its deadline."""
    source, _ = tenancy.create_source(store, shop.workspace_id, "accounts", "web", trust="server")
    Brand(store, shop.workspace_id, {"accounts": source.id}).send("accounts", ERIK, GRETA)
    IdentityHub(store).catch_up(shop.workspace_id)
    ws, config, notifier = shop.workspace_id, DsrConfig(), OutboxNotifier(store)
    weeks_ago = now() - timedelta(days=60)
    late = dsr.open_request(store, ws, Kind.ACCESS, "email", "greta.berg@posteo.de", details=None,
                            actor="seed", now=weeks_ago, config=config, notifier=notifier).request
    dsr.verify(store, ws, late.id, _code(store, ws, late.id), actor="seed", now=weeks_ago, config=config)
    erase = dsr.open_request(store, ws, Kind.ERASURE, "email", "erik.larsen@posteo.de", details=None,
                             actor="seed", now=now(), config=config, notifier=notifier).request
    return erase.id, _code(store, ws, erase.id)


def _code(store: SqlStore, ws: str, request_id: str) -> str:
    [message] = DsrStore(store).messages(ws, request_id)
    found = re.search(r"code: (\w+)", message.body)
    assert found is not None
    return found.group(1)


SHIRT = {"event_id": "prd-t", "version": 1, "product_id": "T", "name": "Linen Shirt",
         "category": "shirts", "supplier_ids": ["SUP-NORD", "SUP-SUD"],
         "variants": [{"sku": "T-M", "size": "M"}]}


def _listing(channel: str, price: float) -> dict[str, Any]:
    return {"event_id": f"lst-{channel}", "version": 1, "product_id": "T", "channel": channel,
            "currency": "EUR", "list_price": 39.9, "price": price, "valid_from": "2026-02-01T00:00:00Z",
            "valid_to": "2026-04-30T23:59:59Z"}


def _shirt_order(n: int, supplier: str) -> dict[str, Any]:
    return {"event_id": f"so-{n}", "version": 1, "order_id": f"ORD-T-{n}", "status": "confirmed",
            "channel": "web", "placed_at": "2026-02-10T10:00:00Z", "currency": "EUR", "total": 39.9,
            "customer": {"email": f"buyer{n}@example.org"},
            "lines": [{"line_no": 1, "sku": "T-M", "qty": 1, "unit_price": 39.9, "supplier_id": supplier}]}


def _shirts(cs: CommerceStore, ws: str, source: str) -> None:
    """A shirt from two suppliers, priced lower in the store than on the web; the southern
    supplier's shirts come back torn; one parcel failed, one came two days late."""
    orders = [_shirt_order(n, "SUP-NORD" if n <= 4 else "SUP-SUD") for n in range(1, 9)]
    shipments = [{"event_id": f"shp-{n}", "version": 1, "shipment_id": f"SHP-{n}", "order_id": f"ORD-T-{n}",
                  "location_id": "WH", "carrier": "DHL", "line_nos": [1], "status": status,
                  "shipped_at": "2026-02-11T08:00:00Z", "promised_by": "2026-02-13T18:00:00Z",
                  "delivered_at": delivered}
                 for n, status, delivered in ((1, "delivered", "2026-02-15T18:00:00Z"), (2, "failed", None),
                                              (3, "delivered", "2026-02-12T18:00:00Z"))]
    returns = [{"event_id": f"ret-{n}", "version": 1, "return_id": f"RET-{n}", "order_id": f"ORD-T-{n}",
                "line_no": 1, "sku": "T-M", "qty": 1, "status": "requested", "reason": reason}
               for n, reason in ((1, "size_too_small"), (5, "damaged"), (6, "damaged"), (7, "poor_quality"))]
    for kind, items in (("products", [SHIRT]), ("listings", [_listing("web", 39.9), _listing("pos", 34.9)]),
                        ("orders", orders), ("shipments", shipments), ("returns", returns)):
        service.ingest(cs, ws, source, kind, items, NOW)


@dataclass(frozen=True)
class Seeded:
    workspace: str
    password: str
    erasure_request: str
    erasure_code: str

    def login(self, role: Role) -> str:
        return demo_login(role)


def seed(database_url: str) -> Seeded:
    store = open_store(database_url)
    try:
        store.upgrade()
        shop = brand(store, "shop")
        for source, event in PEOPLE:
            shop.send(source, event)
        IdentityHub(store).catch_up(shop.workspace_id)
        _consent_and_orders(store, shop.workspace_id)
        _review_queue(store, shop.workspace_id)
        erasure = _requests(store, shop)
        ensure_demo_users(store, shop.workspace_id)
    finally:
        store.close()
    return Seeded("shop", DEMO_PASSWORD, *erasure)
