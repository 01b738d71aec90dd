"""The official Segment and RudderStack Python clients, unmodified from PyPI, against the server.

Each client sends one call of every Segment type; afterwards every messageId the client made up
is in the event log exactly once, with the type, ids and timestamp the client sent.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
import rudderstack.analytics as rudder_analytics
import segment.analytics as segment_analytics
from rudderstack.analytics import Client as RudderClient
from segment.analytics import Client as SegmentClient

from tests.e2e.conftest import Live, ms_utc, new_id

pytestmark = pytest.mark.e2e

Call = tuple[str, dict[str, Any]]


def every_type(tag: str) -> list[Call]:
    """One call of each Segment type as (method, keyword arguments); ids are unique per test."""
    user = f"user-{tag}"
    return [
        ("identify", {"user_id": user, "traits": {"email": f"{tag}@example.com", "plan": "pro"}}),
        ("track", {"user_id": user, "event": "Order Completed",
                   "properties": {"revenue": 42.5, "currency": "EUR"}}),
        ("page", {"user_id": user, "category": "Docs", "name": "Pricing",
                  "properties": {"url": "https://example.com/pricing"}}),
        ("screen", {"user_id": user, "name": "Home", "properties": {"variant": "b"}}),
        ("group", {"user_id": user, "group_id": f"org-{tag}", "traits": {"name": "Acme"}}),
        ("alias", {"previous_id": f"anon-{tag}", "user_id": user}),
        ("track", {"anonymous_id": f"anon-{tag}", "event": "Signed Up"}),
    ]


def assert_stored_as_sent(live: Live, sent: list[tuple[str, dict[str, Any]]]) -> None:
    """``sent``: (method, message the client built) for every call it made."""
    ids = live.message_ids()
    sent_ids = [msg["messageId"] for _, msg in sent]
    assert len(set(sent_ids)) == len(sent_ids), "the client made up unique messageIds"
    assert {m: ids.get(m, 0) for m in sent_ids} == dict.fromkeys(sent_ids, 1)
    assert sum(ids.values()) == len(sent_ids), f"unexpected extra events: {ids}"
    for method, msg in sent:
        stored = live.stored(msg["messageId"])
        assert stored["type"] == method
        assert stored["user_id"] == msg.get("userId")
        assert stored["anonymous_id"] == msg.get("anonymousId")
        assert stored["timestamp"] == ms_utc(msg["timestamp"]), "the client's timestamp is used"
        assert stored["received_at"].endswith("Z")
        payload = stored["payload"]
        assert "writeKey" not in payload, "the write key must never be stored with the event"
        assert payload["context"]["library"]["name"] == "analytics-python"
        if method == "track":
            assert stored["event"] == msg["event"]
            assert payload["properties"] == msg.get("properties", {})
        if method == "group":
            assert stored["group_id"] == msg["groupId"]
        if method == "alias":
            assert stored["previous_id"] == msg["previousId"]
        if method in {"page", "screen"}:
            assert payload["name"] == msg["name"]


@pytest.fixture
def errors() -> list[BaseException]:
    """Collects what a client's background consumer reports through ``on_error``."""
    return []


def on_error_into(errors: list[BaseException]) -> Callable[[BaseException, object], None]:
    lock = threading.Lock()

    def report(exc: BaseException, _batch: object) -> None:
        with lock:
            errors.append(exc)

    return report


def send_every_type(client: Any, prefix: str, sync_mode: bool) -> list[tuple[str, Any]]:
    """Each call type once through an official client; queued clients are flushed."""
    sent = []
    for method, kwargs in every_type(new_id(prefix)):
        ok, msg = getattr(client, method)(**kwargs)
        assert ok
        sent.append((method, msg))
    if not sync_mode:
        client.shutdown()
    return sent


@pytest.mark.parametrize("gzip", [False, True], ids=["plain", "gzip"])
@pytest.mark.parametrize("sync_mode", [True, False], ids=["sync", "queued"])
def test_segment_client_events_are_stored_once_each(fresh: Live, errors: list[BaseException],
                                                    gzip: bool, sync_mode: bool) -> None:
    client = SegmentClient(fresh.tenant.write_key, host=fresh.url, gzip=gzip, sync_mode=sync_mode,
                           max_retries=1, on_error=on_error_into(errors), upload_interval=0.05)
    sent = send_every_type(client, "seg", sync_mode)
    assert errors == []
    assert_stored_as_sent(fresh, sent)


@pytest.mark.parametrize("gzip", [True, False], ids=["gzip", "plain"])
@pytest.mark.parametrize("sync_mode", [True, False], ids=["sync", "queued"])
def test_rudderstack_client_events_are_stored_once_each(fresh: Live, errors: list[BaseException],
                                                        gzip: bool, sync_mode: bool) -> None:
    client = RudderClient(fresh.tenant.write_key, host=fresh.url, gzip=gzip, sync_mode=sync_mode,
                          max_retries=1, on_error=on_error_into(errors), upload_interval=0.05)
    sent = send_every_type(client, "rs", sync_mode)
    assert errors == []
    assert_stored_as_sent(fresh, sent)
    identify = fresh.stored(sent[0][1]["messageId"])["payload"]
    assert identify["context"]["traits"]["plan"] == "pro", "RudderStack sends traits in context"


def test_segment_module_api_with_write_key_and_host(fresh: Live, errors: list[BaseException],
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """The documented ``analytics.write_key = ...; analytics.host = ...`` configuration."""
    monkeypatch.setattr(segment_analytics, "write_key", fresh.tenant.write_key)
    monkeypatch.setattr(segment_analytics, "host", fresh.url)
    monkeypatch.setattr(segment_analytics, "gzip", True)
    monkeypatch.setattr(segment_analytics, "max_retries", 1)
    monkeypatch.setattr(segment_analytics, "on_error", on_error_into(errors))
    monkeypatch.setattr(segment_analytics, "default_client", None)
    sent = []
    for method, kwargs in every_type(new_id("segmod")):
        ok, msg = getattr(segment_analytics, method)(**kwargs)
        assert ok
        sent.append((method, msg))
    segment_analytics.shutdown()
    assert errors == []
    assert_stored_as_sent(fresh, sent)


def test_rudderstack_module_api_with_data_plane_url(fresh: Live, errors: list[BaseException],
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """The documented ``rudder_analytics.write_key = ...; .dataPlaneUrl = ...`` configuration.

    The module functions return nothing, so each call carries a unique userId to be found by.
    """
    monkeypatch.setattr(rudder_analytics, "write_key", fresh.tenant.write_key)
    monkeypatch.setattr(rudder_analytics, "dataPlaneUrl", fresh.url)
    monkeypatch.setattr(rudder_analytics, "max_retries", 1)
    monkeypatch.setattr(rudder_analytics, "on_error", on_error_into(errors))
    monkeypatch.setattr(rudder_analytics, "default_client", None)
    tag = new_id("rsmod")
    calls = [(m, {**kw, "user_id": f"{kw.get('user_id', 'x')}-{i}"} if "user_id" in kw else kw)
             for i, (m, kw) in enumerate(every_type(tag))]
    for method, kwargs in calls:
        getattr(rudder_analytics, method)(**kwargs)
    rudder_analytics.shutdown()
    assert errors == []
    store_ids = fresh.message_ids()
    assert len(store_ids) == len(calls) and set(store_ids.values()) == {1}
    events, _ = fresh.counts()
    assert events == len(calls)
    by_type: dict[str, list[str | None]] = {}
    for message_id in store_ids:
        stored = fresh.stored(message_id)
        by_type.setdefault(stored["type"], []).append(stored["user_id"] or stored["anonymous_id"])
    expected: dict[str, list[str | None]] = {}
    for method, kwargs in calls:
        expected.setdefault(method, []).append(kwargs.get("user_id") or kwargs.get("anonymous_id"))
    assert {k: sorted(v) for k, v in by_type.items()} == {k: sorted(v) for k, v in expected.items()}
