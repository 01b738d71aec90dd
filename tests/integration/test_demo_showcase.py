"""What `make demo` shows must never fail on realistic data (masked marketplace emails)."""

from __future__ import annotations

from frontoffice.commerce import service
from frontoffice.demo.showcase import person_commerce
from frontoffice.identity.projector import Projector
from frontoffice.identity.store import IdentitySql
from frontoffice.storage.sql import SqlStore
from frontoffice.tenancy import service as tenancy
from tests.integration.identity_support import Brand, identify
from tests.unit.commerce.sample import NOW, order, setup


def test_a_masked_top_customer_is_skipped_for_one_who_is_a_person(store: SqlStore) -> None:
    cs, ws, source = setup(store)
    masked = "s***@relay.kaimono.example"
    orders = [order(1, "confirmed", order_id=f"M{i}", email=masked) for i in range(3)]
    orders += [order(1, "confirmed", order_id=f"A{i}", email="ann.lee@gmx.de") for i in range(2)]
    service.ingest(cs, ws, source, "orders", orders, NOW)
    assert person_commerce(store, ws) is None  # nobody resolved yet: nothing shown, no crash

    web, _ = tenancy.create_source(store, ws, "web", "web")
    Brand(store, ws, {"web": web.id}).send(
        "web", identify("m1", "2026-03-01T09:00:00Z", user="cus_1", email="ann.lee@gmx.de"))
    Projector(store, IdentitySql(store), ws).catch_up()
    found = person_commerce(store, ws)
    assert found is not None
    email, _, traits = found
    assert email == "ann.lee@gmx.de"
    assert traits["order_count"] == 2
