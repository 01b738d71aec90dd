"""Bad input at the collector, sent to the real server process.

Every refusal has its documented status and a JSON body with ``code`` and ``message``, and
writes nothing to the event log (invalid events of a batch go to the quarantine, with the
reason). Nothing a client sends may produce a 5xx or fail other clients' events.
"""

from __future__ import annotations

import gzip
import threading
from collections.abc import Iterator
from typing import Any

import orjson
import pytest

from tests.e2e.conftest import Live, accepted, basic, bearer, new_id, post, quarantine, refused, track

pytestmark = pytest.mark.e2e


def nested(levels: int) -> bytes:
    return b"[" * levels + b"]" * levels


# -- whole-request refusals ----------------------------------------------------------------

@pytest.mark.parametrize(("body", "code"), [
    (b'{"batch": [', "invalid_json"),
    (b"{bad json}", "invalid_json"),
    (b'{"batch": [{"type": "track",}]}', "invalid_json"),
    (b"[1, 2, 3]", "invalid_request"),
    (b"null", "invalid_request"),
    (b'"just a string"', "invalid_request"),
], ids=["truncated", "garbage", "trailing-comma", "array", "null", "string"])
def test_body_that_is_not_a_json_object_is_400(fresh: Live, body: bytes, code: str) -> None:
    refused(fresh, lambda: post(fresh, "/v1/batch", body), 400, code)


@pytest.mark.parametrize("body", [b"", b"   \n"], ids=["empty", "whitespace"])
@pytest.mark.parametrize("path", ["/v1/batch", "/v1/track"])
def test_empty_body_is_400(fresh: Live, body: bytes, path: str) -> None:
    refused(fresh, lambda: post(fresh, path, body), 400, "invalid_json")


def test_batch_that_is_not_an_array_is_400(fresh: Live) -> None:
    refused(fresh, lambda: post(fresh, "/v1/batch", {"batch": {"type": "track"}}), 400,
            "invalid_request")


def test_non_utf8_body_is_400(fresh: Live) -> None:
    body = b'{"batch": [{"type": "track", "event": "caf\xe9", "userId": "u"}]}'
    refused(fresh, lambda: post(fresh, "/v1/batch", body), 400, "invalid_encoding")


def test_gzip_header_on_plain_data_is_400(fresh: Live) -> None:
    body = orjson.dumps({"batch": [track()]})
    refused(fresh, lambda: post(fresh, "/v1/batch", body, {"Content-Encoding": "gzip"}), 400,
            "invalid_encoding")


def test_truncated_gzip_is_400(fresh: Live) -> None:
    body = gzip.compress(orjson.dumps({"batch": [track() for _ in range(20)]}))[:-30]
    refused(fresh, lambda: post(fresh, "/v1/batch", body, {"Content-Encoding": "gzip"}), 400,
            "invalid_encoding")


def test_gzip_body_in_several_members_is_read_whole(fresh: Live) -> None:
    """RFC 1952: a gzip file is a series of members (what ``cat a.gz b.gz`` or a streaming
    compressor that flushes members produces); all of them are the body, not only the first."""
    events = [track() for _ in range(4)]
    raw = orjson.dumps({"batch": events})
    body = gzip.compress(raw[: len(raw) // 2]) + gzip.compress(raw[len(raw) // 2:])
    assert accepted(post(fresh, "/v1/batch", body, {"Content-Encoding": "gzip"}))["accepted"] == 4
    assert fresh.message_ids() == {e["messageId"]: 1 for e in events}


def test_unsupported_content_encoding_is_415(fresh: Live) -> None:
    body = orjson.dumps({"batch": [track()]})
    refused(fresh, lambda: post(fresh, "/v1/batch", body, {"Content-Encoding": "br"}), 415,
            "unsupported_encoding")


def test_request_over_the_size_limit_is_413(fresh: Live) -> None:
    padding = "x" * 10_000
    body = orjson.dumps({"batch": [track(properties={"p": padding}) for _ in range(60)]})
    assert len(body) > 500 * 1024
    refused(fresh, lambda: post(fresh, "/v1/batch", body), 413, "payload_too_large")


def test_chunked_request_over_the_size_limit_is_413(fresh: Live) -> None:
    """No Content-Length to trust: the server counts the bytes as they arrive."""
    def chunks() -> Iterator[bytes]:
        yield b'{"batch": ['
        for n in range(60):
            yield (b"," if n else b"") + orjson.dumps(track(properties={"p": "x" * 10_000}))
        yield b"]}"

    refused(fresh, lambda: post(fresh, "/v1/batch", chunks()), 413, "payload_too_large")


def test_gzip_bomb_is_413(fresh: Live) -> None:
    """A small compressed body that inflates past max_request_bytes is refused, not inflated."""
    bomb = gzip.compress(b'{"batch": [' + b" " * 20_000_000 + b"]}")
    assert len(bomb) < 100_000
    refused(fresh, lambda: post(fresh, "/v1/batch", bomb, {"Content-Encoding": "gzip"}), 413,
            "payload_too_large")


def test_5000_levels_of_nesting_is_400_too_deep(fresh: Live) -> None:
    body = b'{"batch": [{"type": "track", "event": "e", "userId": "u", "properties": {"a": ' \
        + nested(5000) + b"}}]}"
    refused(fresh, lambda: post(fresh, "/v1/batch", body), 400, "too_deep")


@pytest.mark.parametrize("path", ["/v1/batch", "/v1/track"])
def test_40_levels_of_nesting_is_refused(fresh: Live, path: str) -> None:
    event = track(properties={"a": orjson.loads(nested(40))})
    body = {"batch": [event]} if path == "/v1/batch" else event
    refused(fresh, lambda: post(fresh, path, body), 400, "too_deep")


# -- events that break the spec ------------------------------------------------------------

@pytest.mark.parametrize(("fields", "reason"), [
    ({"userId": {"id": 1}}, "userId must be a string or number"),
    ({"properties": [1, 2]}, "properties must be an object"),
    ({"event": 42}, "track needs a non-empty string 'event'"),
    ({"context": "web"}, "context must be an object"),
    ({"timestamp": "yesterday"}, "timestamp 'yesterday' is not an ISO-8601 date-time"),
    ({"userId": None, "anonymousId": None}, "userId or anonymousId is required"),
], ids=["userId-object", "properties-array", "event-number", "context-string", "bad-timestamp",
        "no-ids"])
def test_single_event_with_wrong_types_is_400_with_the_reason(
        fresh: Live, fields: dict[str, Any], reason: str) -> None:
    event = {k: v for k, v in {**track(), **fields}.items() if v is not None}
    body = refused(fresh, lambda: post(fresh, "/v1/track", event), 400, "invalid_event")
    assert reason in body["message"]
    assert [r["messageId"] for r in body["rejected"]] == [event["messageId"]]


@pytest.mark.parametrize(("fields", "reason"), [
    ({"type": "purchase"}, "type is required and must be one of"),
    ({"type": 7}, "type must be a string"),
    ({"type": None}, "type is required"),
    ({"userId": [1]}, "userId must be a string or number"),
], ids=["type-unknown", "type-number", "type-missing", "userId-array"])
def test_batch_of_only_invalid_events_is_400_and_quarantined(
        fresh: Live, fields: dict[str, Any], reason: str) -> None:
    event = {k: v for k, v in {**track(), **fields}.items() if v is not None}
    body = refused(fresh, lambda: post(fresh, "/v1/batch", {"batch": [event]}), 400,
                   "invalid_batch", quarantined=1)
    assert reason in body["rejected"][0]["reason"]
    entry = quarantine(fresh)[-1]
    assert reason in entry["reason"] and entry["message_id"] == event["messageId"]


def test_single_event_over_max_event_bytes_is_413(fresh: Live) -> None:
    event = track(properties={"blob": "x" * 40_000})
    body = refused(fresh, lambda: post(fresh, "/v1/track", event), 413, "event_too_large")
    assert "32768-byte limit" in body["message"]


def test_event_over_max_event_bytes_in_a_batch_is_quarantined_and_the_rest_stored(
        fresh: Live) -> None:
    big, small = track(properties={"blob": "x" * 40_000}), track()
    result = accepted(post(fresh, "/v1/batch", {"batch": [big, small]}))
    assert result["accepted"] == 1
    assert [(r["index"], r["messageId"]) for r in result["rejected"]] == [(0, big["messageId"])]
    assert "32768-byte limit" in result["rejected"][0]["reason"]
    assert fresh.counts() == (1, 1)
    assert fresh.message_ids() == {small["messageId"]: 1}
    entry = quarantine(fresh)[0]
    assert entry["message_id"] == big["messageId"] and "byte limit" in entry["reason"]


@pytest.mark.parametrize(("fields", "sent_at"), [
    ({"originalTimestamp": "0001-01-01T00:00:00Z"}, "9999-12-31T23:59:59Z"),
    ({"timestamp": "0001-01-01T00:00:00+05:00"}, None),
    ({"timestamp": "9999-12-31T23:59:59-05:00"}, None),
], ids=["skew-correction-overflows", "before-year-1-in-utc", "after-year-9999-in-utc"])
@pytest.mark.parametrize("path", ["/v1/batch", "/v1/track"])
def test_timestamp_out_of_range_is_an_invalid_event_not_a_500(
        fresh: Live, fields: dict[str, str], sent_at: str | None, path: str) -> None:
    event = track(**fields, **({"sentAt": sent_at} if sent_at else {}))
    if path == "/v1/batch":
        refused(fresh, lambda: post(fresh, path, {"batch": [event]}), 400, "invalid_batch",
                quarantined=1)
    else:
        refused(fresh, lambda: post(fresh, path, event), 400, "invalid_event")


def test_nul_character_in_an_event_never_fails_the_valid_events_beside_it(fresh: Live) -> None:
    """U+0000 is valid JSON; PostgreSQL text cannot hold it. Either way the request must not
    fail as a whole: the other event of the batch is stored."""
    odd = track(user_id="a\u0000b", event="Sign\u0000up")
    fine = track()
    answer = post(fresh, "/v1/batch", {"batch": [odd, fine]})
    assert answer.status_code == 200, answer.text
    result = answer.json()
    assert fresh.message_ids().get(fine["messageId"]) == 1
    if result["rejected"]:
        assert [r["index"] for r in result["rejected"]] == [0]
    else:
        assert fresh.stored(odd["messageId"])["user_id"] == "a\u0000b"


def test_nul_character_in_one_client_never_fails_other_clients(fresh: Live) -> None:
    """Group commit writes many requests in one transaction: one bad event must not turn the
    other clients' batches into 503s."""
    statuses: list[int] = []
    odd_statuses: list[int] = []

    def odd_client() -> None:
        with fresh.collector() as http:
            for _ in range(25):
                batch = [track(user_id="x\u0000", messageId=f"nul-{new_id()}\u0000")]
                odd_statuses.append(http.post("/v1/batch", json={"batch": batch}).status_code)

    def good_client() -> None:
        with fresh.collector() as http:
            for _ in range(25):
                statuses.append(http.post("/v1/batch",
                                          json={"batch": [track() for _ in range(20)]}).status_code)

    threads = [threading.Thread(target=odd_client)] + [
        threading.Thread(target=good_client) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert set(odd_statuses) <= {200, 400}, f"a NUL character gave {sorted(set(odd_statuses))}"
    assert statuses == [200] * 100, f"valid batches got {sorted(set(statuses))}"


# -- write keys refused --------------------------------------------------------------------

def test_unknown_write_key_is_401(fresh: Live) -> None:
    refused(fresh, lambda: post(fresh, "/v1/batch", {"batch": [track()]},
                                {"Authorization": basic("fo_wk_not-a-key-of-anyone")}),
            401, "unauthorized")


def test_missing_write_key_is_401(fresh: Live) -> None:
    refused(fresh, lambda: post(fresh, "/v1/track", track(), auth=False), 401, "unauthorized")


def test_bearer_without_body_write_key_is_401(fresh: Live) -> None:
    refused(fresh, lambda: post(fresh, "/v1/track", track(), {"Authorization": bearer("xyz")}),
            401, "unauthorized")


def test_header_and_body_write_keys_that_differ_are_401(fresh: Live) -> None:
    other = fresh.new_tenant("other")
    body = {"batch": [track()], "writeKey": other.write_key}
    message = refused(fresh, lambda: post(fresh, "/v1/batch", body), 401, "unauthorized")["message"]
    assert "differ" in message
    assert fresh.counts(other) == (0, 0)


def test_disabled_source_is_401(fresh: Live) -> None:
    accepted(post(fresh, "/v1/track", track()))
    with fresh.api() as api:
        answer = api.post(f"/api/v1/workspaces/{fresh.tenant.workspace}/sources/web/disable")
    assert answer.status_code == 200 and answer.json()["status"] == "disabled", answer.text
    message = refused(fresh, lambda: post(fresh, "/v1/track", track()), 401,
                      "unauthorized")["message"]
    assert "disabled" in message


# -- the read API with odd parameters ------------------------------------------------------

@pytest.mark.parametrize("path", ["events", "quarantine"])
def test_read_cursor_beyond_64_bits_is_not_a_500(fresh: Live, path: str) -> None:
    with fresh.api() as api:
        answer = api.get(f"/api/v1/workspaces/{fresh.tenant.workspace}/{path}",
                         params={"after": str(2**70)})
    assert answer.status_code in {200, 422}, answer.text
    assert answer.headers["content-type"].startswith("application/json")


@pytest.mark.parametrize(("method", "path"), [
    ("GET", "/api/v1/workspaces/a%00b/events"),
    ("GET", "/api/v1/workspaces/{ws}/events?source=web%00"),
    ("POST", "/api/v1/workspaces/{ws}/sources/web%00/disable"),
], ids=["workspace", "source-filter", "source-disable"])
def test_nul_in_a_read_api_parameter_is_404_not_500(fresh: Live, method: str, path: str) -> None:
    with fresh.api() as api:
        answer = api.request(method, path.format(ws=fresh.tenant.workspace))
    assert answer.status_code in {403, 404}, answer.text
    assert answer.json()["code"]


@pytest.mark.parametrize("body", [{"batch": []}, {"batch": [], "context": {"library": {"name": "x"}}}],
                         ids=["bare", "with-context"])
def test_an_empty_batch_is_an_invalid_batch(fresh: Live, body: dict[str, Any]) -> None:
    """README: a batch with no valid event is refused with 400 invalid_batch; an empty one has none."""
    answer = refused(fresh, lambda: post(fresh, "/v1/batch", body), 400, "invalid_batch")
    assert "empty" in answer["message"]
