"""A person's commerce traits on the golden record, through all their identifiers, on SQLite
and PostgreSQL: the service, the API (in-process) and ``frontoffice people show``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import orjson
import pytest
from click.testing import CliRunner

from frontoffice.api.app import create_app
from frontoffice.bootstrap import Role, bootstrap
from frontoffice.cli.main import cli
from frontoffice.commerce import service
from frontoffice.identity import service as identity
from frontoffice.identity.hub import IdentityHub
from frontoffice.settings import Settings
from frontoffice.storage.sql import SqlStore
from frontoffice.tenancy import service as tenancy
from tests.integration.identity_support import Brand, identify
from tests.unit.commerce.sample import NOW, order, setup

ZERO = {"order_count": 0, "lifetime_value": {}, "units_bought": 0, "return_rate": 0.0,
        "return_reasons": {}, "kept_sizes": {}, "preferred_store": None,
        "preferred_fulfilment": None, "late_deliveries": 0, "failed_deliveries": 0,
        "active_subscriptions": []}


def _customer(number: int, **customer: str) -> dict[str, Any]:
    return {**order(1, "delivered", order_id=f"O{number}"), "customer": customer}


def _ann_with_orders(store: SqlStore) -> tuple[Brand, str]:
    """Ann has two emails (one a Gmail spelling identity folds), a login and a phone; she
    ordered under each, one order under two of her keys; Bo ordered too; O5 was cancelled."""
    cs, ws, shop = setup(store)
    web, _ = tenancy.create_source(store, ws, "web", "web")
    b = Brand(store, ws, {"web": web.id})
    b.send("web", identify("m1", "2026-01-01T10:00:00Z", user="cus_ann", email="ann@posteo.de",
                           phone="+49 151 40371958"),
           identify("m2", "2026-01-02T10:00:00Z", user="cus_ann", email="Ann.Smith@gmail.com"),
           identify("m3", "2026-01-03T10:00:00Z", user="cus_bo", email="bo@posteo.de"))
    service.ingest(cs, ws, shop, "orders", [
        _customer(1, email="ANN@posteo.de", user_id="cus_ann"),  # two of her keys, one order
        _customer(2, email="ann.smith@gmail.com"),  # identity knows it as annsmith@gmail.com
        _customer(3, phone="0049 151 4037 1958"),
        _customer(4, email="bo@posteo.de"),
        {**_customer(5, email="ann@posteo.de"), "status": "cancelled"},
    ], NOW)
    service.ingest(cs, ws, shop, "returns", [{
        "event_id": "r1", "version": 1, "return_id": "R1", "order_id": "O1", "line_no": 1,
        "sku": "D-M", "qty": 1, "status": "refunded", "reason": "too_small",
        "refund_amount": 100.0}], NOW)
    service.ingest(cs, ws, shop, "shipments", [{
        "event_id": "sh2", "version": 1, "shipment_id": "SH2", "order_id": "O2",
        "location_id": "WH", "status": "delivered", "promised_by": "2026-03-03T00:00:00Z",
        "delivered_at": "2026-03-05T00:00:00Z"}], NOW)
    service.ingest(cs, ws, shop, "subscriptions", [{
        "event_id": "s1", "version": 1, "subscription_id": "SUB1", "status": "active",
        "sku": "D-M", "customer": {"user_id": "cus_ann"}}], NOW)
    IdentityHub(store).catch_up(ws)
    return b, identity.find(store, ws, "ann@posteo.de")


def test_orders_under_each_of_a_persons_identifiers_count_once(store: SqlStore) -> None:
    b, pid = _ann_with_orders(store)
    commerce = identity.profile(store, b.workspace_id, pid)["commerce"]
    assert commerce["order_count"] == 3  # O1, O2 (two keys), O3; not Bo's, not the cancelled one
    assert commerce["units_bought"] == 3
    assert commerce["lifetime_value"] == {"EUR": 200.0}  # 3 × 100 less the refund
    assert "email:ann.smith@gmail.com" in commerce["customer_keys"]
    assert "phone:004915140371958" in commerce["customer_keys"]


def test_returns_late_deliveries_and_subscriptions_are_the_persons(store: SqlStore) -> None:
    b, pid = _ann_with_orders(store)
    commerce = identity.profile(store, b.workspace_id, pid)["commerce"]
    assert commerce["return_rate"] == round(1 / 3, 3)
    assert commerce["return_reasons"] == {"too_small": 1}
    assert commerce["late_deliveries"] == 1
    assert commerce["active_subscriptions"] == ["SUB1"]
    assert commerce["kept_sizes"] == {"dresses": "M"}


def test_a_person_without_orders_gets_zeros(store: SqlStore) -> None:
    ws = tenancy.create_workspace(store, "quiet")
    web, _ = tenancy.create_source(store, ws.id, "web", "web")
    Brand(store, ws.id, {"web": web.id}).send(
        "web", identify("m1", "2026-01-01T10:00:00Z", user="cus_cy", email="cy@posteo.de"))
    IdentityHub(store).catch_up(ws.id)
    commerce = identity.profile(store, ws.id, identity.find(store, ws.id, "cy@posteo.de"))["commerce"]
    assert commerce == {**ZERO, "customer_keys": ["email:cy@posteo.de", "user_id:cus_cy"]}


def test_identifiers_become_keys_spelt_as_commerce_spells_them() -> None:
    keys = identity.person_commerce_keys([("email", "ann@posteo.de")],
                                         [("email", "Ann@Posteo.de"), ("phone", "0151 1234567")])
    assert keys == ["email:ann@posteo.de", "phone:01511234567"]
    assert identity.person_commerce_keys([("marketplace_buyer", "amazon:AM12"),
                                          ("loyalty_id", "L1"), ("phone", "+4915112345678")]) == [
        "buyer_id:AM12", "phone:004915112345678", "phone:4915112345678"]


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.mark.anyio
async def test_the_person_view_carries_the_commerce_section(database_url: str, tmp_path: Path) -> None:
    container = bootstrap(Settings.load({}, overrides={"database_url": database_url,
                                                   "data_dir": tmp_path}), Role.SERVER)
    try:
        b, pid = _ann_with_orders(container.store)
        _, secret = tenancy.create_token(container.store, b.workspace_id, "t", ["events:read"])
        transport = httpx.ASGITransport(app=create_app(container))
        async with httpx.AsyncClient(transport=transport, base_url="http://fo") as client:
            r = await client.get(f"/api/v1/workspaces/acme/people/{pid}",
                                 headers={"Authorization": f"Bearer {secret}"})
        assert r.status_code == 200, r.text
        assert r.json()["commerce"]["order_count"] == 3
        assert r.json()["commerce"]["late_deliveries"] == 1
    finally:
        container.close()


def test_people_show_prints_the_commerce_traits(store: SqlStore, database_url: str) -> None:
    _, pid = _ann_with_orders(store)
    runner = CliRunner()
    shown = runner.invoke(cli, ["--database-url", database_url, "people", "show", "user_id:cus_ann",
                                "--workspace", "acme"])
    assert shown.exit_code == 0, shown.output
    assert "commerce traits" in shown.output and "too_small" in shown.output
    dumped = runner.invoke(cli, ["--database-url", database_url, "people", "show", pid,
                                 "--workspace", "acme", "--json"])
    assert orjson.loads(dumped.output)["commerce"]["order_count"] == 3
