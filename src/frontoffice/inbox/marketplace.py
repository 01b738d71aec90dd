"""Marketplace buyer messages: Mirakl's message threads (the marketplace platform behind many
European marketplaces), as its messages API (M10, ``GET /api/inbox/threads/{thread_id}``) returns
them, pushed to a signed webhook. The buyer's Mirakl id joins the golden record as the identifier
``marketplace_buyer`` ``mirakl:<customer id>``; the thread's order entity is attached to the ticket;
the thread id threads later messages of it. Pure mapping plus the signature check."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping
from typing import Any

from frontoffice.errors import InvalidInput
from frontoffice.inbox.intake import Incoming

SIGNATURE_HEADER = "X-Frontoffice-Signature"
ORDER_ENTITIES = ("MMP_ORDER", "MPS_ORDER")


def sign(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()


def signature_refusal(secret: str | None, header: str | None, body: bytes) -> str | None:
    """None when the signature is right, else what is wrong."""
    if secret is None:
        return ("This source has no webhook secret; set one with "
                "`frontoffice service secret WORKSPACE/SOURCE`.")
    if not header:
        return f"Missing {SIGNATURE_HEADER}: sha256=<hex HMAC-SHA256 of the body>."
    if not hmac.compare_digest(header.strip().lower(), sign(secret, body)):
        return f"{SIGNATURE_HEADER} does not match the body; sign the exact bytes you send."
    return None


def mirakl_thread(thread: Mapping[str, Any]) -> list[Incoming]:
    """The customers' messages of a Mirakl thread, oldest first (the shop's and the operator's
    are the seller side: not incoming)."""
    thread_id = thread.get("id")
    if not isinstance(thread_id, str) or not isinstance(thread.get("messages"), list):
        raise InvalidInput("A Mirakl thread needs its 'id' and its 'messages' (M10's response).")
    orders = tuple(str(e["id"]) for e in thread.get("entities", []) or []
                   if isinstance(e, Mapping) and e.get("type") in ORDER_ENTITIES and e.get("id"))
    topic = thread.get("topic") or {}
    subject = str(topic.get("value") or "") if isinstance(topic, Mapping) else ""
    found = []
    for message in sorted(thread["messages"], key=lambda m: str(m.get("date_created", ""))):
        sender = message.get("from") or {}
        if sender.get("type") != "CUSTOMER" or not message.get("body"):
            continue
        buyer = str(sender.get("id") or "")
        if not buyer:
            raise InvalidInput(f"Message {message.get('id')!r} of thread {thread_id!r} names no customer id.")
        message_id = str(message.get("id") or hashlib.sha256(str(message).encode()).hexdigest()[:24])
        found.append(Incoming(
            channel="marketplace", message_id=f"mirakl:{message_id}",
            sender_kind="marketplace_buyer", sender=f"mirakl:{buyer}",
            sender_name=str(sender.get("display_name") or ""), subject=subject, text=str(message["body"]),
            thread_keys=(f"mirakl:thread:{thread_id}",), orders=orders))
    return found
