"""Consent API in-process (httpx ASGITransport) on SQLite and PostgreSQL, with the real collector."""

from __future__ import annotations

import base64
from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from frontoffice.api.app import create_app
from frontoffice.bootstrap import Container, Role, bootstrap
from frontoffice.consent.store import ConsentStore
from frontoffice.consent.tcf_encode import encode_tc_string
from frontoffice.settings import Settings
from frontoffice.tenancy import service as tenancy
from tests.integration.test_consent_ledger import consent_db, workspace_name
from tests.unit.consent.vectors import tc

pytestmark = pytest.mark.anyio
__all__ = ["consent_db"]  # the module-scoped database fixture, shared with the ledger tests


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


class Api:
    def __init__(self, client: httpx.AsyncClient, container: Container, ws: str, name: str,
                 write_key: str) -> None:
        self.client, self.c, self.ws = client, container, ws
        self.base = f"/api/v1/workspaces/{name}/consent"
        self.collector = {"Authorization": "Basic " + base64.b64encode(f"{write_key}:".encode()).decode()}
        self.reader = self.bearer("events:read")
        self.writer = self.bearer("consent:write")

    def bearer(self, *scopes: str) -> dict[str, str]:
        _, secret = tenancy.create_token(self.c.store, self.ws, "t-" + "-".join(scopes).replace(":", "-"),
                                         list(scopes))
        return {"Authorization": f"Bearer {secret}"}

    async def send(self, *events: dict[str, Any], gpc: bool = False) -> None:
        headers = {**self.collector, **({"Sec-GPC": "1"} if gpc else {})}
        r = await self.client.post("/v1/batch", json={"batch": list(events)}, headers=headers)
        assert r.status_code == 200, r.text

    async def check(self, subject: str, purpose: str, channel: str) -> dict[str, Any]:
        r = await self.client.get(f"{self.base}/check", headers=self.reader,
                                  params={"subject": subject, "purpose": purpose, "channel": channel})
        assert r.status_code == 200, r.text
        body: dict[str, Any] = r.json()
        return body


@pytest.fixture(scope="module")
def container(consent_db: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Container]:
    built = bootstrap(Settings.load({}, overrides={"database_url": consent_db,
                                               "data_dir": tmp_path_factory.mktemp("data")}), Role.SERVER)
    yield built
    built.close()


@pytest.fixture(scope="module")
def app(container: Container) -> FastAPI:
    return create_app(container)


@pytest.fixture
async def api(container: Container, app: FastAPI) -> AsyncIterator[Api]:
    name = workspace_name()
    ws = tenancy.create_workspace(container.store, name, "EU")
    _, key = tenancy.create_source(container.store, ws.id, "web", "web")
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://fo") as client:
        yield Api(client, container, ws.id, name, key)


def identify(user: str, **traits: Any) -> dict[str, Any]:
    return {"type": "identify", "userId": user, "traits": traits}


async def test_recorded_consent_shows_with_history_and_hashed_proof(api: Api) -> None:
    body = {"subject": "user_id:ann", "purposes": {"marketing_email": "granted"}, "explicit": True,
            "notice_version": "privacy-v3", "source": "web-banner", "at": "2026-11-01T10:00:00Z"}
    r = await api.client.post(api.base, json=body, headers={**api.writer, "User-Agent": "Firefox/140"})
    assert r.status_code == 200, r.text
    assert len(r.json()["captured"]) == 1
    body = {"subject": "user_id:ann", "purposes": {"marketing_email": False}, "at": "2026-11-03T10:00:00Z"}
    assert (await api.client.post(api.base, json=body, headers=api.writer)).status_code == 200
    r = await api.client.get(f"{api.base}/user_id:ann", headers=api.reader)
    assert r.status_code == 200, r.text
    [email] = r.json()["purposes"]
    assert email["status"] == "withdrawn"
    granted = email["history"][0]
    assert (granted["status"], granted["source"], granted["notice_version"], granted["explicit"]) == (
        "granted", "web-banner", "privacy-v3", True)
    assert granted["user_agent_hash"] and "Firefox" not in str(granted) and granted["seq"] >= 1


async def test_recording_needs_the_consent_write_scope(api: Api) -> None:
    body = {"subject": "user_id:ann", "purposes": {"analytics": True}}
    r = await api.client.post(api.base, json=body, headers=api.reader)
    assert r.status_code == 403 and "consent:write" in r.json()["message"]
    assert (await api.client.get(f"{api.base}/user_id:ann")).status_code == 401


async def test_a_cut_off_tc_string_is_refused_with_its_reason_and_nothing_is_recorded(api: Api) -> None:
    cut = encode_tc_string(tc())[:30]
    events_before = api.c.store.count_events(api.ws)
    r = await api.client.post(api.base, json={"subject": "user_id:ann", "tcString": cut}, headers=api.writer)
    assert r.status_code == 400, r.text
    assert r.json()["code"] == "consent_string_rejected"
    assert r.json()["reason"] and r.json()["reason"] in r.json()["message"]
    assert isinstance(r.json()["bit"], int)
    assert api.c.store.count_events(api.ws) == events_before
    assert ConsentStore(api.c.store).count_ledger(api.ws) == 0


async def test_a_valid_tc_string_sets_the_mapped_purposes(api: Api) -> None:
    good = encode_tc_string(tc(purposes_consent=frozenset({1, 3, 4})))
    r = await api.client.post(api.base, json={"subject": "user_id:ann", "tcString": good}, headers=api.writer)
    assert r.status_code == 200, r.text
    status = {p["purpose"]: p["status"] for p in r.json()["purposes"]}
    assert status["targeted_advertising"] == "granted" and status["analytics"] == "denied"


async def test_gpc_header_denies_sale_for_a_californian_but_not_for_a_european(api: Api) -> None:
    await api.send(identify("cal", address={"country": "US", "state": "CA"}),
                   identify("eve", address={"country": "FR"}))
    await api.send({"type": "track", "event": "Viewed", "userId": "cal"},
                   {"type": "track", "event": "Viewed", "userId": "eve"}, gpc=True)
    cal = await api.check("user_id:cal", "sale_or_sharing", "export")
    assert cal["allowed"] is False and cal["region"]["region"] == "US-CA"
    assert cal["rule"] == "US-CA/sale_or_sharing/opt_out/gpc", cal
    eve = (await api.client.get(f"{api.base}/user_id:eve", headers=api.reader)).json()
    assert eve["region"]["region"] == "EU" and eve["purposes"] == []


async def test_opt_in_regions_need_a_grant_and_opt_out_regions_a_refusal(api: Api) -> None:
    await api.send(identify("eve", address={"country": "DE"}), identify("cal", region="US-CA"))
    eu = await api.check("user_id:eve", "marketing_email", "email")
    assert eu["allowed"] is False and "opt-in" in eu["reason"]
    ca = await api.check("user_id:cal", "marketing_email", "email")
    assert ca["allowed"] is True
    for subject in ("user_id:eve", "user_id:cal"):
        flip = {"marketing_email": "granted" if subject == "user_id:eve" else "denied"}
        r = await api.client.post(api.base, json={"subject": subject, "purposes": flip}, headers=api.writer)
        assert r.status_code == 200, r.text
    assert (await api.check("user_id:eve", "marketing_email", "email"))["allowed"] is True
    assert (await api.check("user_id:cal", "marketing_email", "email"))["allowed"] is False
    unknown = await api.check("user_id:nobody", "analytics", "web")
    assert unknown["allowed"] is False and unknown["rule"] == "fail-closed/no-state"
    assert unknown["region"]["region"] == "STRICTEST"
    wrong = await api.check("user_id:eve", "marketing_email", "sms")
    assert wrong["allowed"] is False and wrong["rule"] == "fail-closed/channel"


async def test_bad_subjects_and_unknown_purposes_are_400(api: Api) -> None:
    body = {"subject": "ann", "purposes": {"analytics": True}}
    r = await api.client.post(api.base, json=body, headers=api.writer)
    assert r.status_code == 400 and "kind:value" in r.json()["message"]
    r = await api.client.post(api.base, json={"subject": "user_id:ann", "purposes": {"telepathy": True}},
                              headers=api.writer)
    assert r.status_code == 400 and "Unknown purpose" in r.json()["message"]
    r = await api.client.post(api.base, json={"subject": "user_id:ann"}, headers=api.writer)
    assert r.status_code == 400
    future = {"subject": "user_id:ann", "purposes": {"analytics": True}, "at": "2099-01-01T00:00:00Z"}
    r = await api.client.post(api.base, json=future, headers=api.writer)
    assert r.status_code == 400 and "in the future" in r.json()["message"]
