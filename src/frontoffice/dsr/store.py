"""The DSR tables in SQLAlchemy Core, one implementation for SQLite and PostgreSQL.

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
import sqlalchemy as sa

from frontoffice.domain.events import iso
from frontoffice.dsr.model import DsrRequest, Kind, Status
from frontoffice.dsr.tokens import StoredToken
from frontoffice.storage import core
from frontoffice.storage.sql import SqlStore
from frontoffice.storage.tables import schema


def _dt(value: object) -> datetime | None:
    return None if value is None else datetime.fromisoformat(str(value))


def _at(value: object) -> datetime:
    return datetime.fromisoformat(str(value))


def _iso(value: datetime | None) -> str | None:
    return None if value is None else iso(value)


def _request(r: sa.Row[Any]) -> DsrRequest:
    return DsrRequest(r.id, r.workspace_id, Kind(r.kind), Status(r.status), r.person_id, r.requester_kind,
                      r.requester_masked, r.contact_kind, r.contact_masked, r.region, r.region_reason,
                      _at(r.opened_at), _at(r.due_at), _dt(r.extended_due_at), r.extension_reason,
                      _dt(r.verified_at), _dt(r.closed_at), r.reason,
                      orjson.loads(r.details) if r.details else {},
                      orjson.loads(r.outcome) if r.outcome else None)


def _state(r: DsrRequest) -> dict[str, Any]:
    """The columns of a request that change over its life."""
    return {"status": r.status.value, "contact_kind": r.contact_kind, "contact_masked": r.contact_masked,
            "extended_due_at": _iso(r.extended_due_at), "extension_reason": r.extension_reason,
            "verified_at": _iso(r.verified_at), "closed_at": _iso(r.closed_at), "reason": r.reason,
            "details": orjson.dumps(r.details).decode(),
            "outcome": None if r.outcome is None else orjson.dumps(r.outcome).decode()}


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


class DsrStore:
    def __init__(self, store: SqlStore) -> None:
        self._store = store
        tables = schema(store.dialect).tables
        self._requests, self._tokens = tables["dsr_requests"], tables["dsr_tokens"]
        self._outbox, self._artefacts = tables["dsr_outbox"], tables["dsr_artefacts"]
        self._audit_t = tables["dsr_audit"]

    # -- requests ------------------------------------------------------------------------
    def insert(self, r: DsrRequest, requester_hash: str, actor: str, detail: dict[str, Any]) -> None:
        """The request and its ``opened`` audit row, in one transaction."""
        with self._store.begin() as conn:
            conn.execute(self._requests.insert().values(
                id=r.id, workspace_id=r.workspace_id, kind=r.kind.value, person_id=r.person_id,
                requester_kind=r.requester_kind, requester_hash=requester_hash,
                requester_masked=r.requester_masked, region=r.region, region_reason=r.region_reason,
                opened_at=iso(r.opened_at), due_at=iso(r.due_at),
                **{**_state(r), "extended_due_at": None, "extension_reason": None, "verified_at": None,
                   "closed_at": None, "outcome": None}))
            self._audit(conn, r.workspace_id, r.id, r.opened_at, actor, "opened", detail)

    def update(self, r: DsrRequest, actor: str, at: datetime, action: str, detail: dict[str, Any]) -> None:
        """Store the request's new state and its audit row together."""
        t = self._requests.c
        with self._store.begin() as conn:
            conn.execute(self._requests.update().where(t.workspace_id == r.workspace_id, t.id == r.id)
                         .values(**_state(r)))
            self._audit(conn, r.workspace_id, r.id, at, actor, action, detail)

    def get(self, ws: str, request_id: str) -> DsrRequest | None:
        t = self._requests.c
        with self._store.connect() as conn:
            row = conn.execute(sa.select(self._requests).where(t.workspace_id == ws, t.id == request_id)
                               ).first()
        return None if row is None else _request(row)

    def requests(self, ws: str, status: str | None = None, limit: int = 1000) -> list[DsrRequest]:
        t = self._requests.c
        query = sa.select(self._requests).where(t.workspace_id == ws).order_by(t.due_at, t.id).limit(limit)
        if status:
            query = query.where(t.status == status)
        with self._store.connect() as conn:
            return [_request(r) for r in conn.execute(query)]

    def of_person(self, ws: str, person_id: str) -> list[str]:
        t = self._requests.c
        with self._store.connect() as conn:
            return list(conn.execute(sa.select(t.id).where(t.workspace_id == ws, t.person_id == person_id))
                        .scalars())

    def forget_details(self, ws: str, request_ids: Sequence[str]) -> int:
        """Drop what requests carry of the person (corrected values of a pending rectification)."""
        t = self._requests.c
        if not request_ids:
            return 0
        with self._store.begin() as conn:
            return conn.execute(self._requests.update().where(
                t.workspace_id == ws, t.id.in_(list(request_ids)), t.details != "{}")
                .values(details="{}")).rowcount

    # -- tokens --------------------------------------------------------------------------
    def set_token(self, ws: str, request_id: str, token_hash: str, expires_at: datetime,
                  created_at: datetime) -> None:
        t = self._tokens.c
        with self._store.begin() as conn:
            conn.execute(self._tokens.delete().where(t.workspace_id == ws, t.request_id == request_id))
            conn.execute(self._tokens.insert().values(
                workspace_id=ws, request_id=request_id, token_hash=token_hash, expires_at=iso(expires_at),
                attempts=0, used_at=None, created_at=iso(created_at)))

    def token(self, ws: str, request_id: str) -> StoredToken | None:
        t = self._tokens.c
        with self._store.connect() as conn:
            row = conn.execute(sa.select(t.token_hash, t.expires_at, t.attempts, t.used_at)
                               .where(t.workspace_id == ws, t.request_id == request_id)).first()
        return None if row is None else StoredToken(row.token_hash, _at(row.expires_at), int(row.attempts),
                                                    _dt(row.used_at))

    def count_attempt(self, ws: str, request_id: str) -> None:
        t = self._tokens.c
        with self._store.begin() as conn:
            conn.execute(self._tokens.update().where(t.workspace_id == ws, t.request_id == request_id)
                         .values(attempts=t.attempts + 1))

    def use_token(self, ws: str, request_id: str, at: datetime) -> bool:
        """Compare-and-set: only one caller can use a token, even two at the same instant."""
        t = self._tokens.c
        with self._store.begin() as conn:
            return conn.execute(self._tokens.update().where(
                t.workspace_id == ws, t.request_id == request_id, t.used_at.is_(None)).values(
                used_at=iso(at))).rowcount == 1

    # -- outbox --------------------------------------------------------------------------
    def add_message(self, ws: str, request_id: str, channel: str, recipient: str, body: str,
                    at: datetime) -> int:
        with self._store.begin() as conn:
            return int(conn.execute(self._outbox.insert().values(
                workspace_id=ws, request_id=request_id, channel=channel, recipient=recipient, body=body,
                created_at=iso(at)).returning(self._outbox.c.id)).scalar_one())

    def messages(self, ws: str, request_id: str | None = None) -> list[OutboxMessage]:
        t = self._outbox.c
        query = (sa.select(t.id, t.request_id, t.channel, t.recipient, t.body, t.created_at)
                 .where(t.workspace_id == ws).order_by(t.id))
        if request_id is not None:
            query = query.where(t.request_id == request_id)
        with self._store.connect() as conn:
            return [OutboxMessage(int(r.id), r.request_id, r.channel, r.recipient, r.body, str(r.created_at))
                    for r in conn.execute(query)]

    def purge_messages(self, ws: str, request_ids: Sequence[str]) -> int:
        """A delivered token is worthless once the request is closed; its recipient is PII."""
        t = self._outbox.c
        if not request_ids:
            return 0
        with self._store.begin() as conn:
            return conn.execute(self._outbox.delete().where(
                t.workspace_id == ws, t.request_id.in_(list(request_ids)))).rowcount

    # -- artefacts -----------------------------------------------------------------------
    def put_artefact(self, ws: str, request_id: str, fmt: str, content: bytes, at: datetime) -> None:
        stmt = core.insert(self._artefacts, self._store.dialect).values(
            workspace_id=ws, request_id=request_id, format=fmt, content=content, created_at=iso(at))
        with self._store.begin() as conn:
            conn.execute(stmt.on_conflict_do_update(
                index_elements=["workspace_id", "request_id", "format"],
                set_={"content": stmt.excluded.content, "created_at": stmt.excluded.created_at}))

    def artefact(self, ws: str, request_id: str, fmt: str) -> bytes | None:
        t = self._artefacts.c
        with self._store.connect() as conn:
            found = conn.execute(sa.select(t.content).where(
                t.workspace_id == ws, t.request_id == request_id, t.format == fmt)).scalar()
        return None if found is None else bytes(found)

    def purge_artefacts(self, ws: str, request_ids: Sequence[str]) -> int:
        t = self._artefacts.c
        if not request_ids:
            return 0
        with self._store.begin() as conn:
            return conn.execute(self._artefacts.delete().where(
                t.workspace_id == ws, t.request_id.in_(list(request_ids)))).rowcount

    # -- audit ---------------------------------------------------------------------------
    def audit(self, ws: str, request_id: str, at: datetime, actor: str, action: str,
              detail: dict[str, Any]) -> None:
        with self._store.begin() as conn:
            self._audit(conn, ws, request_id, at, actor, action, detail)

    def _audit(self, conn: sa.Connection, ws: str, request_id: str, at: datetime, actor: str, action: str,
               detail: dict[str, Any]) -> None:
        conn.execute(self._audit_t.insert().values(workspace_id=ws, request_id=request_id, at=iso(at),
                                                   actor=actor, action=action,
                                                   detail=orjson.dumps(detail).decode()))

    def trail(self, ws: str, request_id: str) -> list[AuditRow]:
        t = self._audit_t.c
        with self._store.connect() as conn:
            rows = conn.execute(sa.select(t.id, t.request_id, t.at, t.actor, t.action, t.detail).where(
                t.workspace_id == ws, t.request_id == request_id).order_by(t.id))
            return [AuditRow(int(r.id), r.request_id, str(r.at), r.actor, r.action, orjson.loads(r.detail))
                    for r in rows]
