"""Delivering the outbox's SMS and push messages through one generic HTTP provider (a gateway that
relays them to the carriers and the push services), with retries, bounces and delivery status.

Each queued ``sms`` or ``push`` message is rendered in the person's language (their name written
their language's way) and POSTed as JSON to ``message_provider_url``::

    {"message_id": "mom_…", "channel": "sms", "to": "+81…", "locale": "ja",
     "title": "<the template's subject>", "text": "<the template's body>",
     "status_callback": "<message_provider_callback_url>/outbound/v1/workspaces/WS/messages/ID/status"}

signed like destinations' webhooks: ``X-Frontoffice-Signature: sha256=<hex HMAC-SHA256 of the body
keyed by message_provider_secret>``. A 2xx answer means the provider took it (``sent``); a 4xx
(but 408, 425, 429) is a permanent refusal (``bounced``: an invalid number, an unknown device); a
5xx, 408, 425, 429 or no answer is retried on the next round, ``failed`` after ``max_attempts``.
Later the provider POSTs ``{"status": "delivered" | "failed" | "bounced", "detail": "…"}``, signed
the same way, to the status callback; ``apply_status`` records it. Every attempt and status is a
row of ``message_deliveries`` with the provider's answer, never the address.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass

import httpx
import orjson
import sqlalchemy as sa

from frontoffice.domain.events import iso, now
from frontoffice.errors import InvalidInput, NotFound
from frontoffice.outbound.templates import render
from frontoffice.storage.sql import SqlStore
from frontoffice.storage.tables import schema

MAX_ATTEMPTS = 3
CHANNELS = ("sms", "push")
SIGNATURE_HEADER = "X-Frontoffice-Signature"
PERMANENT = frozenset(range(400, 500)) - {408, 425, 429}
FINAL_STATUSES = ("delivered", "failed", "bounced")
CALLBACK_PREFIX = "/outbound/v1"  # signed, not token-bearing: outside /api/


def sign(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()


def verify(secret: str, body: bytes, signature: str | None) -> bool:
    return signature is not None and hmac.compare_digest(sign(secret, body), signature)


@dataclass(frozen=True, slots=True)
class HttpProvider:
    url: str
    secret: str
    callback_base: str
    timeout: float = 10.0

    def payload(self, ws: str, message_id: str, channel: str, to: str, locale: str, title: str,
                text: str) -> bytes:
        base = self.callback_base.rstrip("/") + CALLBACK_PREFIX
        callback = f"{base}/workspaces/{ws}/messages/{message_id}/status"
        return orjson.dumps({"message_id": message_id, "channel": channel, "to": to, "locale": locale,
                             "title": title, "text": text, "status_callback": callback})

    def post(self, client: httpx.Client, body: bytes, delivery_id: str) -> httpx.Response:
        return client.post(self.url, content=body, headers={
            "Content-Type": "application/json", SIGNATURE_HEADER: sign(self.secret, body),
            "X-Frontoffice-Delivery": delivery_id})


def outcome(response: httpx.Response | None, error: str, tried: int, max_attempts: int) -> tuple[str, str]:
    """(status, detail) of attempt ``tried``: the provider's answer, or ``error`` when none came."""
    if response is not None and 200 <= response.status_code < 300:
        return "sent", f"HTTP {response.status_code} accepted"
    detail = f"HTTP {response.status_code}" if response is not None else error
    if response is not None and response.status_code in PERMANENT:
        return "bounced", f"{detail}: the provider refused it; not retried"
    return ("failed" if tried >= max_attempts else "retrying"), detail


def deliver(store: SqlStore, ws: str, provider: HttpProvider, max_attempts: int = MAX_ATTEMPTS
            ) -> dict[str, int]:
    """Send every queued or retrying SMS and push message of ``ws``; counts by resulting status."""
    tables = schema(store.dialect).tables
    outbox, log = tables["message_outbox"], tables["message_deliveries"]
    o, d = outbox.c, log.c
    with store.connect() as conn:
        waiting = conn.execute(sa.select(o.message_id, o.channel, o.address, o.template_id, o.variables)
                               .where(o.workspace_id == ws, o.channel.in_(CHANNELS),
                                      o.status.in_(("queued", "retrying"))).order_by(o.id)).all()
    counts: dict[str, int] = {}
    with httpx.Client(timeout=httpx.Timeout(provider.timeout, connect=min(provider.timeout, 3.0)),
                      trust_env=False) as client:
        for m in waiting:
            with store.connect() as conn:
                tried = int(conn.execute(sa.select(sa.func.count()).where(
                    d.workspace_id == ws, d.message_id == m.message_id)).scalar_one()) + 1
            try:
                title, text, locale = render(m.template_id, orjson.loads(m.variables))
            except KeyError:
                status, detail = "failed", f"no template {m.template_id!r}"
            else:
                body = provider.payload(ws, m.message_id, m.channel, m.address, locale, title, text)
                response, error = None, ""
                try:
                    response = provider.post(client, body, f"{m.message_id}:{tried}")
                except httpx.HTTPError as exc:
                    error = type(exc).__name__
                status, detail = outcome(response, error, tried, max_attempts)
            _record(store, ws, m.message_id, tried, status, detail)
            counts[status] = counts.get(status, 0) + 1
    return counts


def _record(store: SqlStore, ws: str, message_id: str, attempt: int, status: str, detail: str) -> None:
    tables = schema(store.dialect).tables
    outbox, log = tables["message_outbox"], tables["message_deliveries"]
    with store.begin() as conn:
        conn.execute(log.insert().values(workspace_id=ws, message_id=message_id, attempt=attempt,
                                         status=status, detail=detail, at=iso(now())))
        conn.execute(outbox.update().where(outbox.c.workspace_id == ws, outbox.c.message_id == message_id)
                     .values(status=status))


def apply_status(store: SqlStore, ws: str, message_id: str, doc: object) -> dict[str, str]:
    """The provider's status callback: the message's final status, logged as one more row."""
    if not isinstance(doc, dict) or doc.get("status") not in FINAL_STATUSES:
        raise InvalidInput(f'A status callback is {{"status": one of {", ".join(FINAL_STATUSES)}, '
                           '"detail": "..."}.')
    detail = str(doc.get("detail") or doc["status"])[:500]
    tables = schema(store.dialect).tables
    o, d = tables["message_outbox"].c, tables["message_deliveries"].c
    with store.connect() as conn:
        found = conn.execute(sa.select(o.channel).where(
            o.workspace_id == ws, o.message_id == message_id)).first()
        attempt = conn.execute(sa.select(sa.func.max(d.attempt)).where(
            d.workspace_id == ws, d.message_id == message_id)).scalar()
    if found is None or found.channel not in CHANNELS:
        raise NotFound(f"No SMS or push message {message_id!r} in this workspace.")
    _record(store, ws, message_id, int(attempt or 0), doc["status"], f"provider: {detail}")
    return {"message_id": message_id, "status": doc["status"]}
