"""The event log's record, and the Segment tracking spec's validation rules.

Pure functions: nothing here does I/O. A batch is turned into accepted ``EventRecord``s and
``Rejection``s; the caller stores the first and quarantines the second.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import orjson

TRACKING = "tracking"
SEGMENT_TYPES = frozenset({"identify", "track", "page", "screen", "group", "alias"})
_ID_FIELDS = ("userId", "anonymousId", "previousId", "groupId")
_MERGED = ("context", "integrations")


@dataclass(frozen=True, slots=True)
class EventRecord:
    """One accepted event as the log stores it: normalised columns plus the payload."""

    message_id: str
    family: str
    type: str
    event: str | None
    user_id: str | None
    anonymous_id: str | None
    previous_id: str | None
    group_id: str | None
    timestamp: str
    original_timestamp: str | None
    sent_at: str | None
    received_at: str
    payload: bytes


@dataclass(frozen=True, slots=True)
class Rejection:
    """An input that was refused, with the precise reason; quarantined, never dropped."""

    index: int
    message_id: str | None
    reason: str
    payload: bytes

    def as_dict(self) -> dict[str, object]:
        return {"index": self.index, "messageId": self.message_id, "reason": self.reason}


@dataclass(frozen=True, slots=True)
class Limits:
    max_event_bytes: int
    max_json_depth: int


class _Invalid(Exception):
    pass


def iso(ts: datetime) -> str:
    """UTC, millisecond precision, 'Z' suffix: sorts as text in every store."""
    return ts.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.") + f"{ts.microsecond // 1000:03d}Z"


def parse_time(value: object, field: str) -> datetime | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise _Invalid(f"{field} must be an ISO-8601 date-time string, got {_kind(value)}")
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise _Invalid(f"{field} {value[:40]!r} is not an ISO-8601 date-time") from None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed


def json_depth_exceeds(value: object, limit: int) -> bool:
    """True when containers nest deeper than ``limit``; iterative, so no recursion limit."""
    stack: list[tuple[object, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            if depth > limit:
                return True
            stack.extend((v, depth + 1) for v in item.values())
        elif isinstance(item, list):
            if depth > limit:
                return True
            stack.extend((v, depth + 1) for v in item)
    return False


def _kind(value: object) -> str:
    return {dict: "an object", list: "an array", bool: "a boolean", str: "a string"}.get(
        type(value), type(value).__name__
    )


def _string_id(event: Mapping[str, Any], field: str) -> str | None:
    value = event.get(field)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise _Invalid(f"{field} must be a string or number, got {_kind(value)}")
    text = value if isinstance(value, str) else repr(value) if isinstance(value, float) else str(value)
    text = text.strip()
    if len(text) > 1024:
        raise _Invalid(f"{field} is longer than 1024 characters")
    return text or None


def _message_id(event: Mapping[str, Any], source_id: str) -> str:
    value = event.get("messageId")
    if value is not None:
        if isinstance(value, bool) or not isinstance(value, str | int):
            raise _Invalid(f"messageId must be a string, got {_kind(value)}")
        text = str(value).strip()
        if not text or len(text) > 256:
            raise _Invalid("messageId must be 1 to 256 characters")
        return text
    if event.get("timestamp") or event.get("originalTimestamp"):
        # The client stamped the event, so a retry of it has the same content: derive the id
        # from the content and a retried event without a messageId is still stored once.
        digest = hashlib.sha256(source_id.encode() + orjson.dumps(event, option=orjson.OPT_SORT_KEYS))
        return "fo-" + digest.hexdigest()[:32]
    return "fo-" + uuid.uuid4().hex


def _merge_batch_fields(event: dict[str, Any], batch: Mapping[str, Any]) -> None:
    for field in _MERGED:
        outer = batch.get(field)
        if not isinstance(outer, dict) or not outer:
            continue
        inner = event.get(field)
        if inner is None:
            event[field] = dict(outer)
        elif isinstance(inner, dict):
            event[field] = {**outer, **inner}


def _check_shape(event: Mapping[str, Any], etype: str) -> str | None:
    for field in ("properties", "traits", "context", "integrations"):
        value = event.get(field)
        if value is not None and not isinstance(value, dict):
            raise _Invalid(f"{field} must be an object, got {_kind(value)}")
    name = event.get("event")
    if etype == "track":
        if not isinstance(name, str) or not name.strip():
            raise _Invalid("track needs a non-empty string 'event'")
        return name.strip()
    if etype in {"page", "screen"}:
        page_name = event.get("name")
        if page_name is not None and not isinstance(page_name, str):
            raise _Invalid(f"name must be a string, got {_kind(page_name)}")
        return page_name
    return None


def normalise(
    item: object,
    *,
    index: int,
    batch: Mapping[str, Any],
    forced_type: str | None,
    source_id: str,
    received_at: datetime,
    limits: Limits,
) -> EventRecord | Rejection:
    """Validate one Segment event against the spec; return the record or the reason."""
    if not isinstance(item, dict):
        return Rejection(index, None, f"event must be an object, got {_kind(item)}",
                         orjson.dumps(item))
    event: dict[str, Any] = {k: v for k, v in item.items() if k != "writeKey"}
    raw_id = event.get("messageId")
    shown_id = raw_id if isinstance(raw_id, str) else None
    try:
        raw = orjson.dumps(event)
    except orjson.JSONEncodeError as exc:  # pragma: no cover - parsed JSON always encodes
        return Rejection(index, shown_id, f"event cannot be encoded: {exc}", b"{}")
    try:
        if len(raw) > limits.max_event_bytes:
            raise _Invalid(f"event is {len(raw)} bytes, over the {limits.max_event_bytes}-byte limit")
        if json_depth_exceeds(event, limits.max_json_depth):
            raise _Invalid(f"event nests deeper than {limits.max_json_depth} levels")
        etype = forced_type or event.get("type")
        if not isinstance(etype, str) or etype not in SEGMENT_TYPES:
            raise _Invalid(
                "type is required and must be one of " + ", ".join(sorted(SEGMENT_TYPES))
                if etype is None or isinstance(etype, str)
                else f"type must be a string, got {_kind(etype)}"
            )
        ids = {f: _string_id(event, f) for f in _ID_FIELDS}
        if etype == "alias":
            if not ids["previousId"] or not ids["userId"]:
                raise _Invalid("alias needs both previousId and userId")
        elif not ids["userId"] and not ids["anonymousId"]:
            raise _Invalid("userId or anonymousId is required")
        if etype == "group" and not ids["groupId"]:
            raise _Invalid("group needs groupId")
        name = _check_shape(event, etype)
        message_id = _message_id(event, source_id)
        original = parse_time(event.get("originalTimestamp"), "originalTimestamp")
        client_ts = parse_time(event.get("timestamp"), "timestamp")
        sent_at = parse_time(event.get("sentAt", batch.get("sentAt")), "sentAt")
    except _Invalid as exc:
        return Rejection(index, shown_id, str(exc), raw)

    if client_ts is not None:
        timestamp = client_ts
    elif original is not None and sent_at is not None:
        timestamp = received_at - (sent_at - original)  # corrects the device's clock skew
    else:
        timestamp = original or received_at
    received = iso(received_at)
    _merge_batch_fields(event, batch)
    event.update(ids)
    event = {k: v for k, v in event.items() if v is not None or k not in _ID_FIELDS}
    event["type"] = etype
    event["messageId"] = message_id
    event["receivedAt"] = received
    event["timestamp"] = iso(timestamp)
    if sent_at is not None:
        event["sentAt"] = iso(sent_at)
    if original is not None:
        event["originalTimestamp"] = iso(original)
    return EventRecord(
        message_id=message_id,
        family=TRACKING,
        type=etype,
        event=name,
        user_id=ids["userId"],
        anonymous_id=ids["anonymousId"],
        previous_id=ids["previousId"],
        group_id=ids["groupId"],
        timestamp=iso(timestamp),
        original_timestamp=iso(original) if original else None,
        sent_at=iso(sent_at) if sent_at else None,
        received_at=received,
        payload=orjson.dumps(event),
    )


def normalise_batch(
    items: list[object],
    *,
    batch: Mapping[str, Any],
    forced_type: str | None,
    source_id: str,
    received_at: datetime,
    limits: Limits,
) -> tuple[list[EventRecord], list[Rejection]]:
    accepted: list[EventRecord] = []
    rejected: list[Rejection] = []
    for index, item in enumerate(items):
        result = normalise(item, index=index, batch=batch, forced_type=forced_type,
                           source_id=source_id, received_at=received_at, limits=limits)
        (accepted if isinstance(result, EventRecord) else rejected).append(result)  # type: ignore[arg-type]
    return accepted, rejected


def now() -> datetime:
    return datetime.now(UTC)
