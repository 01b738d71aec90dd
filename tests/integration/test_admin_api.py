"""Admin and read API in-process (httpx ASGITransport) on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest

from tests.integration.conftest import Api, basic, bearer


@pytest.fixture
def root(api: Api) -> str:
    """An instance token that sets brands up."""
    return api.token(None, "workspaces:admin", "sources:admin", "tokens:admin", "events:read")


@pytest.mark.anyio
async def test_an_instance_token_sets_up_a_brand_end_to_end(api: Api, root: str) -> None:
    client = api.client
    r = await client.post("/api/v1/workspaces", json={"name": "acme", "region": "EU"},
                          headers=bearer(root))
    assert r.status_code == 201, r.text
    r = await client.post("/api/v1/workspaces/acme/sources", json={"name": "web", "channel": "web"},
                          headers=bearer(root))
    assert r.status_code == 201
    key = r.json()["write_key"]
    assert key.startswith("fo_wk_")
    r = await client.get("/api/v1/workspaces/acme/sources", headers=bearer(root))
    assert [s["write_key"] for s in r.json()] == [None]  # shown once only
    r = await client.post("/v1/track", json={"event": "Signed Up", "userId": "u1"}, headers=basic(key))
    assert r.status_code == 200 and r.json()["accepted"] == 1
    r = await client.get("/api/v1/workspaces/acme/events", headers=bearer(root))
    events = r.json()["events"]
    assert [(e["type"], e["event"], e["user_id"]) for e in events] == [("track", "Signed Up", "u1")]


@pytest.mark.anyio
async def test_scopes_and_workspaces_are_enforced(api: Api, root: str) -> None:
    client = api.client
    for name in ("alpha", "beta"):
        await client.post("/api/v1/workspaces", json={"name": name}, headers=bearer(root))
    r = await client.post("/api/v1/workspaces/alpha/tokens",
                          json={"name": "reader", "scopes": ["events:read"]}, headers=bearer(root))
    reader = r.json()["token"]
    assert (await client.get("/api/v1/workspaces/alpha/events", headers=bearer(reader))).status_code == 200
    other = await client.get("/api/v1/workspaces/beta/events", headers=bearer(reader))
    assert other.status_code == 403 and other.json()["code"] == "forbidden"
    no_scope = await client.get("/api/v1/workspaces/alpha/sources", headers=bearer(reader))
    assert no_scope.status_code == 403 and "sources:admin" in no_scope.json()["message"]
    listed = await client.get("/api/v1/workspaces", headers=bearer(reader))
    assert [w["name"] for w in listed.json()] == ["alpha"]
    anonymous = await client.get("/api/v1/workspaces/alpha/events")
    assert anonymous.status_code == 401 and "Bearer" in anonymous.json()["message"]
    missing = await client.get("/api/v1/workspaces/nope/events", headers=bearer(root))
    assert missing.status_code == 404


@pytest.mark.anyio
async def test_disabling_a_source_or_token_takes_effect_at_once(
        api: Api, root: str) -> None:
    client = api.client
    await client.post("/api/v1/workspaces", json={"name": "acme"}, headers=bearer(root))
    key = (await client.post("/api/v1/workspaces/acme/sources", json={"name": "web", "channel": "web"},
                             headers=bearer(root))).json()["write_key"]
    assert (await client.post("/v1/page", json={"userId": "u"}, headers=basic(key))).status_code == 200
    r = await client.post("/api/v1/workspaces/acme/sources/web/disable", headers=bearer(root))
    assert r.json()["status"] == "disabled"
    refused = await client.post("/v1/page", json={"userId": "u"}, headers=basic(key))
    assert refused.status_code == 401 and "disabled" in refused.json()["message"]
    tok = (await client.post("/api/v1/workspaces/acme/tokens",
                             json={"name": "t", "scopes": ["events:read"]}, headers=bearer(root))).json()
    await client.post(f"/api/v1/workspaces/acme/tokens/{tok['id']}/disable", headers=bearer(root))
    assert (await client.get("/api/v1/workspaces/acme/events",
                             headers=bearer(tok["token"]))).status_code == 403


@pytest.mark.anyio
async def test_bad_admin_input_is_a_json_error(api: Api, root: str) -> None:
    client = api.client
    r = await client.post("/api/v1/workspaces", json={"name": "Bad Name!"}, headers=bearer(root))
    assert r.status_code == 400 and "not valid" in r.json()["message"]
    r = await client.post("/api/v1/workspaces", json={"region": "EU"}, headers=bearer(root))
    assert r.status_code == 422 and r.json()["code"] == "invalid_request"
    await client.post("/api/v1/workspaces", json={"name": "acme"}, headers=bearer(root))
    r = await client.post("/api/v1/workspaces", json={"name": "acme"}, headers=bearer(root))
    assert r.status_code == 409
    r = await client.post("/api/v1/workspaces/acme/sources", json={"name": "x", "channel": "fax"},
                          headers=bearer(root))
    assert r.status_code == 400 and "Unknown channel" in r.json()["message"]


@pytest.mark.anyio
async def test_quarantine_lists_rejected_batch_events(api: Api, root: str) -> None:
    client = api.client
    await client.post("/api/v1/workspaces", json={"name": "acme"}, headers=bearer(root))
    key = (await client.post("/api/v1/workspaces/acme/sources", json={"name": "web", "channel": "web"},
                             headers=bearer(root))).json()["write_key"]
    r = await client.post("/v1/batch", headers=basic(key), json={"batch": [
        {"type": "track", "userId": "u", "event": "ok", "messageId": "m1"},
        {"type": "track", "userId": "u", "messageId": "m2"}]})
    assert r.status_code == 200
    assert r.json()["rejected"] == [{"index": 1, "messageId": "m2",
                                     "reason": "track needs a non-empty string 'event'"}]
    q = (await client.get("/api/v1/workspaces/acme/quarantine", headers=bearer(root))).json()
    assert [(e["message_id"], e["origin"]) for e in q["entries"]] == [("m2", "collector")]
