"""Turning validated intake into event-log records, and checking webhook signatures.

Commerce events bypass the Segment normaliser: each is an ``EventRecord`` of family
``commerce`` whose ``message_id`` is the source's event id, so a retried webhook is stored once.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any

import orjson

from frontoffice.commerce.ports import COMMERCE
from frontoffice.domain.events import EventRecord, iso

if TYPE_CHECKING:  # the intake's pydantic models: a process that only projects never builds them
    from frontoffice.commerce.schemas import Customer

SIGNATURE_HEADER = "X-Frontoffice-Signature"


def sign(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()


def signature_refusal(secret: str | None, header: str | None, body: bytes) -> str | None:
    """None when the signature is right, else what is wrong with it."""
    if secret is None:
        return ("This source has no webhook secret; set one with "
                "`frontoffice commerce secret WORKSPACE/SOURCE`.")
    if not header:
        return f"Missing {SIGNATURE_HEADER}: sha256=<hex HMAC-SHA256 of the body>."
    if not hmac.compare_digest(header.strip().lower(), sign(secret, body)):
        return f"{SIGNATURE_HEADER} does not match the body; sign the exact bytes you send."
    return None


def customer_keys(customer: Customer | Mapping[str, Any]) -> list[str]:
    """The keys a golden record can look commerce traits up by: ``kind:value``."""
    data = customer if isinstance(customer, Mapping) else customer.model_dump()
    keys = []
    for kind in ("user_id", "email", "buyer_id", "phone"):
        value = data.get(kind)
        if value:
            text = str(value).strip()
            if kind == "email":
                text = text.lower()
            elif kind == "phone":
                text = "".join(ch for ch in text if ch.isdigit())
            if text:
                keys.append(f"{kind}:{text}")
    return keys


def record(message_id: str, etype: str, payload: Mapping[str, Any], received_at: datetime,
           occurred_at: datetime | None = None, user_id: str | None = None) -> EventRecord:
    received = iso(received_at)
    return EventRecord(
        message_id=message_id, family=COMMERCE, type=etype, event=None, user_id=user_id,
        anonymous_id=None, previous_id=None, group_id=None,
        timestamp=iso(occurred_at) if occurred_at else received, original_timestamp=None,
        sent_at=None, received_at=received, payload=orjson.dumps(payload))
