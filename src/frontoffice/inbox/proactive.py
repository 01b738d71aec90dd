"""Proactive conversations: a late or failed delivery opens a ticket and writes to the customer
before they write in. Each alert opens one conversation, however often the sweep runs: its
events' message ids come from the alert, and the log keeps a message id once."""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Any

from frontoffice.inbox import mail, slas
from frontoffice.inbox.deps import Desk
from frontoffice.inbox.macros import body_for, render
from frontoffice.inbox.projector import log_and_project, record

TEXTS = {
    "shipment.late": "Hello {{customer.name}}, your order {{order.id}} is running late with "
                     "{{shipment.carrier}}. We are on it and will write again as soon as it moves; "
                     "reply here with any question.",
    "shipment.failed": "Hello {{customer.name}}, the delivery of your order {{order.id}} failed. Reply to "
                       "this message and we will send it again or refund it, as you prefer.",
}
SUBJECTS = {"shipment.late": "Your order {order} is delayed",
            "shipment.failed": "Your order {order} could not be delivered"}


def _ticket_id(alert: dict[str, Any]) -> str:
    return "T" + hashlib.sha256(f"{alert['type']}:{alert['shipment_id']}".encode()).hexdigest()[:16]


def open_for_alerts(desk: Desk, ws: str, now: datetime) -> list[str]:
    """Open a conversation for each delivery alert that has none yet; the tickets opened."""
    opened = []
    for alert in desk.customers.delivery_alerts(ws):
        tid = _ticket_id(alert)
        if desk.inbox.ticket(ws, tid) is not None:
            continue
        order = desk.customers.order(ws, alert["order_id"]) or {}
        email = (order.get("customer") or {}).get("email")
        if not email:
            continue  # nobody to write to: the alert stays on the commerce page
        person = desk.customers.resolve(ws, "email", email)
        golden = desk.customers.golden(ws, person) if person else {}  # no orders read: 525 alerts
        saved = desk.inbox.entity(ws, "macro", alert["type"])
        template = body_for(saved, golden.get("locale")) if saved else TEXTS[alert["type"]]
        text = render(template, {"customer": {"name": golden.get("given_name") or "there"},
                                 "order": {"id": alert["order_id"]},
                                 "shipment": {"carrier": alert.get("carrier") or "the carrier"}})
        subject = SUBJECTS[alert["type"]].format(order=alert["order_id"])
        header_id = None
        if desk.mailer is not None:
            message = mail.compose(sender=desk.address, to=email, subject=subject, text=text, token=tid,
                                   at=now, in_reply_to=None, references=(), reply=False,
                                   domain=desk.address.partition("@")[2] or "frontoffice.invalid")
            desk.mailer.send(message)
            header_id = str(message["Message-ID"])
        at = now.isoformat()
        sent_id = header_id or f"proactive:{tid}"
        clock = slas.clock(desk, ws, "high", "email", person, None, now)
        log_and_project(desk.inbox, ws, [
            record(f"{tid}:opened", "ticket.opened", {
                "ticket_id": tid, "channel": "email", "subject": subject, "at": at, "person_id": person,
                "requester": {"kind": "email", "value": email, "name": ""}, "priority": "high",
                "keys": [f"email:{email}"], "tags": ["proactive", alert["type"]],
                "customer": {"email": email},
                "sla": clock}, now),
            record(f"{tid}:proactive", "message.sent", {
                "ticket_id": tid, "message_id": sent_id, "header_id": header_id, "author": "frontoffice",
                "text": text, "at": at, "orders": [alert["order_id"]], "customer": {"email": email},
                "thread_keys": [f"mid:{header_id}"] if header_id else []}, now),
            record(f"{tid}:pending", "ticket.updated", {
                "ticket_id": tid, "changes": {"status": "pending",
                                              "sla": {**clock, "paused_since": at}},
                "by": "frontoffice", "at": at}, now)])
        opened.append(tid)
    return opened
