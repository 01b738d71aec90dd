"""Messages in: e-mail (SMTP, IMAP) and the API's channels. Each is threaded onto its ticket (by
Message-ID / In-Reply-To / References, then the ticket token in the subject, then sender and
subject), linked to the golden record, understood (language, category, sentiment) and, when new,
given SLA due times and routed. Everything it decides is logged as ``inbox`` events."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from frontoffice.domain.events import EventRecord
from frontoffice.domain.tenancy import new_id
from frontoffice.inbox import escalation, mail, selfservice, slas
from frontoffice.inbox.deps import Desk
from frontoffice.inbox.ports import Understanding
from frontoffice.inbox.projector import log_and_project, record
from frontoffice.inbox.quotes import strip_reply
from frontoffice.inbox.routing import Agent, Need, route

# an id-like token with a digit (ASCII: CJK text runs into numbers without spaces); only those
# that are real orders are linked
_ORDER_REF = re.compile(r"(?<![A-Za-z0-9_-])#?([A-Za-z0-9][A-Za-z0-9_-]{1,39})(?![A-Za-z0-9_-])")
MAX_ORDER_REFS = 20


@dataclass(frozen=True, slots=True)
class Receipt:
    ticket_id: str | None
    new: bool
    automatic: str | None
    refused: tuple[str, ...]
    assigned_to: str | None = None
    dropped: str | None = None  # why the message was not kept


@dataclass(frozen=True, slots=True)
class Incoming:
    """One message of any channel, as the inbox threads it."""

    channel: str
    message_id: str
    sender_kind: str  # email, phone, marketplace_buyer, chat
    sender: str
    sender_name: str
    subject: str
    text: str
    thread_keys: tuple[str, ...]  # the keys that may find its ticket, best first
    token: str | None = None
    html: str = ""
    attachments: tuple[dict[str, Any], ...] = ()
    extra: tuple[tuple[str, Any], ...] = ()
    orders: tuple[str, ...] = ()  # orders the channel attached (a marketplace thread's order)


def order_refs(desk: Desk, ws: str, text: str) -> list[str]:
    """Order numbers quoted in ``text`` that are real orders."""
    found = sorted({m.group(1) for m in _ORDER_REF.finditer(text) if any(c.isdigit() for c in m.group(1))})
    return [ref for ref in found[:MAX_ORDER_REFS] if desk.customers.order(ws, ref) is not None]


def customer_of(kind: str, value: str) -> dict[str, str]:
    """Who the message is from, in the shape the log's privacy checks read (``customer``: the
    events of an erased person are suppressed at append)."""
    if kind == "marketplace_buyer":
        return {"buyer_id": value.partition(":")[2] or value}
    if kind == "social":  # network:handle, the profile's anonymous id in identity
        return {"anonymous_id": value}
    return {kind: value} if kind in ("email", "phone") else {}


def _subject_key(sender: str, subject: str) -> str:
    return f"subject:{sender}|{mail.subject_key(subject)}"


def find_ticket(desk: Desk, ws: str, item: Incoming) -> str | None:
    """The active ticket this message belongs to, following merges; None: a new conversation."""
    found = desk.inbox.thread(ws, list(item.thread_keys))
    if found is None and item.token and desk.inbox.ticket(ws, item.token) is not None:
        found = item.token
    if found is None and item.subject:
        found = desk.inbox.thread(ws, [_subject_key(item.sender, item.subject)])
    for _ in range(20):  # a merge chain
        ticket = desk.inbox.ticket(ws, found) if found else None
        if ticket is None:
            return None
        if ticket.doc.get("merged_into"):
            found = ticket.doc["merged_into"]
            continue
        return ticket.ticket_id if ticket.status != "closed" else None
    return None


def receive_email(desk: Desk, ws: str, raw: bytes, now: datetime) -> Receipt:
    parsed, refused = mail.parse(raw, desk.max_attachment_bytes)
    if parsed.automatic:
        # recorded, never answered and never opening a ticket: no reply loop with an autoresponder
        log_and_project(desk.inbox, ws, [record(f"auto:{parsed.message_id}", "mail.automatic", {
            "message_id": parsed.message_id, "from": parsed.sender, "subject": parsed.subject,
            "reason": parsed.automatic}, now)])
        return Receipt(None, False, parsed.automatic, tuple(refused))
    attachments = []
    for a in parsed.attachments:
        desk.inbox.put_blob(ws, a.sha256, a.content_type, a.data)
        attachments.append({"filename": a.filename, "content_type": a.content_type,
                            "size": len(a.data), "sha256": a.sha256})
    keys = tuple(f"mid:{i}" for i in (*reversed(parsed.in_reply_to), *reversed(parsed.references)))
    item = Incoming("email", parsed.message_id, "email", parsed.sender, parsed.sender_name,
                    parsed.subject, parsed.text, keys, parsed.token, parsed.html, tuple(attachments),
                    (("header_id", parsed.message_id), ("references", [*parsed.references]),
                     ("refused", refused)))
    receipt = receive(desk, ws, item, now)
    return Receipt(receipt.ticket_id, receipt.new, None, tuple(refused), receipt.assigned_to, receipt.dropped)


def receive(desk: Desk, ws: str, item: Incoming, now: datetime) -> Receipt:
    """Thread, link, understand, route and log one incoming message."""
    at = now.isoformat()
    stripped = strip_reply(item.text)
    understanding = desk.understand(ws, [stripped or item.subject])[0]
    ticket_id = find_ticket(desk, ws, item)
    records: list[EventRecord] = []
    new = ticket_id is None
    person_id = desk.customers.resolve(ws, item.sender_kind, item.sender)
    assigned: str | None = None
    vip = new and person_id is not None and desk.segments.member(ws, person_id, desk.vip_segment)
    if ticket_id is None:
        ticket_id = "T" + new_id()
        priority = "high" if (understanding.sentiment == "negative"
                              and understanding.sentiment_confidence >= 0.7) else "normal"
        priority = "urgent" if vip and priority == "high" else priority
        keys = [f"{item.sender_kind}:{item.sender}"]
        choice = route(Need(understanding.language, understanding.category, item.channel, vip),
                       [Agent.of(d) for d in desk.inbox.entities(ws, "agent")], desk.inbox.open_load(ws))
        records.append(record(f"{ticket_id}:opened", "ticket.opened", {
            "ticket_id": ticket_id, "channel": item.channel, "subject": item.subject, "at": at,
            "requester": {"kind": item.sender_kind, "value": item.sender, "name": item.sender_name},
            "person_id": person_id, "priority": priority, "keys": keys, "tags": ["vip"] if vip else [],
            "customer": customer_of(item.sender_kind, item.sender),
            "sla": slas.clock(desk, ws, priority, item.channel, person_id, choice.team, now)}, now))
    receipt_id = f"{ticket_id}:in:{item.message_id}"
    current = None if new else desk.inbox.ticket(ws, ticket_id)
    # the customer answered: a ticket pending on them reopens and its SLA clock runs again
    resumed = slas.paused(desk, ws, current, "open", now) if current and current.status == "pending" else None
    records.append(record(receipt_id, "message.received", {
        "ticket_id": ticket_id, "message_id": item.message_id, "at": at, "channel": item.channel,
        "from": item.sender, "from_name": item.sender_name, "subject": item.subject,
        "text": item.text, "stripped": stripped, "html": item.html,
        "customer": customer_of(item.sender_kind, item.sender),
        "attachments": list(item.attachments), **({"sla": resumed} if resumed else {}),
        "orders": sorted({*order_refs(desk, ws, item.text), *item.orders}),
        "thread_keys": [f"mid:{item.message_id}",
                        *([_subject_key(item.sender, item.subject)] if item.subject else []),
                        *(k for k in item.thread_keys if not k.startswith("mid:"))],
        **dict(item.extra)}, now))
    records.append(record(f"{receipt_id}:understood", "ticket.classified", {
        "ticket_id": ticket_id, "message_id": item.message_id, "at": at,
        "understanding": _as_dict(understanding)}, now))
    if item.channel == "chat":
        records += _self_service(desk, ws, ticket_id, person_id, item, understanding, now)
    if new:
        if choice.agent_id:
            assigned = choice.agent_id
            records.append(record(f"{ticket_id}:assigned:{new_id()}", "ticket.assigned", {
                "ticket_id": ticket_id, "agent_id": choice.agent_id, "team": choice.team,
                "reason": choice.reason, "at": at}, now))
        else:
            records.append(record(f"{ticket_id}:unrouted:{new_id()}", "ticket.updated", {
                "ticket_id": ticket_id, "changes": {"tags_add": ["unrouted"]}, "by": "router",
                "reason": choice.reason, "at": at}, now))
    if log_and_project(desk.inbox, ws, records).suppressed:
        return Receipt(None, False, None, (), None, "the sender's data was erased: the message was not kept")
    if understanding.sentiment == "negative" and (escalated := escalation.after_message(desk, ws, ticket_id,
                                                                                        now)):
        assigned = escalated.assignee
    return Receipt(ticket_id, new, None, (), assigned)


def _as_dict(u: Any) -> dict[str, Any]:
    return {"language": u.language, "language_confidence": round(u.language_confidence, 4),
            "category": u.category, "category_confidence": round(u.category_confidence, 4),
            "sentiment": u.sentiment, "sentiment_confidence": round(u.sentiment_confidence, 4)}


def _self_service(desk: Desk, ws: str, ticket_id: str, person_id: str | None, item: Incoming,
                  understanding: Understanding, now: datetime) -> list[EventRecord]:
    """A chat's "where is my order" answered from commerce's data, if it can be."""
    context = desk.customers.context(ws, person_id, [f"{item.sender_kind}:{item.sender}"])
    mentioned = sorted({*order_refs(desk, ws, item.text), *item.orders})
    text = selfservice.where_is_my_order(understanding, context, mentioned)
    if text is None:
        return []
    at, sent_id = now.isoformat(), f"self:{item.message_id}"
    return [record(f"{ticket_id}:out:{sent_id}", "message.sent", {
                "ticket_id": ticket_id, "message_id": sent_id, "header_id": None,
                "author": selfservice.AUTHOR, "text": text, "at": at, "thread_keys": []}, now),
            record(f"{ticket_id}:self:{item.message_id}", "ticket.updated", {
                "ticket_id": ticket_id, "changes": {"tags_add": ["self_service"]}, "by": selfservice.AUTHOR,
                "at": at}, now)]

