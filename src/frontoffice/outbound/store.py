"""Outbound's ports on the database, in SQLAlchemy Core: the decision log and the message outbox
(its own tables), consent's records (through consent's store) and identity's ``People``."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from datetime import datetime
from typing import Any

import orjson
import sqlalchemy as sa

from frontoffice.consent.ledger import ConsentChange
from frontoffice.consent.packs import RegionPack
from frontoffice.consent.store import ConsentStore
from frontoffice.domain.events import iso, now
from frontoffice.identity.people_store import PeopleSql
from frontoffice.outbound.lookup import OutboundGate
from frontoffice.outbound.ports import Logged, OutboundPorts, OutboxMessage
from frontoffice.privacy.suppressions import SuppressionList
from frontoffice.storage import core
from frontoffice.storage.sql import SqlStore
from frontoffice.storage.tables import schema

__all__ = ["Logged", "OutboundStore", "OutboxMessage", "SqlConsents", "gate_for", "sql_ports"]


class OutboundStore:
    def __init__(self, store: SqlStore) -> None:
        self._store = store
        tables = schema(store.dialect).tables
        self._decisions, self._outbox = tables["outbound_decisions"], tables["message_outbox"]

    @staticmethod
    def _decision(ws: str, r: Logged, at: str) -> dict[str, Any]:
        v = r.verdict
        return {"workspace_id": ws, "path": r.path, "request_id": r.request_id, "person": v.person,
                "action": r.action, "purpose": r.purpose, "channel": r.channel, "allowed": int(v.allowed),
                "reason": v.reason, "rule": v.rule, "region": v.region, "at": at}

    def log(self, ws: str, rows: Sequence[Logged]) -> None:
        at = iso(now())
        if rows:
            with self._store.begin() as conn:
                conn.execute(self._decisions.insert(), [self._decision(ws, r, at) for r in rows])

    def logged(self, ws: str, request_id: str | None = None) -> list[dict[str, Any]]:
        t = self._decisions.c
        query = (sa.select(t.path, t.request_id, t.person, t.action, t.purpose, t.channel, t.allowed,
                           t.reason, t.rule, t.region, t.at).where(t.workspace_id == ws).order_by(t.id))
        if request_id is not None:
            query = query.where(t.request_id == request_id)
        with self._store.connect() as conn:
            rows = conn.execute(query).all()
        return [{**r._asdict(), "allowed": bool(r.allowed), "at": str(r.at)} for r in rows]

    def enqueue(self, ws: str, message: OutboxMessage, logged: Logged) -> bool:
        """Queue the message and log the verdict in one transaction; False if the id was queued before."""
        at = iso(now())
        m = message
        with self._store.begin() as conn:
            queued = conn.execute(core.insert(self._outbox, self._store.dialect).values(
                workspace_id=ws, message_id=m.message_id, person_id=m.person_id, channel=m.channel,
                address=m.address, purpose=m.purpose, template_id=m.template_id,
                variables=orjson.dumps(m.variables).decode(), status="queued", reason=m.reason, rule=m.rule,
                created_at=at).on_conflict_do_nothing(index_elements=["workspace_id", "message_id"])
                .returning(self._outbox.c.id)).first()
            if queued is None:
                return False
            conn.execute(self._decisions.insert().values(**self._decision(ws, logged, at)))
        return True

    def outbox(self, ws: str) -> list[dict[str, Any]]:
        t = self._outbox.c
        with self._store.connect() as conn:
            rows = conn.execute(sa.select(t.message_id, t.person_id, t.channel, t.address, t.purpose,
                                          t.template_id, t.variables, t.status, t.reason, t.rule,
                                          t.created_at).where(t.workspace_id == ws).order_by(t.id)).all()
        return [{**r._asdict(), "variables": orjson.loads(r.variables), "created_at": str(r.created_at)}
                for r in rows]


class SqlConsents:
    """Consent's records for the gate: consent's own store, and the ledger's subjects as written."""

    def __init__(self, store: SqlStore) -> None:
        self._store = store
        self._consent = ConsentStore(store)

    def subjects_as_of(self, ws: str, keys: Collection[str], up_to_seq: int
                       ) -> tuple[dict[str, list[ConsentChange]], dict[str, dict[str, str]]]:
        return self._consent.subjects_as_of(ws, keys, up_to_seq)

    def written_subjects(self, ws: str, kind: str) -> list[str]:
        return self._consent.written_subjects(ws, kind)


def sql_ports(store: SqlStore) -> OutboundPorts:
    return OutboundPorts(PeopleSql(store), SqlConsents(store), SuppressionList(store), OutboundStore(store))


def gate_for(store: SqlStore, workspace_id: str, at: datetime,
             packs: Mapping[str, RegionPack] | None = None) -> OutboundGate:
    """The gate of one outbound call on ``store``'s people and consent."""
    return OutboundGate(PeopleSql(store), SqlConsents(store), SuppressionList(store), workspace_id, at, packs)
