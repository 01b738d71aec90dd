"""Collection honours consent, through the real server (its ingest processes) on SQLite and
PostgreSQL: a person who refused analytics (EU opt-in) or sent GPC / opted out (US-CA) has their
events stored reduced per the pack, with what went and why; a consented person's are stored whole."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from frontoffice.storage import open_store
from frontoffice.tenancy import service as tenancy
from tests.e2e.conftest import Live, accepted, new_id, post, start_live

EU = {"locale": "de-DE", "ip": "203.0.113.9", "userAgent": "Mozilla/5.0",
      "device": {"advertisingId": "ad-1", "model": "Pixel"}}
CA = {"traits": {"address": {"country": "US", "state": "CA"}}, "ip": "198.51.100.7",
      "device": {"advertisingId": "ad-2", "adTrackingEnabled": True}}


@pytest.fixture(scope="module")
def consent_server(module_database_url: str, tmp_path_factory: pytest.TempPathFactory
                   ) -> Iterator[Live]:
    # Caches refresh fast so a refusal recorded a moment ago applies; ingest processes as in production.
    started = start_live(module_database_url, tmp_path_factory.mktemp("consent"), env_extra={
        "FRONTOFFICE_KEY_CACHE_SECONDS": "0.2", "FRONTOFFICE_INGEST_PROCESSES": "2"})
    yield started
    started.server.stop()


@pytest.fixture
def live(consent_server: Live) -> Live:
    """The module's server, with a workspace of this test's own."""
    return consent_server.with_tenant(consent_server.new_tenant())


def record(live: Live, subject: str, purposes: dict[str, str]) -> None:
    store = open_store(live.database_url)
    try:
        _, secret = tenancy.create_token(store, live.tenant.workspace_id, f"cw-{new_id()}", ["consent:write"])
    finally:
        store.close()
    r = httpx.post(f"{live.url}/api/v1/workspaces/{live.tenant.workspace}/consent", timeout=30,
                   headers={"Authorization": f"Bearer {secret}"},
                   json={"subject": subject, "purposes": purposes, "explicit": True})
    assert r.status_code == 200, r.text


def order(user: str, context: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {"type": "track", "event": "Order Completed", "userId": user, "anonymousId": f"anon-{user}",
            "messageId": new_id(), "context": context,
            "properties": {"order_id": "o-1", "total": 42.5, "coupon": "SPRING", "sku": "S-1"}, **extra}


def viewed(user: str, context: dict[str, Any]) -> dict[str, Any]:
    return {"type": "track", "event": "Product Viewed", "userId": user, "messageId": new_id(),
            "context": context, "properties": {"sku": "S-1"}}


def test_an_eu_refusal_of_analytics_reduces_what_is_stored_and_says_why(live: Live) -> None:
    record(live, "user_id:ann", {"analytics": "denied"})
    record(live, "user_id:bob", {"analytics": "granted"})
    sent = [order("ann", EU), viewed("ann", EU), order("bob", EU), viewed("bob", EU)]
    body = accepted(post(live, "/v1/batch", {"batch": sent}))
    assert body["accepted"] == 3 and body["rejected"] == []
    stored = live.message_ids()
    assert sent[1]["messageId"] not in stored  # a non-essential event of a refusal is not kept
    ann = live.stored(sent[0]["messageId"])
    payload = ann["payload"]
    assert payload["properties"] == {"order_id": "o-1", "total": 42.5}
    assert "anonymousId" not in payload and ann["anonymous_id"] is None
    assert {"ip", "userAgent", "device"} & set(payload["context"]) == set()
    assert payload["context"]["locale"] == "de-DE"
    [why] = payload["context"]["frontoffice"]["reduced"]
    assert why["purpose"] == "analytics" and why["rule"] == "EU/analytics/opt_in"
    assert {"context.ip", "properties.coupon", "anonymousId"} <= set(why["fields"])
    assert "denied" in why["reason"]
    for whole in sent[2:]:  # bob consented: stored exactly as sent
        kept = live.stored(whole["messageId"])["payload"]
        assert kept["properties"] == whole["properties"] and kept["context"]["ip"] == EU["ip"]
        assert "frontoffice" not in kept["context"]


def test_a_refusal_sent_with_the_event_applies_to_that_event(live: Live) -> None:
    refusing = {**EU, "consent": {"categoryPreferences": {"analytics": False}}}
    first = viewed("eve", refusing)
    accepted(post(live, "/v1/batch", {"batch": [first, order("eve", refusing)]}))
    assert first["messageId"] not in live.message_ids()
    store = open_store(live.database_url)
    try:  # the dropped event's refusal reached the log as a consent event
        consent_events = [e for e in store.events(live.tenant.workspace_id) if e.record.family == "consent"]
    finally:
        store.close()
    assert [(e.record.user_id, e.record.event) for e in consent_events] == [("eve", "analytics")]


def test_gpc_and_a_california_opt_out_reduce_per_the_us_ca_pack(live: Live) -> None:
    record(live, "user_id:dan", {"analytics": "denied"})
    gpc = order("cal", CA)
    opted_out = order("dan", CA)
    whole = order("fay", CA)
    accepted(post(live, "/v1/batch", {"batch": [gpc]}, headers={"Sec-GPC": "1"}))
    accepted(post(live, "/v1/batch", {"batch": [opted_out, whole]}))
    cal = live.stored(gpc["messageId"])["payload"]
    assert "advertisingId" not in cal["context"]["device"] and "ip" not in cal["context"]
    assert cal["properties"] == gpc["properties"] and cal["anonymousId"] == "anon-cal"
    rules = {r["purpose"]: r["rule"] for r in cal["context"]["frontoffice"]["reduced"]}
    assert rules["targeted_advertising"].endswith("/gpc")
    dan = live.stored(opted_out["messageId"])["payload"]
    [why] = dan["context"]["frontoffice"]["reduced"]
    assert why["purpose"] == "analytics" and "objected" in why["reason"], why
    assert "ip" not in dan["context"] and dan["properties"] == opted_out["properties"]
    fay = live.stored(whole["messageId"])["payload"]
    assert fay["context"]["device"]["advertisingId"] == "ad-2" and fay["context"]["ip"] == CA["ip"]
