"""A small brand for the browser tests: people written in several scripts (resolved by the real
identity projection), one console user per role."""

from __future__ import annotations

from dataclasses import dataclass

from frontoffice.commerce import service
from frontoffice.console.demo import DEMO_PASSWORD, demo_login, ensure_demo_users
from frontoffice.console.roles import Role
from frontoffice.services import consent
from frontoffice.services.consent_merge import PersonConsentHub
from frontoffice.services.identity import IdentityHub
from frontoffice.storage import open_store
from frontoffice.storage.commerce_sql import CommerceStore
from frontoffice.storage.sql import SqlStore
from frontoffice.tenancy import service as tenancy
from tests.integration.identity_support import brand, identify
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
)


def _consent_and_orders(store: SqlStore, ws: str) -> None:
    """Ivanov's consent (a grant, then a refusal) and one order, through their capabilities."""
    hub = consent.ConsentHub(store)
    for purposes, at in (({"marketing_email": "granted", "analytics": "granted"}, NOW),
                         ({"analytics": "denied"}, NOW.replace(day=3))):
        consent.record(store, hub, ws, consent.Capture("user_id:cus-ivanov", purposes, at=at,
                                                       explicit=True, notice_version="2026-01"),
                       NOW.replace(day=4))
    PersonConsentHub(store).catch_up(ws)
    source, _ = tenancy.create_source(store, ws, "shop", "commerce")
    cs = CommerceStore(store)
    for kind, items in (("locations", LOCATIONS), ("products", PRODUCTS), ("inventory", STOCK),
                        ("orders", [order(1, "confirmed", order_id="ORD-RU-1", email="s.ivanov@mail.ru")])):
        service.ingest(cs, ws, source.id, kind, items, NOW)


@dataclass(frozen=True)
class Seeded:
    workspace: str
    password: str

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
        ensure_demo_users(store, shop.workspace_id)
    finally:
        store.close()
    return Seeded("shop", DEMO_PASSWORD)
