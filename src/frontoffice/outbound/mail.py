"""Delivering the outbox's e-mail over SMTP: each queued message is rendered in the person's
language and sent; a failure is retried on the next round up to ``max_attempts``, a permanent
refusal (5xx) is a bounce, and every attempt is logged with the server's answer."""

from __future__ import annotations

import smtplib
from dataclasses import dataclass
from email.message import EmailMessage
from typing import Protocol

import orjson
import sqlalchemy as sa

from frontoffice.domain.events import iso, now
from frontoffice.outbound.templates import render
from frontoffice.storage.sql import SqlStore
from frontoffice.storage.tables import schema

MAX_ATTEMPTS = 3


class Mailer(Protocol):
    def send(self, to: str, subject: str, body: str, locale: str) -> None: ...


@dataclass(frozen=True, slots=True)
class SmtpMailer:
    """Plain SMTP to ``host:port`` (a relay or the local MTA)."""

    host: str
    port: int
    sender: str
    timeout: float = 10.0

    def send(self, to: str, subject: str, body: str, locale: str) -> None:
        message = EmailMessage()
        message["From"], message["To"], message["Subject"] = self.sender, to, subject
        message.set_content(body)
        message["Content-Language"] = locale
        with smtplib.SMTP(self.host, self.port, timeout=self.timeout) as smtp:
            smtp.send_message(message)


def _answer(exc: Exception) -> tuple[str, bool]:
    """What the server said (never the address), and whether it is permanent."""
    code = getattr(exc, "smtp_code", None)
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = [c for c, _ in exc.recipients.values()]
        code = codes[0] if codes else None
    permanent = isinstance(code, int) and 500 <= code < 600
    return f"{type(exc).__name__}" + (f" {code}" if code else ""), permanent


def deliver(store: SqlStore, ws: str, mailer: Mailer, max_attempts: int = MAX_ATTEMPTS) -> dict[str, int]:
    """Send every queued or retrying e-mail of ``ws``; counts by resulting status."""
    tables = schema(store.dialect).tables
    outbox, log = tables["message_outbox"], tables["message_deliveries"]
    o, d = outbox.c, log.c
    with store.connect() as conn:
        waiting = conn.execute(sa.select(o.message_id, o.address, o.template_id, o.variables).where(
            o.workspace_id == ws, o.channel == "email", o.status.in_(("queued", "retrying")))
            .order_by(o.id)).all()
    counts: dict[str, int] = {}
    for m in waiting:
        with store.connect() as conn:
            tried = int(conn.execute(sa.select(sa.func.count()).where(
                d.workspace_id == ws, d.message_id == m.message_id)).scalar_one())
        try:
            subject, body, locale = render(m.template_id, orjson.loads(m.variables))
            mailer.send(m.address, subject, body, locale)
            status, detail = "sent", "250 accepted"
        except (smtplib.SMTPException, OSError) as exc:
            detail, permanent = _answer(exc)
            status = "bounced" if permanent else "failed" if tried + 1 >= max_attempts else "retrying"
        except KeyError:
            status, detail = "failed", f"no template {m.template_id!r}"
        with store.begin() as conn:
            conn.execute(log.insert().values(workspace_id=ws, message_id=m.message_id, attempt=tried + 1,
                                             status=status, detail=detail, at=iso(now())))
            conn.execute(outbox.update().where(o.workspace_id == ws, o.message_id == m.message_id)
                         .values(status=status))
        counts[status] = counts.get(status, 0) + 1
    return counts


def deliveries(store: SqlStore, ws: str, message_id: str) -> list[dict[str, object]]:
    d = schema(store.dialect).tables["message_deliveries"].c
    with store.connect() as conn:
        rows = conn.execute(sa.select(d.attempt, d.status, d.detail, d.at).where(
            d.workspace_id == ws, d.message_id == message_id).order_by(d.attempt)).all()
    return [{"attempt": r.attempt, "status": r.status, "detail": r.detail, "at": r.at} for r in rows]
