"""Consent through the real server: a GPC header on the collector, a consent recorded by the API,
and the policy check, on SQLite and PostgreSQL."""

from __future__ import annotations

import time

import httpx

from frontoffice.storage import open_store
from frontoffice.tenancy import service as tenancy
from tests.e2e.conftest import Live, accepted, post


def consent_writer(live: Live) -> httpx.Client:
    store = open_store(live.database_url)
    try:
        _, secret = tenancy.create_token(store, live.tenant.workspace_id, "consent-writer",
                                         ["consent:write", "events:read"])
    finally:
        store.close()
    return httpx.Client(base_url=live.url, timeout=30, headers={"Authorization": f"Bearer {secret}"})


def test_gpc_and_recorded_consent_decide_the_check(fresh: Live) -> None:
    base = f"/api/v1/workspaces/{fresh.tenant.workspace}/consent"
    accepted(post(fresh, "/v1/identify", {"userId": "cal", "traits": {"address": {"country": "US",
                                                                                  "state": "CA"}}}))
    accepted(post(fresh, "/v1/track", {"userId": "cal", "event": "Viewed"}, headers={"Sec-GPC": "1"}))
    with consent_writer(fresh) as api:
        deadline = time.monotonic() + 10
        while True:  # the background projector or the read itself catches up with the log
            shown = api.get(f"{base}/user_id:cal").json()
            if shown["purposes"] or time.monotonic() > deadline:
                break
            time.sleep(0.1)
        assert {p["purpose"]: p["status"] for p in shown["purposes"]} == {
            "sale_or_sharing": "denied", "targeted_advertising": "denied"}
        params = {"subject": "user_id:cal", "purpose": "sale_or_sharing", "channel": "export"}
        decision = api.get(f"{base}/check", params=params).json()
        assert decision["allowed"] is False and "GPC" in decision["reason"]
        r = api.post(base, json={"subject": "user_id:cal", "purposes": {"sale_or_sharing": "granted"},
                                 "explicit": True, "notice_version": "ccpa-2026"})
        assert r.status_code == 200, r.text
        assert api.get(f"{base}/check", params=params).json()["allowed"] is True
        cut = api.post(base, json={"subject": "user_id:cal", "tcString": "CQA"})
        assert cut.status_code == 400 and cut.json()["code"] == "consent_string_rejected"
