"""Integers of any size travel exact: collector, event log, events API (real server process).

orjson reads integers beyond 64 bits as floats, so 2^70 used to be stored as 1.18e21; a
number is data the client chose, and it must come back digit for digit.
"""

from __future__ import annotations

import json

import pytest

from tests.e2e.conftest import Live, accepted, new_id, post

pytestmark = pytest.mark.e2e

BIG = {"over_double": 2**53 + 1, "over_u64": 2**64, "big": 2**70, "big_negative": -(2**70),
       "under_i64": -(2**63) - 1}


def test_integers_beyond_64_bits_come_back_exact_in_properties_and_traits(fresh: Live) -> None:
    track_id, identify_id = new_id(), new_id()
    body = {"batch": [
        {"type": "track", "event": "Ordered", "userId": "u-big", "messageId": track_id,
         "properties": {**BIG, "nested": [BIG]}},
        {"type": "identify", "userId": "u-big", "messageId": identify_id, "traits": BIG},
    ]}
    raw = post(fresh, "/v1/batch", _exact_json(body))
    assert accepted(raw)["accepted"] == 2

    with fresh.api() as api:
        answer = api.get(f"/api/v1/workspaces/{fresh.tenant.workspace}/events")
    assert answer.status_code == 200, answer.text
    assert str(2**70) in answer.text and str(-(2**70)) in answer.text  # digits, not 1.18e+21
    payloads = {e["message_id"]: e["payload"] for e in answer.json()["events"]}
    assert payloads[track_id]["properties"] == {**BIG, "nested": [BIG]}
    assert payloads[identify_id]["traits"] == BIG


def test_a_batch_with_big_integers_and_no_message_id_is_stored_once_on_retry(fresh: Live) -> None:
    """The derived messageId hashes the event's JSON, big integers included."""
    event = {"type": "track", "event": "Ordered", "userId": "u-big",
             "timestamp": "2026-01-02T03:04:05Z", "properties": {"big": 2**70}}
    for _ in range(2):
        assert accepted(post(fresh, "/v1/batch", _exact_json({"batch": [event]})))
    assert sorted(fresh.message_ids().values()) == [1]


def _exact_json(value: object) -> bytes:
    return json.dumps(value).encode()  # the standard library writes integers of any size
