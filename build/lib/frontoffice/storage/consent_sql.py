"""The consent ledger and its projection, one SQL implementation for SQLite and PostgreSQL.

``consent_ledger`` is append-only: rows are only ever inserted (a replayed change has the same
id and is ignored), and a trigger refuses UPDATE and DELETE on both backends. ``consent_state``,
``consent_subjects`` and ``consent_checkpoint`` are the projection: dropped and rebuilt from the
event log by :meth:`ConsentSql.reset` + catch-up. ``consent_salts`` holds each workspace's salt
for hashing IP addresses and user agents (generated on first use, never rotated silently).
"""

from __future__ import annotations

import secrets
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import orjson

from frontoffice.consent.ledger import ConsentChange
from frontoffice.consent.projector import Projection, evidence_as_dict
from frontoffice.domain.events import iso, now
from frontoffice.privacy.sealing import open_value, seal_value
from frontoffice.privacy.subjects import canonical_subject
from frontoffice.projection.contract import ProjectionMoved as ProjectionMoved  # noqa: PLC0414 - re-exported
from frontoffice.storage.sql import SqlStore

_CHUNK = 500  # subjects per IN (...) list
_PROJECTION = ("consent_state", "consent_subjects", "consent_checkpoint")
_LEDGER_COLS = ("change_id, seq, subject, purpose, status, source, at, method, notice_version, raw, "
                "ip_hash, user_agent_hash, explicit")
_READ_COLS = _LEDGER_COLS + ", subject_sealed"
HASHED = "h:"  # ledger subjects since migration 0005: "h:" + keyed hash, the subject sealed beside it
ERASED_SUBJECT = "erased:"  # what a ledger subject of an erased person reads as (+ its hash)




@dataclass(frozen=True, slots=True)
class LedgerRow:
    seq: int
    change: ConsentChange


def _row(r: Sequence[Any]) -> LedgerRow:
    change = ConsentChange(r[0], r[2], r[3], r[4], r[5], datetime.fromisoformat(str(r[6])), r[7], r[8], r[9],
                           r[10], r[11], bool(r[12]))
    return LedgerRow(int(r[1]), change)


def _context(ws: str, change_id: str) -> bytes:
    return f"consent-ledger\x1f{ws}\x1f{change_id}".encode()


class ConsentSql:
    def __init__(self, store: SqlStore) -> None:
        self._store = store

    # -- the ledger's subject column: a keyed hash, the subject sealed under its key ---------
    def subject_ref(self, ws: str, subject: str) -> str:
        return HASHED + self._store.vault.hash(ws, canonical_subject(subject) or subject)

    def _rows(self, ws: str, rows: Sequence[Any]) -> list[LedgerRow]:
        """Ledger rows with their subject: clear (before 0005), opened, or ``erased:<hash>``."""
        hashes = {str(r[2])[len(HASHED):] for r in rows if str(r[2]).startswith(HASHED)}
        ciphers = {}
        if hashes:
            cur = self._store.read_cursor()
            ciphers = self._store.vault.ciphers(cur, self._sql, ws, hashes, create=False)
        out = []
        for r in rows:
            subject = str(r[2])
            if subject.startswith(HASHED):
                cipher = ciphers.get(subject[len(HASHED):])
                subject = (ERASED_SUBJECT + subject[len(HASHED):] if cipher is None or r[13] is None
                           else open_value(cipher, _context(ws, r[0]), bytes(r[13])))
            out.append(_row((r[0], r[1], subject, *r[3:13])))
        return out

    def _read(self, statement: str, params: Sequence[Any] = ()) -> list[Any]:
        return self._store.query(statement, params)

    def _sql(self, statement: str) -> str:
        return self._store.sql(statement)

    # -- salt ----------------------------------------------------------------------------
    def salt(self, ws: str) -> bytes:
        """The workspace's salt for hashing IPs and user agents; created on first use."""
        rows = self._read("SELECT salt FROM consent_salts WHERE workspace_id = ?", (ws,))
        if not rows:
            with self._store.transaction() as cur:
                cur.execute(self._sql("INSERT INTO consent_salts (workspace_id, salt, created_at) VALUES "
                                      "(?, ?, ?) ON CONFLICT (workspace_id) DO NOTHING"),
                            (ws, secrets.token_hex(32), iso(now())))
            rows = self._read("SELECT salt FROM consent_salts WHERE workspace_id = ?", (ws,))
        return bytes.fromhex(rows[0][0])

    # -- reading -------------------------------------------------------------------------
    def checkpoint(self, ws: str) -> int:
        rows = self._read("SELECT last_seq FROM consent_checkpoint WHERE workspace_id = ?", (ws,))
        return int(rows[0][0]) if rows else 0

    def ledger(self, ws: str, subject: str | None = None, up_to_seq: int | None = None) -> list[LedgerRow]:
        """Ledger rows in the order they were recorded; of one subject, up to a log seq if given."""
        where, params = "workspace_id = ?", list[object]([ws])
        if subject is not None:
            ref = self.subject_ref(ws, subject)
            where, params = where + " AND subject IN (?, ?)", [*params, subject, ref]
        if up_to_seq is not None:
            where, params = where + " AND seq <= ?", [*params, up_to_seq]
        rows = self._read(f"SELECT {_READ_COLS} FROM consent_ledger WHERE {where} ORDER BY seq, change_id",
                          params)
        return self._rows(ws, rows)

    def subjects_as_of(self, ws: str, keys: Collection[str], up_to_seq: int
                       ) -> tuple[dict[str, list[ConsentChange]], dict[str, dict[str, str]]]:
        """For many subjects at once: their ledger changes up to a log seq, and the region evidence
        of those the projection knows (a subject known to the projection always has evidence)."""
        changes: dict[str, list[ConsentChange]] = {}
        evidence: dict[str, dict[str, str]] = {}
        ordered = sorted(keys)
        for start in range(0, len(ordered), _CHUNK):
            chunk = ordered[start:start + _CHUNK]
            marks = ", ".join("?" * len(chunk))
            refs = {self.subject_ref(ws, k): k for k in chunk}
            both = ", ".join("?" * (len(chunk) + len(refs)))
            for r in self._read(f"SELECT {_LEDGER_COLS} FROM consent_ledger WHERE workspace_id = ? AND "
                                f"seq <= ? AND subject IN ({both})", (ws, up_to_seq, *chunk, *refs)):
                key = refs.get(str(r[2]), str(r[2]))
                row = _row((*r[:2], key, *r[3:]))
                changes.setdefault(row.change.person_key, []).append(row.change)
            for subject, data in self._read("SELECT subject, evidence FROM consent_subjects WHERE "
                                            f"workspace_id = ? AND subject IN ({marks})", (ws, *chunk)):
                evidence[subject] = dict(orjson.loads(data))
        return changes, evidence

    def count_ledger(self, ws: str) -> int:
        return int(self._read("SELECT count(*) FROM consent_ledger WHERE workspace_id = ?", (ws,))[0][0])

    def evidence(self, ws: str, subject: str) -> dict[str, str] | None:
        rows = self._read("SELECT evidence FROM consent_subjects WHERE workspace_id = ? AND subject = ?",
                          (ws, subject))
        return dict(orjson.loads(rows[0][0])) if rows else None

    def current(self, ws: str, subject: str | None = None) -> list[tuple[str, str, str, str, str]]:
        """(subject, purpose, change_id, status, at) rows of the current-state projection."""
        where, params = ("workspace_id = ?", (ws,)) if subject is None else (
            "workspace_id = ? AND subject = ?", (ws, subject))
        rows = self._read(f"SELECT subject, purpose, change_id, status, at FROM consent_state WHERE {where} "
                          "ORDER BY subject, purpose", params)
        return [(r[0], r[1], r[2], r[3], r[4]) for r in rows]

    def subjects(self, ws: str) -> list[tuple[str, dict[str, str]]]:
        rows = self._read("SELECT subject, evidence FROM consent_subjects WHERE workspace_id = ? "
                          "ORDER BY subject", (ws,))
        return [(r[0], dict(orjson.loads(r[1]))) for r in rows]

    # -- writing -------------------------------------------------------------------------
    def reset(self, ws: str) -> None:
        """Drop the projection (never the ledger) so it can be rebuilt from the log."""
        with self._store.transaction() as cur:
            for table in _PROJECTION:
                cur.execute(self._sql(f"DELETE FROM {table} WHERE workspace_id = ?"), (ws,))

    def apply(self, ws: str, after_seq: int, batch: Projection) -> None:
        """One transaction: ledger rows, state, subjects, checkpoint (compare-and-set on `after_seq`)."""
        recorded = iso(now())
        with self._store.transaction() as cur:
            cur.execute(self._sql("INSERT INTO consent_checkpoint (workspace_id, last_seq) VALUES (?, 0) "
                                  "ON CONFLICT (workspace_id) DO NOTHING"), (ws,))
            cur.execute(self._sql("UPDATE consent_checkpoint SET last_seq = ? WHERE workspace_id = ? "
                                  "AND last_seq = ?"), (batch.last_seq, ws, after_seq))
            if cur.rowcount != 1:
                raise ProjectionMoved(f"The consent projection of {ws} moved past seq {after_seq}; retry.")
            refs = {c.person_key: self.subject_ref(ws, c.person_key) for _, c in batch.changes}
            ciphers = self._store.vault.ciphers(cur, self._sql, ws,
                                                {r[len(HASHED):] for r in refs.values()}, create=True)
            self._many(cur, f"INSERT INTO consent_ledger (workspace_id, {_LEDGER_COLS}, recorded_at, "
                       "subject_sealed) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                       "ON CONFLICT (workspace_id, change_id) DO NOTHING",
                       [(ws, c.change_id, seq, refs[c.person_key], c.purpose, c.status, c.source,
                         c.at.isoformat(), c.method, c.notice_version, c.raw, c.ip_hash, c.user_agent_hash,
                         int(c.explicit), recorded,
                         seal_value(ciphers[refs[c.person_key][len(HASHED):]], _context(ws, c.change_id),
                                    c.person_key))
                        for seq, c in batch.changes])
            touched = [s for s in batch.subjects.values() if s.changed]
            self._many(cur, "INSERT INTO consent_state (workspace_id, subject, purpose, change_id, status, "
                       "at, updated_seq) VALUES (?, ?, ?, ?, ?, ?, ?) "
                       "ON CONFLICT (workspace_id, subject, purpose) "
                       "DO UPDATE SET change_id = excluded.change_id, status = excluded.status, "
                       "at = excluded.at, updated_seq = excluded.updated_seq",
                       [(ws, s.key, p, c.change_id, c.status, c.at.isoformat(), batch.last_seq)
                        for s in touched for p, c in s.state.current.items()])
            self._many(cur, "INSERT INTO consent_subjects (workspace_id, subject, evidence, updated_seq) "
                       "VALUES (?, ?, ?, ?) ON CONFLICT (workspace_id, subject) DO UPDATE SET "
                       "evidence = excluded.evidence, updated_seq = excluded.updated_seq",
                       [(ws, s.key, orjson.dumps(evidence_as_dict(s.evidence)).decode(), batch.last_seq)
                        for s in touched])

    def _many(self, cur: Any, statement: str, rows: Sequence[Sequence[Any]]) -> None:
        if rows:
            cur.executemany(self._sql(statement), rows)
