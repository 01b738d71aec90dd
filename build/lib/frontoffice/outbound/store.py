"""The outbound decision log and the message outbox, one SQL for SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import orjson

from frontoffice.domain.events import iso, now
from frontoffice.outbound.gate import Verdict
from frontoffice.storage.sql import SqlStore


@dataclass(frozen=True, slots=True)
class Logged:
    """One gate verdict on one outbound path (a decision's action, or a message)."""

    path: str  # "decision" | "message"
    request_id: str
    action: str
    purpose: str
    channel: str
    verdict: Verdict


@dataclass(frozen=True, slots=True)
class OutboxMessage:
    message_id: str
    person_id: str
    channel: str
    address: str
    purpose: str
    template_id: str
    variables: dict[str, Any]
    reason: str
    rule: str


class OutboundStore:
    def __init__(self, store: SqlStore) -> None:
        self._store = store

    def log(self, ws: str, rows: Sequence[Logged]) -> None:
        at = iso(now())
        with self._store.transaction() as cur:
            cur.executemany(self._store.sql(
                "INSERT INTO outbound_decisions (workspace_id, path, request_id, person, action, purpose, "
                "channel, allowed, reason, rule, region, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"),
                [(ws, r.path, r.request_id, r.verdict.person, r.action, r.purpose, r.channel,
                  int(r.verdict.allowed), r.verdict.reason, r.verdict.rule, r.verdict.region, at)
                 for r in rows])

    def logged(self, ws: str, request_id: str | None = None) -> list[dict[str, Any]]:
        where, params = ("workspace_id = ?", [ws]) if request_id is None else (
            "workspace_id = ? AND request_id = ?", [ws, request_id])
        rows = self._store.query(
            "SELECT path, request_id, person, action, purpose, channel, allowed, reason, rule, region, at "
            f"FROM outbound_decisions WHERE {where} ORDER BY id", params)
        keys = ("path", "request_id", "person", "action", "purpose", "channel", "allowed", "reason", "rule",
                "region", "at")
        return [{**dict(zip(keys, r, strict=True)), "allowed": bool(r[6])} for r in rows]

    def enqueue(self, ws: str, message: OutboxMessage, logged: Logged) -> bool:
        """Queue the message and log the verdict in one transaction; False if the id was queued before."""
        at = iso(now())
        with self._store.transaction() as cur:
            cur.execute(self._store.sql(
                "INSERT INTO message_outbox (workspace_id, message_id, person_id, channel, address, purpose, "
                "template_id, variables, status, reason, rule, created_at) VALUES "
                "(?, ?, ?, ?, ?, ?, ?, ?, 'queued', ?, ?, ?) "
                "ON CONFLICT (workspace_id, message_id) DO NOTHING"),
                (ws, message.message_id, message.person_id, message.channel, message.address, message.purpose,
                 message.template_id, orjson.dumps(message.variables).decode(), message.reason, message.rule,
                 at))
            if cur.rowcount != 1:
                return False
            v = logged.verdict
            cur.execute(self._store.sql(
                "INSERT INTO outbound_decisions (workspace_id, path, request_id, person, action, purpose, "
                "channel, allowed, reason, rule, region, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"),
                (ws, logged.path, logged.request_id, v.person, logged.action, logged.purpose, logged.channel,
                 int(v.allowed), v.reason, v.rule, v.region, at))
        return True

    def outbox(self, ws: str) -> list[dict[str, Any]]:
        rows = self._store.query(
            "SELECT message_id, person_id, channel, address, purpose, template_id, variables, status, "
            "reason, rule, created_at FROM message_outbox WHERE workspace_id = ? ORDER BY id", (ws,))
        keys = ("message_id", "person_id", "channel", "address", "purpose", "template_id", "variables",
                "status", "reason", "rule", "created_at")
        return [{**dict(zip(keys, r, strict=True)), "variables": orjson.loads(r[6])} for r in rows]
