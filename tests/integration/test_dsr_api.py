"""DSR API in-process (httpx ASGITransport) on SQLite and PostgreSQL: the whole flow with a
`dsr:admin` token, the scope check, verification errors, overdue listing, artefact and audit."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass

import httpx
import pytest
from fastapi import FastAPI

from frontoffice.api.app import create_app
from frontoffice.bootstrap import Container, Role, bootstrap
from frontoffice.dsr.store import DsrStore
from frontoffice.identity.hub import IdentityHub
from frontoffice.settings import Settings
from frontoffice.tenancy import service as tenancy
from tests.integration.identity_support import Brand
from tests.integration.test_dsr_world import dsr_db, identify

pytestmark = pytest.mark.anyio
__all__ = ["dsr_db"]


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture(scope="module")
def container(dsr_db: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Container]:
    built = bootstrap(Settings.load({}, overrides={"database_url": dsr_db,
                                               "data_dir": tmp_path_factory.mktemp("data")}), Role.SERVER)
    yield built
    built.close()


@pytest.fixture(scope="module")
def app(container: Container) -> FastAPI:
    return create_app(container)


@dataclass
class Api:
    client: httpx.AsyncClient
    c: Container
    ws: str
    base: str
    admin: dict[str, str]

    def bearer(self, *scopes: str) -> dict[str, str]:
        _, secret = tenancy.create_token(self.c.store, self.ws, "t-" + "-".join(scopes).replace(":", "-"),
                                         list(scopes))
        return {"Authorization": f"Bearer {secret}"}

    def token(self, request_id: str) -> str:
        [message] = DsrStore(self.c.store).messages(self.ws, request_id)
        found = re.search(r"code: (\w+)", message.body)
        assert found
        return found.group(1)


_count = iter(range(1, 1000))


@pytest.fixture
async def api(container: Container, app: FastAPI) -> AsyncIterator[Api]:
    name = f"dsr-api-{next(_count)}"
    ws = tenancy.create_workspace(container.store, name, "EU")
    source, _ = tenancy.create_source(container.store, ws.id, "accounts", "web", trust="server")
    Brand(container.store, ws.id, {"accounts": source.id}).send(
        "accounts", identify("a1", user="ann", email="ann@mailbox.org", emailVerified=True,
                        phone="+49 151 23456789", lastName="<b>Meier</b>", address={"country": "DE"}))
    IdentityHub(container.store).catch_up(ws.id)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://fo") as client:
        api = Api(client, container, ws.id, f"/api/v1/workspaces/{name}/dsr", {})
        api.admin = api.bearer("dsr:admin")
        yield api


async def test_an_access_request_runs_end_to_end_through_the_api(api: Api) -> None:
    r = await api.client.post(api.base, headers=api.admin, json={
        "kind": "access", "identifier_kind": "phone", "identifier": "+49 151 23456789"})
    assert r.status_code == 201, r.text
    opened = r.json()
    assert opened["status"] == "verification_sent" and opened["token_sent_to"] == "email:a***@m***.org"
    assert opened["region"] == "EU" and opened["overdue"] is False
    rid = opened["id"]
    r = await api.client.post(f"{api.base}/{rid}/verify", headers=api.admin, json={"token": "WRONGWRONG"})
    assert r.status_code == 403 and r.json()["code"] == "verification_failed"
    r = await api.client.post(f"{api.base}/{rid}/execute", headers=api.admin)
    assert r.status_code == 409 and r.json()["code"] == "wrong_state"
    r = await api.client.post(f"{api.base}/{rid}/verify", headers=api.admin, json={"token": api.token(rid)})
    assert r.status_code == 200 and r.json()["status"] == "verified"
    r = await api.client.post(f"{api.base}/{rid}/execute", headers=api.admin)
    assert r.status_code == 200 and r.json()["status"] == "completed", r.text
    r = await api.client.get(f"{api.base}/{rid}/artefact", headers=api.admin, params={"format": "json"})
    assert r.status_code == 200 and {"kind": "email", "value": "ann@mailbox.org"} in r.json()["identifiers"]
    r = await api.client.get(f"{api.base}/{rid}/artefact", headers=api.admin, params={"format": "html"})
    assert r.headers["content-type"].startswith("text/html") and "&lt;b&gt;Meier&lt;/b&gt;" in r.text
    assert "<b>Meier" not in r.text and "attachment" in r.headers["content-disposition"]
    r = await api.client.get(f"{api.base}/{rid}/audit", headers=api.admin)
    assert [a["action"] for a in r.json()] == ["opened", "token_sent", "verification_failed", "verified",
                                               "executed", "artefact_downloaded", "artefact_downloaded"]
    assert all(a["actor"].startswith("token:") for a in r.json())
    assert "ann@mailbox.org" not in r.text
    r = await api.client.get(api.base, headers=api.admin, params={"overdue": "true"})
    assert r.status_code == 200 and r.json() == []
    r = await api.client.get(f"{api.base}/{rid}", headers=api.admin)
    assert r.json()["status"] == "completed" and r.json()["outcome"]["artefacts"] == ["json", "html"]


async def test_the_dsr_api_needs_the_dsr_admin_scope(api: Api) -> None:
    body = {"kind": "erasure", "identifier_kind": "email", "identifier": "ann@mailbox.org"}
    assert (await api.client.post(api.base, json=body)).status_code == 401
    r = await api.client.post(api.base, json=body, headers=api.bearer("events:read", "consent:write"))
    assert r.status_code == 403
    assert DsrStore(api.c.store).requests(api.ws) == []


async def test_bad_requests_are_refused_with_a_reason(api: Api) -> None:
    r = await api.client.post(api.base, headers=api.admin, json={
        "kind": "rectification", "identifier_kind": "email", "identifier": "ann@mailbox.org"})
    assert r.status_code == 400 and "needs 'traits'" in r.json()["message"]
    r = await api.client.post(api.base, headers=api.admin, json={
        "kind": "access", "identifier_kind": "email", "identifier": "zoe@mailbox.org"})
    assert r.status_code == 404
    r = await api.client.get(f"{api.base}/dsr_nope", headers=api.admin)
    assert r.status_code == 404
    r = await api.client.get(f"{api.base}/dsr%00x", headers=api.admin)
    assert r.status_code == 404
    r = await api.client.post(api.base, headers=api.admin, json={
        "kind": "erasure", "identifier_kind": "user_id", "identifier": "ann\u0000"})
    assert r.status_code == 400 and "NUL" in r.json()["message"]
