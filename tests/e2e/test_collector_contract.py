"""What the collector accepts and how it stores it, against the real server process.

Every auth form the SDKs use, the Segment spec's normalisation (merged batch fields, generated
and stringified ids, clock-skew correction, idempotent retries), settings that move routes and
limits, back-pressure with 429, and workspace isolation.
"""

from __future__ import annotations

import gzip
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import orjson
import pytest
from segment.analytics import Client as SegmentClient

from tests.e2e.conftest import Live, accepted, basic, bearer, new_id, post, refused, track

pytestmark = pytest.mark.e2e


# -- write keys accepted -------------------------------------------------------------------

@pytest.mark.parametrize("form", ["basic", "basic-no-colon", "body-key", "bearer-and-body-key"])
def test_every_auth_form_the_clients_use_is_accepted(fresh: Live, form: str) -> None:
    key = fresh.tenant.write_key
    body: dict[str, Any] = {"batch": [track()]}
    headers = {"Authorization": basic(key)}
    if form == "basic-no-colon":
        headers = {"Authorization": basic(key, colon=False)}
    elif form == "body-key":
        headers, body["writeKey"] = {}, key
    elif form == "bearer-and-body-key":
        headers, body["writeKey"] = {"Authorization": bearer("token-from-an-oauth-server")}, key
    answer = accepted(post(fresh, "/v1/batch", body, headers, auth=bool(headers)))
    assert answer["accepted"] == 1
    assert fresh.message_ids() == {body["batch"][0]["messageId"]: 1}


def test_source_created_through_the_api_accepts_its_key_at_once(fresh: Live) -> None:
    """Moving from Segment: SDKs already send the old key and get 401 until the source exists;
    once the API has created the source, that key must work, not be refused from a cache."""
    legacy = f"segment-legacy-key-{new_id()}"
    refused(fresh, lambda: post(fresh, "/v1/track", track(), {"Authorization": basic(legacy)}),
            401, "unauthorized")
    with fresh.api() as api:
        created = api.post(f"/api/v1/workspaces/{fresh.tenant.workspace}/sources",
                           json={"name": "legacy", "channel": "web", "write_key": legacy})
    assert created.status_code == 201, created.text
    answer = post(fresh, "/v1/track", track(), {"Authorization": basic(legacy)})
    assert answer.status_code == 200, answer.text


# -- normalisation -------------------------------------------------------------------------

def test_batch_context_and_integrations_are_merged_into_each_event(fresh: Live) -> None:
    plain = track()
    own = track(context={"ip": "10.0.0.9", "page": {"path": "/x"}}, integrations={"Mixpanel": True})
    body = {"batch": [plain, own], "context": {"ip": "10.0.0.1", "library": {"name": "raw"}},
            "integrations": {"All": False, "Mixpanel": False}}
    assert accepted(post(fresh, "/v1/batch", body))["accepted"] == 2
    merged = fresh.stored(plain["messageId"])["payload"]
    assert merged["context"] == {"ip": "10.0.0.1", "library": {"name": "raw"}}
    assert merged["integrations"] == {"All": False, "Mixpanel": False}
    kept = fresh.stored(own["messageId"])["payload"]
    assert kept["context"] == {"ip": "10.0.0.9", "library": {"name": "raw"}, "page": {"path": "/x"}}
    assert kept["integrations"] == {"All": False, "Mixpanel": True}


def test_missing_message_id_is_generated(fresh: Live) -> None:
    event = {k: v for k, v in track().items() if k != "messageId"}
    assert accepted(post(fresh, "/v1/batch", {"batch": [event, dict(event)]}))["accepted"] == 2
    ids = fresh.message_ids()
    assert len(ids) == 2 and set(ids.values()) == {1}
    for message_id in ids:
        assert fresh.stored(message_id)["payload"]["messageId"] == message_id


def test_retried_stamped_event_without_message_id_is_stored_once(fresh: Live) -> None:
    event = {"type": "track", "event": "Paid", "userId": "u-7",
             "timestamp": "2024-03-01T12:00:00.000Z"}
    assert accepted(post(fresh, "/v1/batch", {"batch": [event]}))["accepted"] == 1
    again = accepted(post(fresh, "/v1/batch", {"batch": [event]}))
    assert (again["accepted"], again["duplicates"]) == (0, 1)
    assert fresh.counts() == (1, 0)


def test_numeric_ids_are_stored_as_strings(fresh: Live) -> None:
    events = [
        {"type": "identify", "userId": 42, "messageId": new_id()},
        {"type": "group", "anonymousId": 7, "groupId": 99, "messageId": new_id()},
        {"type": "alias", "previousId": 1001, "userId": 42, "messageId": new_id()},
        {"type": "track", "userId": 4.5, "event": "e", "messageId": 12345},
    ]
    assert accepted(post(fresh, "/v1/batch", {"batch": events}))["accepted"] == 4
    identify = fresh.stored(events[0]["messageId"])
    assert identify["user_id"] == "42" and identify["payload"]["userId"] == "42"
    group = fresh.stored(events[1]["messageId"])
    assert (group["anonymous_id"], group["group_id"]) == ("7", "99")
    assert group["payload"]["groupId"] == "99" and group["payload"]["anonymousId"] == "7"
    alias = fresh.stored(events[2]["messageId"])
    assert (alias["previous_id"], alias["user_id"]) == ("1001", "42")
    assert fresh.stored("12345")["user_id"] == "4.5"


def parse(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def test_timestamp_corrects_device_clock_skew_when_none_is_sent(fresh: Live) -> None:
    """timestamp = receivedAt - (sentAt - originalTimestamp): the device clock is 20 years off."""
    event = track(originalTimestamp="2004-06-01T10:00:00.000Z")
    before = datetime.now(UTC)
    accepted(post(fresh, "/v1/batch", {"batch": [event], "sentAt": "2004-06-01T10:00:12.500Z"}))
    after = datetime.now(UTC)
    stored = fresh.stored(event["messageId"])
    received = parse(stored["received_at"])
    assert before - timedelta(seconds=1) <= received <= after + timedelta(seconds=1)
    skew_corrected = parse(stored["timestamp"])
    assert abs(skew_corrected - (received - timedelta(seconds=12.5))) <= timedelta(milliseconds=2)
    assert stored["payload"]["originalTimestamp"] == "2004-06-01T10:00:00.000Z"


def test_timestamp_sent_by_the_client_is_used_as_is(fresh: Live) -> None:
    event = track(timestamp="2020-05-05T10:00:00.123+02:00",
                  originalTimestamp="2004-06-01T10:00:00.000Z")
    accepted(post(fresh, "/v1/batch", {"batch": [event], "sentAt": "2004-06-01T10:00:12.500Z"}))
    stored = fresh.stored(event["messageId"])
    assert stored["timestamp"] == "2020-05-05T08:00:00.123Z"
    assert stored["payload"]["timestamp"] == "2020-05-05T08:00:00.123Z"


def test_retried_batch_counts_duplicates_and_stores_nothing_twice(fresh: Live) -> None:
    body = {"batch": [track() for _ in range(5)]}
    first = accepted(post(fresh, "/v1/batch", body))
    assert (first["accepted"], first["duplicates"]) == (5, 0)
    body["batch"].append(track())
    second = accepted(post(fresh, "/v1/batch", body))
    assert (second["accepted"], second["duplicates"]) == (1, 5)
    single = accepted(post(fresh, "/v1/track", body["batch"][0]))
    assert (single["accepted"], single["duplicates"]) == (0, 1)
    assert fresh.counts() == (6, 0)
    assert set(fresh.message_ids().values()) == {1}


# -- settings ------------------------------------------------------------------------------

def test_collector_prefix_moves_every_collector_route(spawn: Callable[..., Live]) -> None:
    live = spawn({"FRONTOFFICE_COLLECTOR_PREFIX": "/segment"})
    assert accepted(post(live, "/segment/v1/batch", {"batch": [track()]}))["accepted"] == 1
    assert accepted(post(live, "/segment/v1/identify", {"userId": "u-1"}))["accepted"] == 1
    refused(live, lambda: post(live, "/v1/batch", {"batch": [track()]}), 404, "http_error")
    client = SegmentClient(live.tenant.write_key, host=live.url + "/segment", sync_mode=True,
                           max_retries=0)
    _, msg = client.track(user_id="u-2", event="From SDK")
    assert live.message_ids()[msg["messageId"]] == 1
    assert live.counts() == (3, 0)


def test_request_and_event_limits_come_from_settings(spawn: Callable[..., Live]) -> None:
    live = spawn({"FRONTOFFICE_MAX_REQUEST_BYTES": "4000", "FRONTOFFICE_MAX_EVENT_BYTES": "1000"})

    def body_of(size: int) -> bytes:
        """A one-event batch padded (in a top-level field) to exactly ``size`` bytes."""
        event = track()
        pad = size - len(orjson.dumps({"batch": [event], "pad": ""}))
        return orjson.dumps({"batch": [event], "pad": "x" * pad})

    small = {"batch": [track(), track(properties={"p": "x" * 1200})]}
    result = accepted(post(live, "/v1/batch", small))
    assert result["accepted"] == 1 and "1000-byte limit" in result["rejected"][0]["reason"]
    refused(live, lambda: post(live, "/v1/track", {"userId": "u", "event": "e",
                                                    "properties": {"p": "x" * 1200}}),
            413, "event_too_large")
    at_limit, over = body_of(4000), body_of(4001)
    assert (len(at_limit), len(over)) == (4000, 4001)
    assert accepted(post(live, "/v1/batch", at_limit))["accepted"] == 1
    refused(live, lambda: post(live, "/v1/batch", over), 413, "payload_too_large")
    refused(live, lambda: post(live, "/v1/batch", gzip.compress(over),
                               {"Content-Encoding": "gzip"}), 413, "payload_too_large")
    assert live.counts() == (2, 1)


# -- back-pressure -------------------------------------------------------------------------

def test_saturated_writer_answers_429_with_retry_after_and_stores_every_200_once(
        spawn: Callable[..., Live], database_url: str) -> None:
    live = spawn({"FRONTOFFICE_WRITE_QUEUE_EVENTS": "100"}, database_url=database_url)
    got_429 = threading.Event()
    lock = threading.Lock()
    answers: list[tuple[list[str], int, httpx.Headers, bytes, float]] = []

    def hammer(worker: int) -> None:
        with live.collector() as http:
            for n in range(40):
                if got_429.is_set() and n > 2:
                    return
                batch = [track(user_id=f"w{worker}") for _ in range(100)]
                answer = http.post("/v1/batch", json={"batch": batch})
                with lock:
                    answers.append(([e["messageId"] for e in batch], answer.status_code,
                                    answer.headers, answer.content, time.time()))
                if answer.status_code == 429:
                    got_429.set()

    threads = [threading.Thread(target=hammer, args=(w,)) for w in range(12)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    statuses = {status for _, status, *_ in answers}
    assert statuses <= {200, 429}, statuses
    overloaded = [a for a in answers if a[1] == 429]
    assert overloaded, "the writer never answered 429"
    for _, _, headers, content, at in overloaded:
        assert int(headers["Retry-After"]) >= 1
        reset_ms = int(headers["X-RateLimit-Reset"])
        assert at * 1000 < reset_ms < (at + 120) * 1000, "X-RateLimit-Reset is epoch ms ahead"
        assert headers["content-type"].startswith("application/json")
        body = orjson.loads(content)
        assert body["code"] and body["message"]
    stored = live.message_ids()
    for ids, status, *_ in answers:
        expected = 1 if status == 200 else 0
        assert [stored.get(m, 0) for m in ids] == [expected] * len(ids)
    assert sum(stored.values()) == 100 * sum(1 for a in answers if a[1] == 200)


# -- workspace isolation -------------------------------------------------------------------

def test_workspaces_are_isolated_for_writing_and_reading(fresh: Live) -> None:
    a, b = fresh, fresh.with_tenant(fresh.new_tenant("other"))
    event_a, event_b = track(user_id="alice"), track(user_id="bob")
    accepted(post(a, "/v1/track", event_a))
    accepted(post(b, "/v1/track", event_b))
    invalid = {"batch": [{"type": "nope", "userId": "alice", "messageId": new_id()}]}
    assert post(a, "/v1/batch", invalid).status_code == 400  # quarantined in A
    assert a.message_ids() == {event_a["messageId"]: 1}
    assert b.message_ids() == {event_b["messageId"]: 1}
    assert a.counts() == (1, 1) and b.counts() == (1, 0)

    ws_a = a.tenant.workspace
    with b.api() as as_b:
        for path in (f"/api/v1/workspaces/{ws_a}/events", f"/api/v1/workspaces/{ws_a}/quarantine",
                     f"/api/v1/workspaces/{a.tenant.workspace_id}/events",
                     f"/api/v1/workspaces/{ws_a}/sources", f"/api/v1/workspaces/{ws_a}/tokens"):
            answer = as_b.get(path)
            assert answer.status_code in {403, 404}, (path, answer.text)
            assert answer.json()["code"] and "alice" not in answer.text
        own = as_b.get(f"/api/v1/workspaces/{b.tenant.workspace}/events",
                       params={"source": a.tenant.source_id})
        assert own.status_code == 404 and "alice" not in own.text
        listed = as_b.get("/api/v1/workspaces").json()
        assert [w["name"] for w in listed] == [b.tenant.workspace]
    with a.api() as as_a:
        listed = as_a.get("/api/v1/workspaces").json()
        assert [w["name"] for w in listed] == [ws_a]
        events = as_a.get(f"/api/v1/workspaces/{ws_a}/events").json()["events"]
        assert [e["message_id"] for e in events] == [event_a["messageId"]]
        assert [e["user_id"] for e in events] == ["alice"]
        entries = as_a.get(f"/api/v1/workspaces/{ws_a}/quarantine").json()["entries"]
        assert len(entries) == 1 and entries[0]["source_id"] == a.tenant.source_id


def test_global_privacy_control_header_is_kept_on_every_event(fresh: Live) -> None:
    batch = [track(), track()]
    answer = post(fresh, "/v1/batch", {"batch": batch}, headers={"Sec-GPC": "1"})
    assert answer.status_code == 200, answer.text
    for event in batch:
        assert fresh.stored(event["messageId"])["payload"]["context"]["gpc"] is True
    plain = track()
    post(fresh, "/v1/batch", {"batch": [plain]})
    assert "gpc" not in fresh.stored(plain["messageId"])["payload"].get("context", {})
