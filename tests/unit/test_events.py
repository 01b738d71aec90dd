"""The Segment spec's rules, on the pure normaliser."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import orjson
import pytest
from hypothesis import given
from hypothesis import strategies as st

from frontoffice.domain.events import (
    EventRecord,
    Limits,
    Rejection,
    iso,
    json_depth_exceeds,
    normalise,
    normalise_batch,
)

RECEIVED = datetime(2026, 11, 22, 12, 0, 0, tzinfo=UTC)
LIMITS = Limits(max_event_bytes=32 * 1024, max_json_depth=32)


def one(event: object, batch: dict[str, object] | None = None,
        forced: str | None = None) -> EventRecord | Rejection:
    return normalise(event, index=0, batch=batch or {}, forced_type=forced, source_id="src",
                     received_at=RECEIVED, limits=LIMITS)


def accepted(event: object, **kw: object) -> EventRecord:
    result = one(event, **kw)  # type: ignore[arg-type]
    assert isinstance(result, EventRecord), result
    return result


def reason(event: object, **kw: object) -> str:
    result = one(event, **kw)  # type: ignore[arg-type]
    assert isinstance(result, Rejection), result
    return result.reason


def test_type_is_required_and_must_be_a_spec_type() -> None:
    assert "type is required" in reason({"userId": "u"})
    assert "type is required" in reason({"type": "purchase", "userId": "u"})
    assert "type must be a string" in reason({"type": 5, "userId": "u"})


def test_user_id_or_anonymous_id_is_required() -> None:
    assert "userId or anonymousId" in reason({"type": "identify"})
    assert "userId or anonymousId" in reason({"type": "identify", "userId": "  "})
    assert accepted({"type": "identify", "anonymousId": "a"}).anonymous_id == "a"


def test_alias_needs_previous_id_and_user_id() -> None:
    assert "alias needs" in reason({"type": "alias", "userId": "u"})
    assert "alias needs" in reason({"type": "alias", "previousId": "p", "anonymousId": "a"})
    record = accepted({"type": "alias", "userId": "u", "previousId": "p"})
    assert (record.user_id, record.previous_id) == ("u", "p")


def test_track_needs_an_event_name_and_group_a_group_id() -> None:
    assert "track needs" in reason({"type": "track", "userId": "u"})
    assert "track needs" in reason({"type": "track", "userId": "u", "event": 7})
    assert "group needs groupId" in reason({"type": "group", "userId": "u"})


def test_ids_are_stringified_and_objects_refused() -> None:
    record = accepted({"type": "identify", "userId": 42, "anonymousId": 7.5})
    assert (record.user_id, record.anonymous_id) == ("42", "7.5")
    assert orjson.loads(record.payload)["userId"] == "42"
    assert "userId must be a string or number" in reason({"type": "identify", "userId": {"a": 1}})
    assert "userId must be a string or number" in reason({"type": "identify", "userId": True})


def test_wrong_container_types_are_refused() -> None:
    assert "properties must be an object" in reason(
        {"type": "track", "userId": "u", "event": "e", "properties": [1]})
    assert "context must be an object" in reason({"type": "identify", "userId": "u", "context": "x"})


def test_message_id_generated_when_missing_and_stable_for_a_stamped_retry() -> None:
    stamped = {"type": "track", "userId": "u", "event": "e", "originalTimestamp": "2026-01-01T00:00:00Z"}
    first, again = accepted(dict(stamped)), accepted(dict(stamped))
    assert first.message_id.startswith("fo-")
    assert first.message_id == again.message_id
    unstamped = {"type": "track", "userId": "u", "event": "e"}
    assert accepted(dict(unstamped)).message_id != accepted(dict(unstamped)).message_id


def test_timestamp_corrects_client_clock_skew() -> None:
    # The device clock is 10 minutes fast: it stamped the event 2 s before it sent the batch.
    original = RECEIVED + timedelta(minutes=10) - timedelta(seconds=2)
    sent = RECEIVED + timedelta(minutes=10)
    record = accepted({"type": "track", "userId": "u", "event": "e",
                       "originalTimestamp": original.isoformat()},
                      batch={"sentAt": sent.isoformat()})
    assert record.timestamp == iso(RECEIVED - timedelta(seconds=2))
    assert record.original_timestamp == iso(original)
    assert record.sent_at == iso(sent)
    assert record.received_at == iso(RECEIVED)


def test_client_timestamp_is_used_as_sent() -> None:
    record = accepted({"type": "track", "userId": "u", "event": "e",
                       "timestamp": "2025-05-05T05:05:05.5+02:00",
                       "originalTimestamp": "2026-01-01T00:00:00Z"},
                      batch={"sentAt": "2026-01-01T00:00:01Z"})
    assert record.timestamp == "2025-05-05T03:05:05.500Z"


def test_without_any_client_time_the_receive_time_is_used() -> None:
    assert accepted({"type": "page", "userId": "u"}).timestamp == iso(RECEIVED)


def test_bad_timestamps_are_refused_with_the_field_named() -> None:
    assert "originalTimestamp" in reason({"type": "page", "userId": "u", "originalTimestamp": "yesterday"})
    assert "sentAt" in reason({"type": "page", "userId": "u"}, batch={"sentAt": 17})


def test_batch_context_and_integrations_merge_into_each_event_event_wins() -> None:
    record = accepted({"type": "page", "userId": "u", "context": {"locale": "de-DE"}},
                      batch={"context": {"locale": "en-US", "library": {"name": "x"}},
                             "integrations": {"All": False}})
    payload = orjson.loads(record.payload)
    assert payload["context"] == {"locale": "de-DE", "library": {"name": "x"}}
    assert payload["integrations"] == {"All": False}


def test_write_key_never_reaches_the_log() -> None:
    record = accepted({"type": "page", "userId": "u", "writeKey": "secret-key-123"})
    assert b"secret-key-123" not in record.payload


def test_oversize_event_is_refused_with_its_size() -> None:
    result = one({"type": "track", "userId": "u", "event": "e", "properties": {"x": "a" * 40_000}})
    assert isinstance(result, Rejection)
    assert result.code == "event_too_large"
    assert "over the 32768-byte limit" in result.reason


def test_deep_nesting_is_refused() -> None:
    deep: dict[str, object] = {}
    cursor = deep
    for _ in range(40):
        cursor["x"] = {}
        cursor = cursor["x"]  # type: ignore[assignment]
    assert "nests deeper" in reason({"type": "track", "userId": "u", "event": "e", "properties": deep})


def test_forced_type_from_the_endpoint_wins() -> None:
    assert accepted({"type": "identify", "userId": "u", "event": "e"}, forced="track").type == "track"


def test_batch_splits_valid_and_invalid_keeping_indexes() -> None:
    good, bad = normalise_batch(
        [{"type": "page", "userId": "u"}, "nonsense", {"type": "track", "userId": "u"}],
        batch={}, forced_type=None, source_id="s", received_at=RECEIVED, limits=LIMITS)
    assert len(good) == 1
    assert [r.index for r in bad] == [1, 2]
    assert "must be an object" in bad[0].reason


@given(st.recursive(st.none() | st.integers(), lambda c: st.lists(c, max_size=3)
                    | st.dictionaries(st.text(max_size=2), c, max_size=3), max_leaves=30))
def test_depth_check_agrees_with_a_plain_recursive_definition(value: object) -> None:
    def depth(v: object) -> int:
        if isinstance(v, dict):
            return 1 + max((depth(x) for x in v.values()), default=0)
        if isinstance(v, list):
            return 1 + max((depth(x) for x in v), default=0)
        return 0

    for limit in range(6):
        assert json_depth_exceeds(value, limit) == (depth(value) > limit)


@pytest.mark.parametrize("offset", [0, 9, -5])
def test_iso_is_utc_with_milliseconds(offset: int) -> None:
    from datetime import timezone

    ts = datetime(2026, 3, 4, 5, 6, 7, 890123, tzinfo=timezone(timedelta(hours=offset)))
    assert iso(ts) == (ts.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.") + "890Z")
