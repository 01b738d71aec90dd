"""Asking for a rating after a solve: an e-mail with one link per score (1 to 5). Each link
carries a random token logged with the request (``csat.requested``), so a rating needs no
sign-in and cannot be made for another ticket."""

from __future__ import annotations

import secrets
from datetime import datetime

from frontoffice.inbox import mail
from frontoffice.inbox.deps import Desk
from frontoffice.inbox.ports import Ticket
from frontoffice.inbox.projector import log_and_project, record

TEXT = ("Hello {name},\n\nyour request \"{subject}\" is solved. How did we do? One click rates it:\n\n"
        "{links}\n\nThank you!")


def ask(desk: Desk, ws: str, t: Ticket, now: datetime) -> str | None:
    """E-mail the requester a rating request (e-mail tickets, when a relay is configured); the token."""
    if t.channel != "email" or desk.mailer is None or t.doc.get("csat_token"):
        return None
    token = secrets.token_urlsafe(18)
    base = f"{desk.public_url.rstrip('/')}/inbox/v1/csat/{ws}/{token}"
    links = "\n".join(f"{score}/5: {base}?score={score}" for score in range(5, 0, -1))
    text = TEXT.format(name=t.doc["requester"].get("name") or "", subject=t.doc.get("subject", ""),
                       links=links)
    message = mail.compose(sender=desk.address, to=t.doc["requester"]["value"],
                           subject=f"How did we do? {t.doc.get('subject', '')}".strip(), text=text,
                           token=t.ticket_id, at=now, in_reply_to=None, references=(), reply=False,
                           domain=desk.address.partition("@")[2] or "frontoffice.invalid")
    desk.mailer.send(message)
    log_and_project(desk.inbox, ws, [record(f"{t.ticket_id}:csat:{token}", "csat.requested", {
        "ticket_id": t.ticket_id, "token": token, "at": now.isoformat(),
        "thread_keys": [f"csat:{token}", f"mid:{message['Message-ID']}"]}, now)])
    return token
