"""The DSR tables, one SQL implementation for SQLite and PostgreSQL.

``dsr_audit`` is append-only (a trigger refuses UPDATE and DELETE on both backends). The outbox
and artefacts hold personal data for as long as they are needed: the outbox row until the
request is closed, artefacts until the person is erased.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import orjson

from frontoffice.domain.events import iso
from frontoffice.dsr.model import DsrRequest, Kind, Status
from frontoffice.dsr.tokens import StoredToken
from frontoffice.storage.sql import SqlStore

_COLS = ("id, workspace_id, kind, status, person_id, requester_kind, requester_masked, contact_kind, "
         "contact_masked, region, region_reason, opened_at, due_at, extended_due_at, extension_reason, "
         "verified_at, closed_at, reason, details, outcome")


def _dt(value: object) -> datetime | None:
    return None if value is None else datetime.fromisoformat(str(value))


def _at(value: object) -> datetime:
    return datetime.fromisoformat(str(value))


def _request(r: Sequence[Any]) -> DsrRequest:
    return DsrRequest(r[0], r[1], Kind(r[2]), Status(r[3]), r[4], r[5], r[6], r[7], r[8], r[9], r[10],
                      _at(r[11]), _at(r[12]), _dt(r[13]), r[14], _dt(r[15]), _dt(r[16]), r[17],
                      orjson.loads(r[18]) if r[18] else {}, orjson.loads(r[19]) if r[19] else None)


@dataclass(frozen=True, slots=True)
class AuditRow:
    id: int
    request_id: str
    at: str
    actor: str
    action: str
    detail: dict[str, Any]


@dataclass(frozen=True, slots=True)
class OutboxMessage:
    id: int
    request_id: str
    channel: str
    recipient: str
    body: str
    created_at: str


class DsrSql:
    def __init__(self, store: SqlStore) -> None:
        self._store = store

    def _read(self, statement: str, params: Sequence[Any] = ()) -> list[Any]:
        return self._store.query(statement, params)

    # -- requests ------------------------------------------------------------------------
    def insert(self, r: DsrRequest, requester_hash: str, actor: str, detail: dict[str, Any]) -> None:
        """The request and its ``opened`` audit row, in one transaction."""
        with self._store.transaction() as cur:
            cur.execute(self._store.sql(
                f"INSERT INTO dsr_requests ({_COLS}, requester_hash) VALUES "
                "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"),
                (r.id, r.workspace_id, r.kind.value, r.status.value, r.person_id, r.requester_kind,
                 r.requester_masked, r.contact_kind, r.contact_masked, r.region, r.region_reason,
                 iso(r.opened_at), iso(r.due_at), None, None, None, None, r.reason,
                 orjson.dumps(r.details).decode(), None, requester_hash))
            self._audit(cur, r.workspace_id, r.id, r.opened_at, actor, "opened", detail)

    def update(self, r: DsrRequest, actor: str, at: datetime, action: str, detail: dict[str, Any]) -> None:
        """Store the request's new state and its audit row together."""
        with self._store.transaction() as cur:
            cur.execute(self._store.sql(
                "UPDATE dsr_requests SET status = ?, contact_kind = ?, contact_masked = ?, "
                "extended_due_at = ?, extension_reason = ?, verified_at = ?, closed_at = ?, reason = ?, "
                "details = ?, outcome = ? WHERE workspace_id = ? AND id = ?"),
                (r.status.value, r.contact_kind, r.contact_masked,
                 iso(r.extended_due_at) if r.extended_due_at else None, r.extension_reason,
                 iso(r.verified_at) if r.verified_at else None, iso(r.closed_at) if r.closed_at else None,
                 r.reason, orjson.dumps(r.details).decode(),
                 orjson.dumps(r.outcome).decode() if r.outcome is not None else None,
                 r.workspace_id, r.id))
            self._audit(cur, r.workspace_id, r.id, at, actor, action, detail)

    def get(self, ws: str, request_id: str) -> DsrRequest | None:
        rows = self._read(f"SELECT {_COLS} FROM dsr_requests WHERE workspace_id = ? AND id = ?",
                          (ws, request_id))
        return _request(rows[0]) if rows else None

    def requests(self, ws: str, status: str | None = None, limit: int = 1000) -> list[DsrRequest]:
        where, params = "workspace_id = ?", [ws]
        if status:
            where, params = where + " AND status = ?", [*params, status]
        rows = self._read(f"SELECT {_COLS} FROM dsr_requests WHERE {where} ORDER BY due_at, id LIMIT ?",
                          (*params, limit))
        return [_request(r) for r in rows]

    def of_person(self, ws: str, person_id: str) -> list[str]:
        rows = self._read("SELECT id FROM dsr_requests WHERE workspace_id = ? AND person_id = ?",
                          (ws, person_id))
        return [r[0] for r in rows]

    def forget_details(self, ws: str, request_ids: Sequence[str]) -> int:
        """Drop what requests carry of the person (corrected values of a pending rectification)."""
        done = 0
        for rid in request_ids:
            done += self._store.execute("UPDATE dsr_requests SET details = '{}' WHERE workspace_id = ? AND "
                                        "id = ? AND details <> '{}'", (ws, rid))
        return done

    # -- tokens --------------------------------------------------------------------------
    def set_token(self, ws: str, request_id: str, token_hash: str, expires_at: datetime,
                  created_at: datetime) -> None:
        with self._store.transaction() as cur:
            cur.execute(self._store.sql("DELETE FROM dsr_tokens WHERE workspace_id = ? AND request_id = ?"),
                        (ws, request_id))
            cur.execute(self._store.sql(
                "INSERT INTO dsr_tokens (workspace_id, request_id, token_hash, expires_at, attempts, "
                "used_at, created_at) VALUES (?, ?, ?, ?, 0, NULL, ?)"),
                (ws, request_id, token_hash, iso(expires_at), iso(created_at)))

    def token(self, ws: str, request_id: str) -> StoredToken | None:
        rows = self._read("SELECT token_hash, expires_at, attempts, used_at FROM dsr_tokens WHERE "
                          "workspace_id = ? AND request_id = ?", (ws, request_id))
        if not rows:
            return None
        return StoredToken(rows[0][0], _at(rows[0][1]), int(rows[0][2]), _dt(rows[0][3]))

    def count_attempt(self, ws: str, request_id: str) -> None:
        self._store.execute("UPDATE dsr_tokens SET attempts = attempts + 1 WHERE workspace_id = ? AND "
                            "request_id = ?", (ws, request_id))

    def use_token(self, ws: str, request_id: str, at: datetime) -> bool:
        """Compare-and-set: only one caller can use a token, even two at the same instant."""
        return self._store.execute("UPDATE dsr_tokens SET used_at = ? WHERE workspace_id = ? AND "
                                   "request_id = ? AND used_at IS NULL", (iso(at), ws, request_id)) == 1

    # -- outbox --------------------------------------------------------------------------
    def add_message(self, ws: str, request_id: str, channel: str, recipient: str, body: str,
                    at: datetime) -> int:
        with self._store.transaction() as cur:
            cur.execute(self._store.sql(
                "INSERT INTO dsr_outbox (workspace_id, request_id, channel, recipient, body, created_at) "
                "VALUES (?, ?, ?, ?, ?, ?)"), (ws, request_id, channel, recipient, body, iso(at)))
        rows = self._read("SELECT max(id) FROM dsr_outbox WHERE workspace_id = ? AND request_id = ?",
                          (ws, request_id))
        return int(rows[0][0])

    def messages(self, ws: str, request_id: str | None = None) -> list[OutboxMessage]:
        where, params = "workspace_id = ?", [ws]
        if request_id is not None:
            where, params = where + " AND request_id = ?", [*params, request_id]
        rows = self._read("SELECT id, request_id, channel, recipient, body, created_at FROM dsr_outbox "
                          f"WHERE {where} ORDER BY id", params)
        return [OutboxMessage(int(r[0]), r[1], r[2], r[3], r[4], str(r[5])) for r in rows]

    def purge_messages(self, ws: str, request_ids: Sequence[str]) -> int:
        """A delivered token is worthless once the request is closed; its recipient is PII."""
        done = 0
        for rid in request_ids:
            done += self._store.execute("DELETE FROM dsr_outbox WHERE workspace_id = ? AND request_id = ?",
                                        (ws, rid))
        return done

    # -- artefacts -----------------------------------------------------------------------
    def put_artefact(self, ws: str, request_id: str, fmt: str, content: bytes, at: datetime) -> None:
        with self._store.transaction() as cur:
            cur.execute(self._store.sql(
                "INSERT INTO dsr_artefacts (workspace_id, request_id, format, content, created_at) VALUES "
                "(?, ?, ?, ?, ?) ON CONFLICT (workspace_id, request_id, format) DO UPDATE SET "
                "content = excluded.content, created_at = excluded.created_at"),
                (ws, request_id, fmt, content, iso(at)))

    def artefact(self, ws: str, request_id: str, fmt: str) -> bytes | None:
        rows = self._read("SELECT content FROM dsr_artefacts WHERE workspace_id = ? AND request_id = ? "
                          "AND format = ?", (ws, request_id, fmt))
        return bytes(rows[0][0]) if rows else None

    def purge_artefacts(self, ws: str, request_ids: Sequence[str]) -> int:
        done = 0
        for rid in request_ids:
            done += self._store.execute("DELETE FROM dsr_artefacts WHERE workspace_id = ? AND "
                                        "request_id = ?", (ws, rid))
        return done

    # -- audit ---------------------------------------------------------------------------
    def audit(self, ws: str, request_id: str, at: datetime, actor: str, action: str,
              detail: dict[str, Any]) -> None:
        with self._store.transaction() as cur:
            self._audit(cur, ws, request_id, at, actor, action, detail)

    def _audit(self, cur: Any, ws: str, request_id: str, at: datetime, actor: str, action: str,
               detail: dict[str, Any]) -> None:
        cur.execute(self._store.sql("INSERT INTO dsr_audit (workspace_id, request_id, at, actor, action, "
                                    "detail) VALUES (?, ?, ?, ?, ?, ?)"),
                    (ws, request_id, iso(at), actor, action, orjson.dumps(detail).decode()))

    def trail(self, ws: str, request_id: str) -> list[AuditRow]:
        rows = self._read("SELECT id, request_id, at, actor, action, detail FROM dsr_audit WHERE "
                          "workspace_id = ? AND request_id = ? ORDER BY id", (ws, request_id))
        return [AuditRow(int(r[0]), r[1], str(r[2]), r[3], r[4], orjson.loads(r[5])) for r in rows]
