"""People API in-process (httpx ASGITransport) on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest

from frontoffice.identity.rules import person_id_for
from frontoffice.tenancy import service as tenancy
from tests.integration.conftest import Api
from tests.integration.identity_support import Brand, identify, page

pytestmark = pytest.mark.anyio


@pytest.fixture
def brand(api: Api) -> Brand:
    """Ann, seen on the web (anonymous, then signed in) and at a till, resolved."""
    store = api.container.store
    ws = api.workspace("acme")
    web, _ = tenancy.create_source(store, ws.id, "web", "web")
    pos, _ = tenancy.create_source(store, ws.id, "pos", "pos")
    b = Brand(store, ws.id, {"web": web.id, "pos": pos.id})
    b.send("web", page("m1", "2026-01-01T10:00:00Z", "anon-1"),
           identify("m2", "2026-01-01T10:02:00Z", user="cus_ann", anon="anon-1", email="ann@posteo.de"))
    b.send("pos", identify("R-1", "2026-02-01T12:00:00Z", anon="R-1", email="ANN@posteo.de",
                           name="Ann Smith"))
    api.container.hubs.identity(ws.id).catch_up(ws.id)
    return b


async def test_a_profile_is_found_by_any_identifier_and_shows_provenance(api: Api, brand: Brand) -> None:
    client, b = api.client, brand
    auth = api.bearer(b.workspace_id, "events:read")
    lookup = "/api/v1/workspaces/acme/people/lookup"
    r = await client.get(lookup, params={"kind": "email", "value": "Ann@Posteo.de"}, headers=auth)
    assert r.status_code == 200, r.text
    [pid] = r.json()["person_ids"]
    assert pid == person_id_for(b.rid("web", "m1"))
    r = await client.get(f"/api/v1/workspaces/acme/people/{pid}", headers=auth)
    person = r.json()
    assert person["record_count"] == 3
    assert person["traits"]["email"]["record_id"] == b.rid("pos", "R-1")
    assert {"kind": "user_id", "value": "cus_ann"} in person["identifiers"]
    r = await client.get(f"/api/v1/workspaces/acme/people/{pid}/events", headers=auth)
    assert [e["message_id"] for e in r.json()["events"]] == ["m1", "m2", "R-1"]
    r = await client.get(f"/api/v1/workspaces/acme/people/{pid}/graph", headers=auth)
    graph = r.json()
    assert {n["id"] for n in graph["nodes"] if n["type"] == "record"} == {
        b.rid("web", "m1"), b.rid("web", "m2"), b.rid("pos", "R-1")}
    assert any(e["to"] == "email:ann@posteo.de" for e in graph["edges"])
    r = await client.get(f"/api/v1/workspaces/acme/people/{pid}/history", headers=auth)
    assert r.status_code == 200


async def test_splitting_needs_the_identity_admin_scope_and_is_undone_by_a_merge(
        api: Api, brand: Brand) -> None:
    client, b = api.client, brand
    pid = person_id_for(b.rid("web", "m1"))
    body = {"records": [b.rid("pos", "R-1")], "reason": "another Ann"}
    reader = api.bearer(b.workspace_id, "events:read")
    r = await client.post(f"/api/v1/workspaces/acme/people/{pid}/split", json=body, headers=reader)
    assert r.status_code == 403
    admin = api.bearer(b.workspace_id, "events:read", "identity:admin")
    r = await client.post(f"/api/v1/workspaces/acme/people/{pid}/split", json=body, headers=admin)
    assert r.status_code == 200, r.text
    receipt_person = person_id_for(b.rid("pos", "R-1"))
    assert sorted(r.json()["person_ids"]) == sorted([pid, receipt_person])
    r = await client.post(f"/api/v1/workspaces/acme/people/{pid}/merge",
                          json={"other_person_id": receipt_person, "reason": "same Ann after all"},
                          headers=admin)
    assert r.json()["person_ids"] == [pid]
    r = await client.get(f"/api/v1/workspaces/acme/people/{receipt_person}", headers=admin)
    assert r.json()["person_id"] == pid and r.json()["requested_id"] == receipt_person


async def test_unknown_people_and_garbage_identifiers_get_actionable_errors(api: Api, brand: Brand) -> None:
    client, b = api.client, brand
    auth = api.bearer(b.workspace_id, "events:read")
    r = await client.get("/api/v1/workspaces/acme/people/p_nobody", headers=auth)
    assert r.status_code == 404 and "lookup" in r.json()["message"]
    lookup = "/api/v1/workspaces/acme/people/lookup"
    r = await client.get(lookup, params={"kind": "email", "value": "test@test.com"}, headers=auth)
    assert r.status_code == 400 and "cannot identify anyone" in r.json()["message"]
    r = await client.get(lookup, params={"kind": "shoe", "value": "x"}, headers=auth)
    assert r.status_code == 400 and "user_id" in r.json()["message"]
