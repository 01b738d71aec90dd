"""The outbound API in-process (httpx ASGITransport) on SQLite and PostgreSQL: destinations admin,
decisions and messages, each behind its scope and the consent gate."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from frontoffice.api.app import create_app
from frontoffice.bootstrap import Container, Role, bootstrap
from frontoffice.outbound.store import OutboundStore
from frontoffice.settings import Settings
from frontoffice.tenancy import service as tenancy
from tests.integration.test_outbound_paths import World, consent_db, new_world, populate

pytestmark = pytest.mark.anyio
__all__ = ["consent_db"]


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture(scope="module")
def container(consent_db: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Container]:
    built = bootstrap(Settings.load({}, overrides={"database_url": consent_db,
                                               "data_dir": tmp_path_factory.mktemp("data")}), Role.SERVER)
    yield built
    built.close()


@pytest.fixture(scope="module")
def app(container: Container) -> FastAPI:
    return create_app(container)


class Api:
    def __init__(self, client: httpx.AsyncClient, world: World) -> None:
        self.client, self.world = client, world
        self.base = f"/api/v1/workspaces/{world.name}"

    def bearer(self, *scopes: str) -> dict[str, str]:
        name = "t-" + "-".join(scopes).replace(":", "-")
        _, secret = tenancy.create_token(self.world.store, self.world.ws, name, list(scopes))
        return {"Authorization": f"Bearer {secret}"}

    async def post(self, path: str, body: dict[str, Any], headers: dict[str, str]) -> httpx.Response:
        return await self.client.post(self.base + path, json=body, headers=headers)


@pytest.fixture
async def api(container: Container, app: FastAPI) -> AsyncIterator[Api]:
    world = new_world(container.store)
    populate(world)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://fo") as client:
        yield Api(client, world)


async def test_destinations_need_their_scope_and_never_show_the_secret_again(api: Api) -> None:
    body = {"name": "crm", "url": "https://hooks.crm.test/in", "purpose": "sale_or_sharing",
            "event_types": ["track"]}
    r = await api.post("/destinations", body, api.bearer("events:read"))
    assert r.status_code == 403 and "destinations:admin" in r.json()["message"]
    admin = api.bearer("destinations:admin")
    r = await api.post("/destinations", body, admin)
    assert r.status_code == 201 and len(r.json()["secret"]) > 30
    listed = await api.client.get(api.base + "/destinations", headers=admin)
    assert [d["name"] for d in listed.json()] == ["crm"] and "secret" not in listed.json()[0]
    r = await api.post("/destinations", {**body, "purpose": "marketing_email"}, admin)
    assert r.status_code == 400 and "webhook" in r.json()["message"]
    r = await api.post("/destinations/crm/disable", {}, admin)
    assert r.json()["status"] == "disabled"


async def test_a_decision_returns_allowed_and_refused_actions_with_reasons(api: Api) -> None:
    body = {"person": "user_id:ca-gpc", "actions": [
        {"action": "email_offer_123", "purpose": "marketing_email", "channel": "email"},
        {"action": "lookalike", "purpose": "targeted_advertising", "channel": "ads"}]}
    r = await api.post("/decisions", body, api.bearer("events:read"))
    assert r.status_code == 403
    r = await api.post("/decisions", body, api.bearer("outbound:write"))
    assert r.status_code == 200, r.text
    out = r.json()
    assert [a["action"] for a in out["allowed"]] == ["email_offer_123"]
    assert [a["action"] for a in out["refused"]] == ["lookalike"]
    assert "GPC" in out["refused"][0]["reason"] and out["region"] == "US-CA"
    logged = OutboundStore(api.world.store).logged(api.world.ws, out["decision_id"])
    assert [(row["action"], row["allowed"]) for row in logged] == [
        ("email_offer_123", True), ("lookalike", False)]


async def test_a_refused_message_is_a_403_with_code_and_reason_and_is_not_queued(api: Api) -> None:
    writer = api.bearer("outbound:write")
    refused = await api.post("/messages", {"person": "user_id:eu-no", "channel": "email",
                                           "purpose": "marketing_email", "template_id": "spring"}, writer)
    assert refused.status_code == 403
    assert refused.json()["code"] == "consent_refused"
    assert refused.json()["rule"] == "EU/marketing_email/opt_in" and "no grant" in refused.json()["reason"]
    unknown = await api.post("/messages", {"person": "user_id:eu-yes", "channel": "email",
                                           "purpose": "mind_reading", "template_id": "spring"}, writer)
    assert unknown.status_code == 403 and unknown.json()["rule"] == "fail-closed/unknown-purpose"
    queued = await api.post("/messages", {"person": "email:eu.yes@posteo-shop.de", "channel": "email",
                                          "purpose": "marketing_email", "template_id": "spring"}, writer)
    assert queued.status_code == 202 and queued.json()["address"] == "eu.yes@posteo-shop.de"
    outbox = OutboundStore(api.world.store).outbox(api.world.ws)
    assert [m["message_id"] for m in outbox] == [queued.json()["message_id"]]


@pytest.mark.parametrize(("url", "kind"), [
    ("http://127.0.0.1:8000/hook", "loopback"), ("http://[::1]/hook", "loopback"),
    ("http://localhost:5432/", "loopback"),  # a name resolving to loopback
    ("http://10.0.0.5/hook", "private"), ("http://192.168.1.20/hook", "private"),
    ("http://172.16.3.4/hook", "private"), ("http://[fd00::1]/hook", "private"),
    ("http://169.254.169.254/latest/meta-data/", "link-local"), ("http://[fe80::1]/hook", "link-local"),
    ("http://224.0.0.1/hook", "multicast"), ("http://[ff02::1]/hook", "multicast"),
    ("http://0.0.0.0:8000/hook", "unspecified"), ("http://[::]/hook", "unspecified"),
    ("http://[::ffff:127.0.0.1]/hook", "loopback (IPv4 inside IPv6)"),
    ("http://[::ffff:10.1.2.3]/hook", "private (IPv4 inside IPv6)"),
])
async def test_a_destination_at_an_internal_address_is_refused_with_its_reason(
        api: Api, url: str, kind: str) -> None:
    r = await api.post("/destinations", {"name": "inside", "url": url, "purpose": "sale_or_sharing"},
                       api.bearer("destinations:admin"))
    assert r.status_code == 400, r.text
    assert r.json()["code"] == "destination_address_refused"
    assert f"a {kind} address" in r.json()["message"] and "destinations_allow_hosts" in r.json()["message"]
    listed = await api.client.get(api.base + "/destinations", headers=api.bearer("destinations:admin"))
    assert listed.json() == []
