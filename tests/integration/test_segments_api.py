"""The segments API in process: definitions as data with precise JSON errors, a preview before
saving, members with the reason, and a person's membership history."""

from __future__ import annotations

import pytest

from frontoffice.segments.adapters import projector_for
from frontoffice.tenancy import service as tenancy
from tests.integration.conftest import Api
from tests.integration.segments_support import World

pytestmark = pytest.mark.anyio


async def test_segments_are_defined_previewed_and_listed_through_the_api(api: Api) -> None:
    ws = api.workspace("shop")
    web, _ = tenancy.create_source(api.container.store, ws.id, "web", "web")
    world = World(api.container.store, ws.id, web.id)
    world.at(3600)
    for user, n in (("ann", 3), ("bob", 1)):
        for i in range(n):
            world.track(user, "Order Completed", i * 60, total=10 * (i + 1))
    world.projector = projector_for(api.container.store)
    world.project()
    base = f"/api/v1/workspaces/{ws.id}"
    read, write = api.bearer(ws.id, "events:read"), api.bearer(ws.id, "outbound:write")

    spend = {"name": "spend", "op": "sum", "event": "Order Completed", "property": "total"}
    r = await api.client.post(f"{base}/traits", json=spend, headers=read)
    assert r.status_code == 403
    r = await api.client.post(f"{base}/traits", json={"name": "spend", "op": "summ"}, headers=write)
    assert r.status_code == 400 and r.json()["code"] == "invalid_definition"
    assert r.json()["message"].startswith("at $.op: 'summ' is not an operation")
    r = await api.client.post(f"{base}/traits", json=spend, headers=write)
    assert r.status_code == 201 and r.json()["version"] == 1

    big = {"name": "big_spenders", "condition": {"computed": "spend", "op": "gte", "value": 50}}
    r = await api.client.post(f"{base}/segments/preview", json=big, headers=read)
    assert r.json() == {"size": 1, "sample": [world.person("ann")], "text": "computed spend ≥ 50"}
    bad = {"name": "b", "condition": {"all": [{"computed": "spend", "op": "contains", "value": "x"}]}}
    r = await api.client.post(f"{base}/segments", json=bad, headers=write)
    assert r.status_code == 400 and r.json()["message"].startswith("at $.condition.all[0].op:")
    r = await api.client.post(f"{base}/segments", json=big, headers=write)
    assert r.status_code == 201

    world.project()  # the worker's pass: everyone is re-evaluated against the new definition
    r = await api.client.get(f"{base}/segments", headers=read)
    assert [(s["name"], s["size"]) for s in r.json()["segments"]] == [("big_spenders", 1)]
    r = await api.client.get(f"{base}/segments/big_spenders/members", headers=read)
    [member] = r.json()["members"]
    assert member["person_id"] == world.person("ann") and member["why"] == "computed spend is 60.0"
    r = await api.client.get(f"{base}/people/{world.person('ann')}/segments", headers=read)
    body = r.json()
    assert body["segments"] == ["big_spenders"] and body["history"][0]["change"] == "entered"
    assert body["traits"][0]["explain"]["events_counted"] == 3
    r = await api.client.get(f"{base}/segments/agreement", headers=read)
    assert r.json()["segments"]["big_spenders"]["agree"] is True
    r = await api.client.delete(f"{base}/traits/spend", headers=write)
    assert r.status_code == 400 and "big_spenders read trait spend" in r.json()["message"]

    sync = {"name": "crm_big", "segment": "big_spenders", "destination": "crm"}
    r = await api.client.post(f"{base}/syncs", json={**sync, "segment": "nobody"}, headers=write)
    assert r.status_code == 400 and r.json()["message"] == "at $.segment: no segment 'nobody'; save it first."
    r = await api.client.post(f"{base}/syncs", json=sync, headers=write)
    assert r.status_code == 201 and r.json()["version"] == 1
    r = await api.client.get(f"{base}/syncs", headers=read)
    assert [s["definition"] for s in r.json()["syncs"]] == [sync]
