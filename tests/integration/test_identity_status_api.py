"""Identity resolution as a client sees it (what the demo brand reads instead of identity's
tables): status, the records placed, a micro-batch of matching on demand and its merges, and
the log's counts; each behind its scope."""

from __future__ import annotations

import pytest

from frontoffice.identity.rules import person_id_for
from tests.integration.conftest import Api
from tests.integration.identity_review_support import review_brand

pytestmark = pytest.mark.anyio


async def test_a_client_runs_a_micro_batch_and_reads_its_merges_records_and_status(api: Api) -> None:
    store = api.container.store
    b = review_brand(store)
    base = "/api/v1/workspaces/acme/identity"
    reader, admin = api.bearer(b.workspace_id, "events:read"), api.bearer(b.workspace_id, "identity:admin")
    before = (await api.client.get(f"{base}/status", headers=reader)).json()
    assert before["resolved_seq"] < before["log_seq"] == store.last_seq(b.workspace_id)

    assert (await api.client.post(f"{base}/match", json={}, headers=reader)).status_code == 403
    ran = await api.client.post(f"{base}/match", json={}, headers=admin)
    assert ran.status_code == 200, ran.text
    report = ran.json()
    assert (report["candidates"], report["merged"], report["queued"]) == (2, 1, 1)

    after = (await api.client.get(f"{base}/status", headers=reader)).json()
    assert after["resolved_seq"] == after["log_seq"] > before["log_seq"]  # the merge is in the log
    assert (after["records"], after["people"], after["review_pending"]) == (4, 3, 1)

    [merge] = (await api.client.get(f"{base}/matches", headers=reader)).json()["items"]
    ivanov = person_id_for(b.rid("web", "w-ivanov"))
    assert {merge["record_a"], merge["record_b"]} == {b.rid("web", "w-ivanov"), b.rid("pos", "R-ivanov")}
    assert merge["person_id"] == ivanov and merge["rule"] == "probabilistic"
    assert merge["detail"].startswith("match weight ") and merge["weight"] >= 16

    first = (await api.client.get(f"{base}/records", params={"limit": 3}, headers=reader)).json()
    rest = (await api.client.get(f"{base}/records", params={"after": first["next_after"]},
                                 headers=reader)).json()
    records = first["items"] + rest["items"]
    assert len(first["items"]) == 3 and rest["next_after"] is None
    assert {r["record_id"]: r["person_id"] for r in records}[b.rid("pos", "R-ivanov")] == ivanov
    assert {(r["given_name"], r["family_name"]) for r in records} >= {("Anna", "Schmidt"),
                                                                      ("Lena", "Schmidt")}


async def test_the_log_counts_are_the_workspaces_own(api: Api) -> None:
    b = review_brand(api.container.store)
    other = api.workspace("other")
    log = (await api.client.get("/api/v1/workspaces/acme/log",
                                headers=api.bearer(b.workspace_id, "events:read"))).json()
    assert log == {"events": 4, "quarantined": 0, "last_seq": api.container.store.last_seq(b.workspace_id)}
    refused = await api.client.get("/api/v1/workspaces/acme/log",
                                   headers=api.bearer(other.id, "events:read"))
    assert refused.status_code == 403
