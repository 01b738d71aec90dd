"""Commerce HTTP API in-process: signed intake, errors, availability, conflicts, Saleor."""

from __future__ import annotations

import base64
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import orjson
import pytest

from frontoffice.api.app import create_app
from frontoffice.bootstrap import Container, Role, bootstrap
from frontoffice.commerce.records import sign
from frontoffice.commerce.store import CommerceStore
from frontoffice.settings import Settings
from frontoffice.tenancy import service as tenancy
from frontoffice.worker import projections
from tests.unit.commerce.sample import LOCATIONS, PRODUCTS, STOCK, order, state

SECRET = "whs_test_secret_0123456789"


class Shop:
    def __init__(self, client: httpx.AsyncClient, container: Container, key: str, token: str,
                 ws: str) -> None:
        self.client, self.container, self.key, self.token, self.ws = client, container, key, token, ws

    async def send(self, kind: str, body: object, *, secret: str = SECRET,
                   headers: dict[str, str] | None = None) -> httpx.Response:
        raw = orjson.dumps(body)
        auth = base64.b64encode(f"{self.key}:".encode()).decode()
        return await self.client.post(f"/commerce/v1/{kind}", content=raw, headers={
            "Authorization": f"Basic {auth}", "Content-Type": "application/json",
            "X-Frontoffice-Signature": sign(secret, raw), **(headers or {})})

    async def get(self, path: str, **params: Any) -> httpx.Response:
        return await self.client.get(f"/api/v1/workspaces/acme{path}", params=params,
                                     headers={"Authorization": f"Bearer {self.token}"})

    def events(self) -> int:
        return self.container.store.count_events(self.ws)


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
async def shop(database_url: str, tmp_path: Path) -> AsyncIterator[Shop]:
    container = bootstrap(Settings.load({}, overrides={"database_url": database_url,
                                                    "data_dir": tmp_path}), Role.SERVER)
    ws = tenancy.create_workspace(container.store, "acme")
    source, key = tenancy.create_source(container.store, ws.id, "shop", "commerce")
    CommerceStore(container.store).set_secret(ws.id, source.id, SECRET)
    _, token = tenancy.create_token(container.store, ws.id, "reader", ["events:read", "events:write"])
    transport = httpx.ASGITransport(app=create_app(container))
    async with httpx.AsyncClient(transport=transport, base_url="http://fo") as client:
        s = Shop(client, container, key, token, ws.id)
        for kind, items in (("locations", LOCATIONS), ("products", PRODUCTS), ("inventory", STOCK)):
            r = await s.send(kind, items)
            assert r.status_code == 200, r.text
        yield s
    container.close()


@pytest.mark.anyio
async def test_a_signed_order_is_accepted_once_and_reaches_the_traits(shop: Shop) -> None:
    r = await shop.send("orders", order(1, "confirmed"))
    assert r.json() == {"success": True, "accepted": 1, "duplicates": 0, "alerts": 0}
    r = await shop.send("orders", order(1, "confirmed"))
    assert r.json()["duplicates"] == 1
    r = await shop.get("/commerce/traits", key="email:ann@example.com")
    assert r.json()["order_count"] == 1


SIGNATURES = [("wrong-secret-wrong-secret", None), (SECRET, "sha256=00"), (SECRET, "")]
BAD = [
    ("inventory", {"event_id": "e", "version": 5, "location_id": "WH", "sku": "D-M", "on_hand": -1},
     "negative_quantity"),
    ("inventory", {"event_id": "e", "version": 5, "location_id": "XX", "sku": "D-M", "on_hand": 1},
     "unknown_location"),
    ("orders", {**order(1, "confirmed"), "lines": [{"line_no": 1, "sku": "ZZ", "qty": 1,
                                                    "unit_price": 1}]}, "unknown_product"),
    ("shipments", {"event_id": "e", "version": 1, "shipment_id": "S", "order_id": "NONE",
                   "location_id": "WH", "status": "pending", "promised_by": "2026-03-01T00:00:00Z"},
     "unknown_order"),
    ("orders", {"order_id": "O1"}, "invalid_payload"),
    ("orders", [order(1, "confirmed"), {**order(1, "confirmed", order_id="O9"), "lines": []}],
     "invalid_payload"),
]


@pytest.mark.anyio
async def test_a_bad_signature_is_refused_and_nothing_is_logged(shop: Shop) -> None:
    before = shop.events()
    for secret, header in SIGNATURES:
        extra = {"X-Frontoffice-Signature": header} if header is not None else None
        r = await shop.send("orders", order(1, "confirmed"), secret=secret, headers=extra)
        assert r.status_code == 401 and r.json()["code"] == "bad_signature", (secret, header)
    assert shop.events() == before


@pytest.mark.anyio
async def test_bad_payloads_get_a_clear_error_and_nothing_is_applied(shop: Shop) -> None:
    before = shop.events()
    for kind, body, code in BAD:
        r = await shop.send(kind, body)
        assert r.status_code == 400, r.text
        assert r.json()["code"] == code and r.json()["message"], (kind, r.json())
    assert shop.events() == before
    assert (await shop.get("/commerce/traits", key="email:ann@example.com")).json()["order_count"] == 0


@pytest.mark.anyio
async def test_malformed_json_is_refused(shop: Shop) -> None:
    raw = b"{not json"
    auth = base64.b64encode(f"{shop.key}:".encode()).decode()
    r = await shop.client.post("/commerce/v1/orders", content=raw, headers={
        "Authorization": f"Basic {auth}", "X-Frontoffice-Signature": sign(SECRET, raw)})
    assert r.status_code == 400 and set(r.json()) >= {"code", "message"}


@pytest.mark.anyio
async def test_availability_and_holds_over_http(shop: Shop) -> None:
    r = await shop.get("/availability", sku="D-M", channel="web", near="ST")
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["modes"]["ship"]["available"] == 11 and body["modes"]["bopis"]["available"] == 3
    r = await shop.client.post("/api/v1/workspaces/acme/holds", json={
        "sku": "D-M", "location_id": "ST", "qty": 5},
        headers={"Authorization": f"Bearer {shop.token}"})
    assert r.status_code == 400 and r.json()["code"] == "insufficient_stock"
    r = await shop.get("/availability", sku="NOPE")
    assert r.status_code == 404


@pytest.mark.anyio
async def test_price_conflicts_are_listed_with_both_listings(shop: Shop) -> None:
    base = {"product_id": "D", "currency": "EUR", "list_price": 100,
            "valid_from": "2026-05-01T00:00:00Z", "valid_to": "2026-05-07T00:00:00Z",
            "promotion_id": "FLASH", "version": 1}
    r = await shop.send("listings", [{**base, "event_id": "l1", "channel": "instagram", "price": 65},
                                     {**base, "event_id": "l2", "channel": "facebook", "price": 75}])
    assert r.status_code == 200, r.text
    [conflict] = (await shop.get("/commerce/conflicts")).json()["conflicts"]
    assert {conflict["low"]["channel"], conflict["high"]["channel"]} == {"instagram", "facebook"}


@pytest.mark.anyio
async def test_a_saleor_order_webhook_lands_as_a_native_order(shop: Shop) -> None:
    gid = base64.b64encode(b"Order:sal-1").decode()
    payload = [{"type": "Order", "id": gid, "created": "2026-03-01T10:00:00+00:00",
                "status": "unfulfilled", "user_email": "bo@example.com", "total_gross_amount": "50",
                "channel": {"slug": "web", "currency_code": "EUR"},
                "lines": [{"product_sku": "D-L", "quantity": 1, "currency": "EUR",
                           "unit_price_gross_amount": "50"}]}]
    r = await shop.send("saleor", payload, headers={"Saleor-Event": "order_created"})
    assert r.status_code == 200, r.text
    assert (await shop.get("/commerce/traits", key="email:bo@example.com")).json()["order_count"] == 1


@pytest.mark.anyio
async def test_the_intake_schemas_are_documented_in_openapi(shop: Shop) -> None:
    spec = (await shop.client.get("/openapi.json")).json()
    body = spec["paths"]["/commerce/v1/orders"]["post"]["requestBody"]["content"]["application/json"]
    assert "order_id" in body["schema"]["oneOf"][0]["properties"]


@pytest.mark.anyio
async def test_no_request_catches_the_projection_up_and_the_worker_replays_them_to_the_same_state(
        shop: Shop) -> None:
    ws, auth = shop.ws, {"Authorization": f"Bearer {shop.token}"}
    assert (await shop.send("orders", order(1, "confirmed"))).status_code == 200
    r = await shop.client.post("/api/v1/workspaces/acme/holds", json={
        "sku": "D-M", "location_id": "WH", "qty": 2}, headers=auth)
    assert r.status_code == 201, r.text
    r = await shop.client.put("/api/v1/workspaces/acme/commerce/pools", json={
        "channel": "web", "location_kinds": ["store"]}, headers=auth)
    assert r.status_code == 200, r.text
    assert (await shop.get("/commerce/traits", key="email:ann@example.com")).json()["order_count"] == 1
    assert (await shop.get("/availability", sku="D-M", channel="app", near="WH")).json()[
        "locations"][0]["available"] == 6
    assert (await shop.get("/availability", sku="D-M", channel="web")).json()["modes"]["ship"][
        "available"] == 3
    assert (await shop.get("/commerce/conflicts")).status_code == 200

    store = shop.container.store
    cs = CommerceStore(store)
    assert cs.cursor(ws) == 0  # every request above projected only what it logged
    projected = (state(cs, ws), cs.stock_of(ws, "D-M", "2026-01-01T00:00:00Z"))
    [commerce] = [p for p in projections(shop.container.hubs, store) if p.name == "commerce"]
    assert commerce.catch_up(ws, lambda _: None) == store.count_events(ws)
    assert cs.cursor(ws) == store.last_seq(ws)
    assert (state(cs, ws), cs.stock_of(ws, "D-M", "2026-01-01T00:00:00Z")) == projected
