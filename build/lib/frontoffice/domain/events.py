"""The event log's record, and the Segment tracking spec's validation rules.

Pure functions: nothing here does I/O. A batch is turned into accepted ``EventRecord``s and
``Rejection``s; the caller stores the first and quarantines the second.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import orjson

from frontoffice.domain import jsontext

TRACKING = "tracking"
SEGMENT_TYPES = frozenset({"identify", "track", "page", "screen", "group", "alias"})
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
class StoredEvent:
    """An event as the log holds it: its position (``seq``) and where it came from."""

    seq: int
    workspace_id: str
    source_id: str
    record: EventRecord


@dataclass(frozen=True, slots=True)
class Rejection:
    """An input that was refused, with the precise reason; quarantined, never dropped."""

    index: int
    message_id: str | None
    reason: str
    payload: bytes
    code: str = "invalid_event"

    def as_dict(self) -> dict[str, object]:
        return {"index": self.index, "messageId": self.message_id, "reason": self.reason}


@dataclass(frozen=True, slots=True)
class Limits:
    max_event_bytes: int
    max_json_depth: int


class _Invalid(Exception):
    def __init__(self, reason: str, code: str = "invalid_event") -> None:
        super().__init__(reason)
        self.code = code


def iso(ts: datetime) -> str:
    """UTC, millisecond precision, 'Z' suffix: sorts as text in every store."""
    if ts.tzinfo is not UTC and ts.utcoffset():
        ts = ts.astimezone(UTC)
    return "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ" % (  # noqa: UP031 - twice as fast as isoformat
        ts.year, ts.month, ts.day, ts.hour, ts.minute, ts.second, ts.microsecond // 1000)


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
        return parsed.replace(tzinfo=UTC)
    try:
        return parsed.astimezone(UTC)
    except OverflowError:
        raise _Invalid(f"{field} {value[:40]!r} is out of range") from None


def json_depth_exceeds(value: object, limit: int) -> bool:
    """True when containers nest deeper than ``limit``. Recursion stops at ``limit``."""
    if limit <= 0:
        return isinstance(value, dict | list)
    children: Iterable[object]
    if isinstance(value, dict):
        children = value.values()
    elif isinstance(value, list):
        children = value
    else:
        return False
    for child in children:
        kind = type(child)
        if (kind is dict or kind is list) and json_depth_exceeds(child, limit - 1):
            return True
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
    return _no_nul(text.strip(), field) or None


def _message_id(event: Mapping[str, Any], source_id: str) -> str:
    value = event.get("messageId")
    if value is not None:
        if isinstance(value, bool) or not isinstance(value, str | int):
            raise _Invalid(f"messageId must be a string, got {_kind(value)}")
        text = str(value).strip()
        if not text or len(text) > 256:
            raise _Invalid("messageId must be 1 to 256 characters")
        if "\x00" in text:
            raise _Invalid("messageId contains a NUL character")
        return text
    if event.get("timestamp") or event.get("originalTimestamp"):
        # The client stamped the event, so a retry of it has the same content: derive the id
        # from the content and a retried event without a messageId is still stored once.
        digest = hashlib.sha256(source_id.encode() + jsontext.dumps(event, option=orjson.OPT_SORT_KEYS))
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
        return _no_nul(name.strip(), "event")
    if etype in {"page", "screen"}:
        page_name = event.get("name")
        if page_name is not None and not isinstance(page_name, str):
            raise _Invalid(f"name must be a string, got {_kind(page_name)}")
        return None if page_name is None else _no_nul(page_name, "name")
    return None


def _no_nul(text: str, field: str) -> str:
    """Text columns of PostgreSQL cannot hold NUL; refuse it on every backend alike."""
    if "\x00" in text:
        raise _Invalid(f"{field} contains a NUL character")
    if len(text) > 1024:
        raise _Invalid(f"{field} is longer than 1024 characters")
    return text


@dataclass(frozen=True, slots=True)
class _BatchContext:
    batch: Mapping[str, Any]
    forced_type: str | None
    source_id: str
    received_at: datetime
    received: str
    sent_at: datetime | None
    sent_text: str | None
    sent_at_error: str | None
    limits: Limits
    check_depth: bool


def _context(batch: Mapping[str, Any], forced_type: str | None, source_id: str,
             received_at: datetime, limits: Limits, check_depth: bool) -> _BatchContext:
    sent_at: datetime | None = None
    sent_at_error: str | None = None
    try:
        sent_at = parse_time(batch.get("sentAt"), "sentAt")
    except _Invalid as exc:
        sent_at_error = str(exc)
    return _BatchContext(batch, forced_type, source_id, received_at, iso(received_at), sent_at,
                         iso(sent_at) if sent_at else None, sent_at_error, limits, check_depth)


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
    ctx = _context(batch, forced_type, source_id, received_at, limits, check_depth=True)
    return _normalise(item, index, ctx)


def _normalise(item: object, index: int, ctx: _BatchContext) -> EventRecord | Rejection:
    if not isinstance(item, dict):
        return Rejection(index, None, f"event must be an object, got {_kind(item)}", _dump(item))
    event: dict[str, Any] = dict(item)
    event.pop("writeKey", None)
    raw_id = event.get("messageId")
    shown_id = raw_id.replace("\x00", "\ufffd") if isinstance(raw_id, str) else None
    try:
        if ctx.sent_at_error:
            raise _Invalid(ctx.sent_at_error)
        if ctx.check_depth and json_depth_exceeds(event, ctx.limits.max_json_depth):
            raise _Invalid(f"event nests deeper than {ctx.limits.max_json_depth} levels")
        etype = ctx.forced_type or event.get("type")
        if not isinstance(etype, str) or etype not in SEGMENT_TYPES:
            raise _Invalid(
                "type is required and must be one of " + ", ".join(sorted(SEGMENT_TYPES))
                if etype is None or isinstance(etype, str)
                else f"type must be a string, got {_kind(etype)}"
            )
        user_id = _string_id(event, "userId")
        anonymous_id = _string_id(event, "anonymousId")
        previous_id = _string_id(event, "previousId")
        group_id = _string_id(event, "groupId")
        if etype == "alias":
            if not previous_id or not user_id:
                raise _Invalid("alias needs both previousId and userId")
        elif not user_id and not anonymous_id:
            raise _Invalid("userId or anonymousId is required")
        if etype == "group" and not group_id:
            raise _Invalid("group needs groupId")
        name = _check_shape(event, etype)
        message_id = _message_id(event, ctx.source_id)
        original = parse_time(event.get("originalTimestamp"), "originalTimestamp")
        client_ts = parse_time(event.get("timestamp"), "timestamp")
        sent_at = (parse_time(event["sentAt"], "sentAt") if event.get("sentAt") is not None
                   else ctx.sent_at)
    except _Invalid as exc:
        return Rejection(index, shown_id, str(exc), _dump(event), exc.code)

    if client_ts is not None:
        timestamp = client_ts
    elif original is not None and sent_at is not None:
        try:
            timestamp = ctx.received_at - (sent_at - original)  # corrects the device's clock skew
        except OverflowError:
            return Rejection(index, shown_id, "originalTimestamp and sentAt are too far apart "
                             "to correct the clock skew", _dump(event))
    else:
        timestamp = original or ctx.received_at
    _merge_batch_fields(event, ctx.batch)
    for field, value in (("userId", user_id), ("anonymousId", anonymous_id),
                         ("previousId", previous_id), ("groupId", group_id)):
        if value is None:
            event.pop(field, None)
        else:
            event[field] = value
    stamp = ctx.received if timestamp is ctx.received_at else iso(timestamp)
    sent_text = (ctx.sent_text if sent_at is ctx.sent_at else iso(sent_at)) if sent_at else None
    original_text = iso(original) if original is not None else None
    event["type"] = etype
    event["messageId"] = message_id
    event["receivedAt"] = ctx.received
    event["timestamp"] = stamp
    if sent_text is not None:
        event["sentAt"] = sent_text
    if original_text is not None:
        event["originalTimestamp"] = original_text
    try:
        payload = jsontext.dumps(event)
    except orjson.JSONEncodeError as exc:  # e.g. a key that is not a string, from a file
        return Rejection(index, shown_id, f"event cannot be stored as JSON: {exc}",
                         repr(item).encode("utf-8", "replace"))
    if len(payload) > ctx.limits.max_event_bytes:
        return Rejection(index, shown_id, f"event is {len(payload)} bytes, over the "
                         f"{ctx.limits.max_event_bytes}-byte limit", _dump(item),
                         "event_too_large")
    return EventRecord(
        message_id=message_id,
        family=TRACKING,
        type=etype,
        event=name,
        user_id=user_id,
        anonymous_id=anonymous_id,
        previous_id=previous_id,
        group_id=group_id,
        timestamp=stamp,
        original_timestamp=original_text,
        sent_at=sent_text,
        received_at=ctx.received,
        payload=payload,
    )


def normalise_batch(
    items: list[object],
    *,
    batch: Mapping[str, Any],
    forced_type: str | None,
    source_id: str,
    received_at: datetime,
    limits: Limits,
    check_depth: bool = True,
) -> tuple[list[EventRecord], list[Rejection]]:
    """``check_depth=False`` when the caller already checked the whole body's depth."""
    ctx = _context(batch, forced_type, source_id, received_at, limits, check_depth)
    accepted: list[EventRecord] = []
    rejected: list[Rejection] = []
    for index, item in enumerate(items):
        result = _normalise(item, index, ctx)
        if isinstance(result, EventRecord):
            accepted.append(result)
        else:
            rejected.append(result)
    return accepted, rejected


def _dump(value: object) -> bytes:
    try:
        return jsontext.dumps(value)
    except orjson.JSONEncodeError:
        return repr(value).encode("utf-8", "replace")


def now() -> datetime:
    return datetime.now(UTC)
