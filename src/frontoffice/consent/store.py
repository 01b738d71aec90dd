"""The consent ledger and its projection in SQLAlchemy Core (SQLite and PostgreSQL): implements
:class:`~frontoffice.consent.ports.ConsentLedger`.

``consent_ledger`` is append-only: rows are only ever inserted (a replayed change has the same
id and is ignored), and a trigger refuses UPDATE and DELETE on both backends. ``consent_state``,
``consent_subjects`` and ``consent_checkpoint`` are the projection: dropped and rebuilt from the
event log by :meth:`ConsentStore.reset` + catch-up. ``consent_salts`` holds each workspace's salt
for hashing IP addresses and user agents (generated on first use, never rotated silently).
"""

from __future__ import annotations

import secrets
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any

import orjson
import sqlalchemy as sa
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from frontoffice.consent.ledger import ConsentChange
from frontoffice.consent.ports import ERASED_SUBJECT, LedgerRow
from frontoffice.consent.projector import Projection, evidence_as_dict
from frontoffice.domain.events import iso, now
from frontoffice.projection.contract import ProjectionMoved
from frontoffice.storage import prepared
from frontoffice.storage.core import batches, insert
from frontoffice.storage.sql import SqlStore, Tx
from frontoffice.storage.tables import schema
from frontoffice.vault.sealing import open_value, seal_value
from frontoffice.vault.subjects import canonical_subject

HASHED = "h:"  # ledger subjects since migration 0005: "h:" + keyed hash, the subject sealed beside it
LEDGER_COLUMNS = ("change_id", "seq", "subject", "purpose", "status", "source", "at", "method",
                  "notice_version", "raw", "ip_hash", "user_agent_hash", "explicit")


def change_of(r: Any, subject: str) -> ConsentChange:
    """The change of a ``consent_ledger`` row (``LEDGER_COLUMNS``), spoken for ``subject``."""
    return ConsentChange(r.change_id, subject, r.purpose, r.status, r.source,
                         datetime.fromisoformat(str(r.at)), r.method, r.notice_version, r.raw, r.ip_hash,
                         r.user_agent_hash, bool(r.explicit))


def _context(ws: str, change_id: str) -> bytes:
    return f"consent-ledger\x1f{ws}\x1f{change_id}".encode()


@cache
def _written_of(dialect: str, n: int) -> sa.CompoundSelect[Any]:
    """One indexed range scan per kind (``low{i}`` <= subject < ``high{i}``), their union."""
    ledger = schema(dialect).tables["consent_ledger"].c
    return sa.union(*(sa.select(ledger.subject).where(
        ledger.workspace_id == sa.bindparam("ws"), ledger.subject >= sa.bindparam(f"low{i}"),
        ledger.subject < sa.bindparam(f"high{i}")) for i in range(n)))


@dataclass(frozen=True, slots=True)
class _Reads:
    """The gate's hot reads, built once per dialect: a statement built per call costs ~4x its
    execution (SQLAlchemy's cache key is generated anew for each new statement object)."""

    written: sa.Select[Any]
    changes: sa.Select[Any]
    evidence: sa.Select[Any]


@cache
def _reads(dialect: str) -> _Reads:
    tables = schema(dialect).tables
    ledger, subjects = tables["consent_ledger"].c, tables["consent_subjects"].c
    ws: sa.BindParameter[str] = sa.bindparam("ws")
    return _Reads(
        written=sa.select(ledger.subject).distinct().where(
            ledger.workspace_id == ws, ledger.subject >= sa.bindparam("low"),
            ledger.subject < sa.bindparam("high")),
        changes=sa.select(*(ledger[name] for name in LEDGER_COLUMNS)).where(
            ledger.workspace_id == ws, ledger.seq <= sa.bindparam("upto"),
            ledger.subject.in_(sa.bindparam("subjects", expanding=True))),
        evidence=sa.select(subjects.subject, subjects.evidence).where(
            subjects.workspace_id == ws,
            subjects.subject.in_(sa.bindparam("subjects", expanding=True))))


class ConsentStore:
    def __init__(self, store: SqlStore) -> None:
        self._store = store
        tables = schema(store.dialect).tables
        self._ledger, self._state = tables["consent_ledger"], tables["consent_state"]
        self._subjects, self._checkpoint = tables["consent_subjects"], tables["consent_checkpoint"]
        self._salts = tables["consent_salts"]
        self._ledger_cols = [self._ledger.c[name] for name in LEDGER_COLUMNS]
        self._q = _reads(store.dialect)

    # -- the ledger's subject column: a keyed hash, the subject sealed under its key ---------
    def subject_ref(self, ws: str, subject: str) -> str:
        return HASHED + self._store.vault.hash(ws, canonical_subject(subject) or subject)

    def _ciphers(self, conn: sa.Connection, ws: str, hashes: Collection[str], *, create: bool
                 ) -> dict[str, AESGCM]:
        # The vault (privacy's) reads its keys through a DBAPI-style cursor of this transaction.
        return self._store.vault.ciphers(Tx(conn), self._store.sql, ws, hashes, create=create)

    def _opened(self, conn: sa.Connection, ws: str, rows: Iterable[Any]) -> list[LedgerRow]:
        """Ledger rows with their subject: clear (before 0005), opened, or ``erased:<hash>``."""
        rows = list(rows)
        hashes = {r.subject[len(HASHED):] for r in rows if r.subject.startswith(HASHED)}
        ciphers = self._ciphers(conn, ws, hashes, create=False) if hashes else {}
        out = []
        for r in rows:
            subject = str(r.subject)
            if subject.startswith(HASHED):
                digest, cipher = subject[len(HASHED):], ciphers.get(subject[len(HASHED):])
                subject = (ERASED_SUBJECT + digest if cipher is None or r.subject_sealed is None
                           else open_value(cipher, _context(ws, r.change_id), bytes(r.subject_sealed)))
            out.append(LedgerRow(int(r.seq), change_of(r, subject)))
        return out

    # -- salt ----------------------------------------------------------------------------
    def salt(self, ws: str) -> bytes:
        """The workspace's salt for hashing IPs and user agents; created on first use."""
        t = self._salts.c
        query = sa.select(t.salt).where(t.workspace_id == ws)
        with self._store.connect() as conn:
            found = conn.execute(query).scalar()
        if found is None:
            with self._store.begin() as conn:
                conn.execute(insert(self._salts, self._store.dialect).values(
                    workspace_id=ws, salt=secrets.token_hex(32), created_at=iso(now()))
                    .on_conflict_do_nothing(index_elements=["workspace_id"]))
                found = conn.execute(query).scalar_one()
        return bytes.fromhex(found)

    # -- reading -------------------------------------------------------------------------
    def checkpoint(self, ws: str) -> int:
        t = self._checkpoint.c
        with self._store.connect() as conn:
            found = conn.execute(sa.select(t.last_seq).where(t.workspace_id == ws)).scalar()
        return 0 if found is None else int(found)

    def ledger(self, ws: str, subject: str | None = None, up_to_seq: int | None = None) -> list[LedgerRow]:
        """Ledger rows in the order they were recorded; of one subject, up to a log seq if given."""
        t = self._ledger.c
        query = (sa.select(*self._ledger_cols, t.subject_sealed).where(t.workspace_id == ws)
                 .order_by(t.seq, t.change_id))
        if subject is not None:
            query = query.where(t.subject.in_([subject, self.subject_ref(ws, subject)]))
        if up_to_seq is not None:
            query = query.where(t.seq <= up_to_seq)
        with self._store.connect() as conn:
            return self._opened(conn, ws, conn.execute(query).all())

    def written_subjects(self, ws: str, kind: str) -> list[str]:
        """The ledger's subjects of one identifier kind written in clear: one indexed range scan
        ("email:" <= subject < "email;")."""
        with self._store.connect() as conn:
            return [str(s) for s in conn.execute(self._q.written, {
                "ws": ws, "low": f"{kind}:", "high": f"{kind};"}).scalars()]

    def written_subjects_of(self, ws: str, kinds: Collection[str]) -> dict[str, list[str]]:
        """``written_subjects`` of each of ``kinds`` (absent: none), in one statement."""
        if not kinds:
            return {}
        params: dict[str, str] = {"ws": ws}
        for i, kind in enumerate(sorted(kinds)):
            params |= {f"low{i}": f"{kind}:", f"high{i}": f"{kind};"}
        out: dict[str, list[str]] = {}
        with self._store.connect() as conn:
            for subject in prepared.scalars(conn, _written_of(self._store.dialect, len(kinds)), params):
                out.setdefault(str(subject).partition(":")[0], []).append(str(subject))
        return out

    def subjects_as_of(self, ws: str, keys: Collection[str], up_to_seq: int
                       ) -> tuple[dict[str, list[ConsentChange]], dict[str, dict[str, str]]]:
        """For many subjects at once: their ledger changes up to a log seq, and the region evidence
        of those the projection knows (a subject known to the projection always has evidence)."""
        changes: dict[str, list[ConsentChange]] = {}
        evidence: dict[str, dict[str, str]] = {}
        refs = {self.subject_ref(ws, k): k for k in keys}
        with self._store.connect() as conn:
            for chunk in batches(sorted({*keys, *refs})):
                for r in prepared.rows(conn, self._q.changes, {"ws": ws, "upto": up_to_seq,
                                                               "subjects": list(chunk)}):
                    change = change_of(r, refs.get(r.subject, r.subject))
                    changes.setdefault(change.person_key, []).append(change)
            for chunk in batches(sorted(keys)):
                for r in prepared.rows(conn, self._q.evidence, {"ws": ws, "subjects": list(chunk)}):
                    evidence[r.subject] = dict(orjson.loads(r.evidence))
        return changes, evidence

    def count_ledger(self, ws: str) -> int:
        t = self._ledger.c
        with self._store.connect() as conn:
            return int(conn.execute(sa.select(sa.func.count()).where(t.workspace_id == ws)).scalar_one())

    def evidence(self, ws: str, subject: str) -> dict[str, str] | None:
        t = self._subjects.c
        with self._store.connect() as conn:
            found = conn.execute(sa.select(t.evidence)
                                 .where(t.workspace_id == ws, t.subject == subject)).scalar()
        return None if found is None else dict(orjson.loads(found))

    def current(self, ws: str, subject: str | None = None) -> list[tuple[str, str, str, str, str]]:
        """(subject, purpose, change_id, status, at) rows of the current-state projection."""
        t = self._state.c
        query = (sa.select(t.subject, t.purpose, t.change_id, t.status, t.at).where(t.workspace_id == ws)
                 .order_by(t.subject, t.purpose))
        if subject is not None:
            query = query.where(t.subject == subject)
        with self._store.connect() as conn:
            return [(r.subject, r.purpose, r.change_id, r.status, r.at) for r in conn.execute(query)]

    def subjects(self, ws: str) -> list[tuple[str, dict[str, str]]]:
        t = self._subjects.c
        with self._store.connect() as conn:
            rows = conn.execute(sa.select(t.subject, t.evidence)
                                .where(t.workspace_id == ws).order_by(t.subject))
            return [(r.subject, dict(orjson.loads(r.evidence))) for r in rows]

    # -- writing -------------------------------------------------------------------------
    def reset(self, ws: str) -> None:
        """Drop the projection (never the ledger) so it can be rebuilt from the log."""
        with self._store.begin() as conn:
            for table in (self._state, self._subjects, self._checkpoint):
                conn.execute(table.delete().where(table.c.workspace_id == ws))

    def apply(self, ws: str, after_seq: int, batch: Projection) -> None:
        """One transaction: ledger rows, state, subjects, checkpoint (compare-and-set on `after_seq`)."""
        recorded, dialect, cp = iso(now()), self._store.dialect, self._checkpoint
        with self._store.begin() as conn:
            conn.execute(insert(cp, dialect).values(workspace_id=ws, last_seq=0)
                         .on_conflict_do_nothing(index_elements=["workspace_id"]))
            moved = conn.execute(cp.update().where(cp.c.workspace_id == ws, cp.c.last_seq == after_seq)
                                 .values(last_seq=batch.last_seq))
            if moved.rowcount != 1:
                raise ProjectionMoved(f"The consent projection of {ws} moved past seq {after_seq}; retry.")
            refs = {c.person_key: self.subject_ref(ws, c.person_key) for _, c in batch.changes}
            ciphers = self._ciphers(conn, ws, {r[len(HASHED):] for r in refs.values()}, create=True)
            ledger = [{"workspace_id": ws, "change_id": c.change_id, "seq": seq,
                       "subject": refs[c.person_key], "purpose": c.purpose, "status": c.status,
                       "source": c.source, "at": c.at.isoformat(), "method": c.method,
                       "notice_version": c.notice_version, "raw": c.raw, "ip_hash": c.ip_hash,
                       "user_agent_hash": c.user_agent_hash, "explicit": int(c.explicit),
                       "recorded_at": recorded,
                       "subject_sealed": seal_value(ciphers[refs[c.person_key][len(HASHED):]],
                                                    _context(ws, c.change_id), c.person_key)}
                      for seq, c in batch.changes]
            if ledger:
                conn.execute(insert(self._ledger, dialect)
                             .on_conflict_do_nothing(index_elements=["workspace_id", "change_id"]), ledger)
            touched = [s for s in batch.subjects.values() if s.changed]
            # Only the purposes this batch recorded a change for: the others' rows already hold
            # the same current change (a subject touched by its evidence alone keeps its rows).
            recorded_for = {(c.person_key, c.purpose) for _, c in batch.changes}
            state = [{"workspace_id": ws, "subject": s.key, "purpose": p, "change_id": c.change_id,
                      "status": c.status, "at": c.at.isoformat(), "updated_seq": batch.last_seq}
                     for s in touched for p, c in s.state.current.items() if (s.key, p) in recorded_for]
            if state:
                stmt = insert(self._state, dialect)
                conn.execute(stmt.on_conflict_do_update(
                    index_elements=["workspace_id", "subject", "purpose"],
                    set_={n: stmt.excluded[n] for n in ("change_id", "status", "at", "updated_seq")}),
                    state)
            if touched:
                stmt = insert(self._subjects, dialect)
                conn.execute(stmt.on_conflict_do_update(
                    index_elements=["workspace_id", "subject"],
                    set_={name: stmt.excluded[name] for name in ("evidence", "updated_seq")}),
                    [{"workspace_id": ws, "subject": s.key, "updated_seq": batch.last_seq,
                      "evidence": orjson.dumps(evidence_as_dict(s.evidence)).decode()} for s in touched])
