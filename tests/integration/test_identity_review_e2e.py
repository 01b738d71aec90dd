"""The review queue and the change feed through the real `frontoffice serve` process."""

from __future__ import annotations

import httpx

from frontoffice.identity.hub import IdentityHub
from frontoffice.identity.rules import person_id_for
from frontoffice.storage import open_store
from frontoffice.tenancy import service as tenancy
from tests.integration.identity_review_support import review_brand
from tests.support.server import ServerProcess


def test_a_reviewer_accepts_a_queued_pair_over_http_and_the_merge_reaches_the_change_feed(
        server: ServerProcess, database_url: str) -> None:
    store = open_store(database_url)
    try:
        store.upgrade()
        b = review_brand(store)
        IdentityHub(store).match(b.workspace_id)
        _, reader = tenancy.create_token(store, b.workspace_id, "reader", ["events:read"])
        _, admin = tenancy.create_token(store, b.workspace_id, "kim", ["events:read", "identity:admin"])
    finally:
        store.close()
    server.start()
    base = f"{server.url}/api/v1/workspaces/acme/identity"
    as_reader, as_admin = ({"Authorization": f"Bearer {t}"} for t in (reader, admin))
    with httpx.Client(timeout=30) as http:
        assert http.get(f"{base}/review").status_code == 401
        page = http.get(f"{base}/review", headers=as_reader).json()
        [item] = page["items"]
        assert page["next_after"] is None and item["status"] == "pending"
        assert "given name (different)" in item["explanation"]
        cursor = http.get(f"{base}/changes", params={"limit": 500}, headers=as_reader).json()["next_after"]

        assert http.post(f"{base}/review/{item['id']}/accept", headers=as_reader).status_code == 403
        assert http.post(f"{base}/review/999/accept", headers=as_admin).status_code == 404
        r = http.post(f"{base}/review/{item['id']}/accept", json={"reason": "same customer card"},
                      headers=as_admin)
        assert r.status_code == 200, r.text
        anna = person_id_for(b.rid("web", "w-anna"))
        assert r.json()["status"] == "accepted" and r.json()["current_person_ids"] == [anna, anna]
        assert r.json()["decided_by"].startswith("token kim ")
        again = http.post(f"{base}/review/{item['id']}/reject", headers=as_admin)
        assert again.status_code == 409 and "already accepted" in again.json()["message"]

        feed = http.get(f"{base}/changes", params={"after": cursor}, headers=as_reader).json()
        [merged] = feed["changes"]
        assert merged["type"] == "person.merged" and merged["person_id"] == anna
        assert merged["payload"]["evidence"]["detail"].startswith("accepted by token kim (")
        assert merged["payload"]["evidence"]["rule"] == "review"
        assert "from review" in merged["payload"]["evidence"]["detail"]
        assert feed["next_after"] == merged["id"]
        assert http.get(f"{base}/review", headers=as_reader).json()["items"] == []
