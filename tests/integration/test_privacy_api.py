"""The erasure endpoint (in-process, httpx ASGITransport) and ``frontoffice privacy`` (SQLite, PostgreSQL)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import orjson
import pytest
from click.testing import CliRunner

from frontoffice.api.app import create_app
from frontoffice.bootstrap import Container, Role, bootstrap
from frontoffice.cli.main import cli
from frontoffice.identity import service as identity
from frontoffice.identity.hub import IdentityHub
from frontoffice.settings import Settings
from frontoffice.tenancy import service as tenancy
from tests.integration.identity_support import Brand, identify


@dataclass
class Api:
    client: httpx.AsyncClient
    container: Container
    brand: Brand
    dpo: str
    reader: str


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
async def api(database_url: str, tmp_path: Path) -> AsyncIterator[Api]:
    settings = Settings.load({}, overrides={"database_url": database_url, "data_dir": tmp_path})
    container = bootstrap(settings, Role.SERVER)
    store = container.store
    ws = tenancy.create_workspace(store, "shop")
    web, _ = tenancy.create_source(store, ws.id, "web", "web")
    brand = Brand(store, ws.id, {"web": web.id})
    brand.send("web", identify("m1", "2026-01-01T10:00:00Z", user="cus_ann", email="ann@posteo.de"),
               identify("m2", "2026-01-01T10:00:00Z", user="cus_bo", email="bo@posteo.de"))
    _, dpo = tenancy.create_token(store, ws.id, "dpo", ["privacy:admin"])
    _, reader = tenancy.create_token(store, ws.id, "reader", ["events:read", "identity:admin"])
    transport = httpx.ASGITransport(app=create_app(container))
    async with httpx.AsyncClient(transport=transport, base_url="http://fo") as client:
        yield Api(client, container, brand, dpo, reader)
    container.close()


def _auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@pytest.mark.anyio
async def test_only_a_privacy_admin_erases_and_the_log_keeps_no_personal_data(api: Api) -> None:
    store, ws = api.container.store, api.brand.workspace_id
    IdentityHub(store).catch_up(ws)
    [ann] = identity.lookup(store, ws, "email", "ann@posteo.de")
    url = f"/api/v1/workspaces/shop/persons/{ann}/erasure"
    refused = await api.client.post(url, json={"reason": "art. 17"}, headers=_auth(api.reader))
    assert refused.status_code == 403
    missing = await api.client.post("/api/v1/workspaces/shop/persons/p_nobody/erasure",
                                    json={"reason": "art. 17"}, headers=_auth(api.dpo))
    assert missing.status_code == 404 and "frontoffice people show" in missing.json()["message"]
    done = await api.client.post(url, json={"reason": "art. 17"}, headers=_auth(api.dpo))
    assert done.status_code == 200, done.text
    assert done.json()["person_id"] == ann and done.json()["events_shredded"] == 1
    recycles = store.dialect == "postgres" and store.query(
        "SELECT setting FROM pg_settings WHERE name = 'wal_recycle'")[0][0] == "on"
    # a server that recycles WAL segments keeps old copies: the answer says what to fix
    assert bool(done.json()["warnings"]) == recycles
    log = await api.client.get("/api/v1/workspaces/shop/erasures", headers=_auth(api.dpo))
    assert [e["person_id"] for e in log.json()] == [ann]
    assert "posteo" not in log.text and "cus_ann" not in log.text
    events = (await api.client.get("/api/v1/workspaces/shop/events", headers=_auth(api.reader))).json()
    assert sorted(e["user_id"] or e["family"] for e in events["events"]) == ["cus_bo", "erased"]


def test_the_cli_erases_a_person_and_lists_the_erasure(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'fo.db'}"
    runner = CliRunner()
    assert runner.invoke(cli, ["privacy", "erase", "--help"]).exit_code == 0
    settings = Settings.load({}, overrides={"database_url": db, "data_dir": tmp_path})
    container = bootstrap(settings, Role.SERVER)
    ws = tenancy.create_workspace(container.store, "shop")
    web, _ = tenancy.create_source(container.store, ws.id, "web", "web")
    Brand(container.store, ws.id, {"web": web.id}).send(
        "web", identify("m1", "2026-01-01T10:00:00Z", user="cus_ann", email="ann@posteo.de"))
    IdentityHub(container.store).catch_up(ws.id)
    [ann] = identity.lookup(container.store, ws.id, "user_id", "cus_ann")
    container.close()
    erased = runner.invoke(cli, ["--database-url", db, "privacy", "erase", "-w", "shop", "--person", ann,
                                 "--reason", "ticket 7", "--json"])
    assert erased.exit_code == 0, erased.output
    assert orjson.loads(erased.output)["subjects_shredded"] == 1
    again = runner.invoke(cli, ["--database-url", db, "privacy", "erase", "-w", "shop", "--person", ann,
                                "--reason", "ticket 7"])
    assert again.exit_code == 1 and "No person" in again.output
    listed = runner.invoke(cli, ["--database-url", db, "privacy", "erasures", "-w", "shop", "--json"])
    assert orjson.loads(listed.output)[0]["reason"] == "ticket 7"
    assert len(runner.invoke(cli, ["privacy", "new-key"]).output.strip()) == 44
    scrubbed = runner.invoke(cli, ["--database-url", db, "privacy", "scrub"])
    assert scrubbed.exit_code == 0 and "VACUUM" in scrubbed.output


@pytest.mark.anyio
async def test_after_an_erasure_the_consent_of_the_erased_address_reads_like_a_never_seen_one(
        api: Api) -> None:
    store, ws = api.container.store, api.brand.workspace_id
    _, clerk = tenancy.create_token(store, ws, "clerk", ["consent:write", "events:read"])
    given = await api.client.post("/api/v1/workspaces/shop/consent", headers=_auth(clerk), json={
        "subject": "email:ann@posteo.de", "purposes": {"marketing_email": "granted"}})
    assert given.status_code == 200, given.text
    IdentityHub(store).catch_up(ws)
    [ann] = identity.lookup(store, ws, "email", "ann@posteo.de")
    erased = await api.client.post(f"/api/v1/workspaces/shop/persons/{ann}/erasure", headers=_auth(api.dpo),
                                   json={"reason": "art. 17"})
    assert erased.status_code == 200, erased.text

    async def seen(address: str) -> list[dict[str, object]]:
        shown = await api.client.get(f"/api/v1/workspaces/shop/consent/email:{address}", headers=_auth(clerk))
        checked = await api.client.get("/api/v1/workspaces/shop/consent/check", headers=_auth(clerk), params={
            "subject": f"email:{address}", "purpose": "marketing_email", "channel": "email"})
        assert shown.status_code == checked.status_code == 200, (shown.text, checked.text)
        answers = orjson.dumps([shown.json(), checked.json()]).decode()
        replies: list[dict[str, object]] = orjson.loads(answers.replace(address, "ADDRESS"))
        return replies

    assert await seen("ann@posteo.de") == await seen("never.seen@posteo.de")
    assert (await seen("never.seen@posteo.de"))[0]["known"] is False
