"""Person-level consent (migration 0009): the consent of a merged person and the merge conflicts.

A projection of two projections: the identity index says which subject keys (``user_id:…``,
``anonymous_id:…``, ``email:…``, ``phone:…``) belong to a person, ``consent_state`` says each
subject's current consent. ``consent_person_state`` and ``consent_conflicts`` are replaced per
person in one transaction, so recomputing a person is idempotent and a rebuild gives the same rows.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from frontoffice.consent.ledger import ConsentChange, ConsentState
from frontoffice.consent.merge import PersonConsent
from frontoffice.domain.events import iso, now
from frontoffice.projection.contract import ProjectionMoved
from frontoffice.storage.sql import SqlStore

_CHUNK = 500
# Identity kinds that are also consent subject kinds (consent/projector.py SUBJECT_KINDS).
SUBJECT_ID_KINDS = ("user_id", "anonymous_id", "email", "phone")
_KINDS = ", ".join(f"'{k}'" for k in SUBJECT_ID_KINDS)
_CURRENT = (
    "SELECT l.change_id, s.subject, l.purpose, l.status, l.source, l.at, l.method, l.notice_version, "
    "l.raw, l.ip_hash, l.user_agent_hash, l.explicit FROM consent_state s JOIN consent_ledger l "
    "ON l.workspace_id = s.workspace_id AND l.change_id = s.change_id WHERE s.workspace_id = ? "
)




@dataclass(frozen=True, slots=True)
class Checkpoint:
    last_outbox_id: int
    last_state_seq: int
    version: int


@dataclass(frozen=True, slots=True)
class PersonPurpose:
    purpose: str
    status: str
    subject: str
    change_id: str
    at: str
    method: str
    explicit: bool
    reason: str


@dataclass(frozen=True, slots=True)
class ConflictRow:
    purpose: str
    kept_subject: str
    kept_status: str
    kept_change_id: str
    kept_at: str
    overridden_subject: str
    overridden_status: str
    overridden_change_id: str
    overridden_at: str
    reason: str


def _change(r: Sequence[Any]) -> ConsentChange:
    return ConsentChange(
        r[0],
        r[1],
        r[2],
        r[3],
        r[4],
        datetime.fromisoformat(str(r[5])),
        r[6],
        r[7],
        r[8],
        r[9],
        r[10],
        bool(r[11]),
    )


class PersonConsentSql:
    def __init__(self, store: SqlStore) -> None:
        self._store = store

    def _read(self, statement: str, params: Sequence[Any] = ()) -> list[Any]:
        return self._store.query(statement, params)

    # -- what the merge reads ------------------------------------------------------------
    def subjects_of(self, ws: str, person_id: str) -> list[str]:
        rows = self._read(
            f"SELECT kind, value FROM identity_index WHERE workspace_id = ? AND person_id = ? "
            f"AND kind IN ({_KINDS}) ORDER BY kind, value",
            (ws, person_id),
        )
        return [f"{r[0]}:{r[1]}" for r in rows]

    def persons_of(self, ws: str, subjects: Collection[str]) -> set[str]:
        found: set[str] = set()
        pairs = [tuple(s.split(":", 1)) for s in subjects if ":" in s]
        for start in range(0, len(pairs), _CHUNK):
            chunk = pairs[start : start + _CHUNK]
            where = " OR ".join("(kind = ? AND value = ?)" for _ in chunk)
            found |= {
                r[0]
                for r in self._read(
                    f"SELECT DISTINCT person_id FROM identity_index WHERE workspace_id = ? AND ({where})",
                    (ws, *[v for pair in chunk for v in pair]),
                )
            }
        return found

    def states(self, ws: str, subjects: Collection[str]) -> list[ConsentState]:
        """The current consent (no history) of each subject that has any."""
        current: dict[str, dict[str, ConsentChange]] = {}
        ordered = sorted(subjects)
        for start in range(0, len(ordered), _CHUNK):
            chunk = ordered[start : start + _CHUNK]
            marks = ", ".join("?" * len(chunk))
            for r in self._read(_CURRENT + f"AND s.subject IN ({marks})", (ws, *chunk)):
                c = _change(r)
                current.setdefault(c.person_key, {})[c.purpose] = c
        return [ConsentState(k, v) for k, v in sorted(current.items())]

    def subjects_changed_since(self, ws: str, seq: int) -> tuple[list[str], int]:
        """Subjects whose consent state moved after `seq`, and the newest seq seen."""
        rows = self._read(
            "SELECT subject, updated_seq FROM consent_state WHERE workspace_id = ? AND updated_seq > ?",
            (ws, seq),
        )
        return sorted({r[0] for r in rows}), max([seq, *(int(r[1]) for r in rows)])

    def all_consent_subjects(self, ws: str) -> list[str]:
        return [
            r[0]
            for r in self._read("SELECT DISTINCT subject FROM consent_state WHERE workspace_id = ?", (ws,))
        ]

    # -- checkpoint ----------------------------------------------------------------------
    def checkpoint(self, ws: str) -> Checkpoint:
        rows = self._read(
            "SELECT last_outbox_id, last_state_seq, version FROM consent_person_checkpoint "
            "WHERE workspace_id = ?",
            (ws,),
        )
        return Checkpoint(*(int(v) for v in rows[0])) if rows else Checkpoint(0, 0, 0)

    # -- writing -------------------------------------------------------------------------
    def save(self, ws: str, merged: dict[str, PersonConsent | None], gone: Collection[str],
             last_outbox_id: int, last_state_seq: int, seen: Checkpoint) -> None:
        """Replace the rows of each recomputed person (None: no consent on any subject), delete persons
        merged away, advance the checkpoint from `seen`; one transaction."""
        sql, recorded = self._store.sql, iso(now())
        with self._store.transaction() as cur:
            # Compare-and-set first: a second process recomputing the same persons waits on this row,
            # then finds the checkpoint moved and backs off, so rows are never written twice.
            cur.execute(sql("INSERT INTO consent_person_checkpoint (workspace_id, last_outbox_id, "
                            "last_state_seq, version) VALUES (?, 0, 0, 0) ON CONFLICT (workspace_id) "
                            "DO NOTHING"), (ws,))
            cur.execute(sql("UPDATE consent_person_checkpoint SET last_outbox_id = ?, last_state_seq = ?, "
                            "version = version + ? WHERE workspace_id = ? AND last_outbox_id = ? "
                            "AND last_state_seq = ? AND version = ?"),
                        (last_outbox_id, last_state_seq, int(bool(merged or gone)), ws, seen.last_outbox_id,
                         seen.last_state_seq, seen.version))
            if cur.rowcount != 1:
                raise ProjectionMoved(f"Person-level consent of {ws} was recomputed by another process.")
            for pid in [*merged, *gone]:
                for table in ("consent_person_state", "consent_conflicts"):
                    cur.execute(sql(f"DELETE FROM {table} WHERE workspace_id = ? AND person_id = ?"),
                                (ws, pid))
            people = [(pid, pc) for pid, pc in merged.items() if pc is not None]
            state_rows = [(ws, pid, p, w.change.status, w.change.person_key, w.change.change_id,
                           w.change.at.isoformat(), w.change.method, int(w.change.explicit), w.reason)
                          for pid, pc in people for p, w in pc.purposes.items()]
            if state_rows:
                cur.executemany(sql("INSERT INTO consent_person_state (workspace_id, person_id, purpose, "
                                    "status, subject, change_id, at, method, explicit, reason) VALUES "
                                    "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"), state_rows)
            conflict_rows = [(ws, pid, c.purpose, c.kept.person_key, c.kept.status, c.kept.change_id,
                              c.kept.at.isoformat(), c.overridden.person_key, c.overridden.status,
                              c.overridden.change_id, c.overridden.at.isoformat(), c.reason, recorded)
                             for pid, pc in people for c in pc.conflicts]
            if conflict_rows:
                cur.executemany(sql("INSERT INTO consent_conflicts (workspace_id, person_id, purpose, "
                                    "kept_subject, kept_status, kept_change_id, kept_at, overridden_subject, "
                                    "overridden_status, overridden_change_id, overridden_at, reason, "
                                    "recorded_at) VALUES "
                                    "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"), conflict_rows)

    def reset(self, ws: str) -> None:
        with self._store.transaction() as cur:
            for table in ("consent_person_state", "consent_conflicts", "consent_person_checkpoint"):
                cur.execute(self._store.sql(f"DELETE FROM {table} WHERE workspace_id = ?"), (ws,))

    # -- reading -------------------------------------------------------------------------
    def person(self, ws: str, person_id: str) -> list[PersonPurpose]:
        rows = self._read(
            "SELECT purpose, status, subject, change_id, at, method, explicit, reason FROM "
            "consent_person_state WHERE workspace_id = ? AND person_id = ? ORDER BY purpose",
            (ws, person_id),
        )
        return [PersonPurpose(r[0], r[1], r[2], r[3], str(r[4]), r[5], bool(r[6]), r[7]) for r in rows]

    def conflicts(self, ws: str, person_id: str) -> list[ConflictRow]:
        rows = self._read(
            "SELECT purpose, kept_subject, kept_status, kept_change_id, kept_at, "
            "overridden_subject, overridden_status, overridden_change_id, overridden_at, reason "
            "FROM consent_conflicts WHERE workspace_id = ? AND person_id = ? ORDER BY id",
            (ws, person_id),
        )
        return [ConflictRow(*(str(v) for v in r)) for r in rows]

    def person_of(self, ws: str, subject: str) -> str | None:
        kind, _, value = subject.partition(":")
        rows = self._read(
            "SELECT p.person_id FROM identity_index i JOIN consent_person_state p ON "
            "p.workspace_id = i.workspace_id AND p.person_id = i.person_id WHERE "
            "i.workspace_id = ? AND i.kind = ? AND i.value = ? LIMIT 1",
            (ws, kind, value),
        )
        return str(rows[0][0]) if rows else None

    # -- for the collector ---------------------------------------------------------------
    def version(self, ws: str) -> tuple[int, int]:
        """Changes whenever subject or person consent moves: (newest consent_state seq, person version)."""
        seq = self._read("SELECT max(updated_seq) FROM consent_state WHERE workspace_id = ?", (ws,))[0][0]
        return int(seq or 0), self.checkpoint(ws).version

    def refused_subjects(self, ws: str, purposes: Collection[str]) -> set[str]:
        """Subject keys with a refusal of any of `purposes`, on their own or as part of a merged person."""
        marks = ", ".join("?" * len(purposes))
        own = self._read(
            f"SELECT DISTINCT subject FROM consent_state WHERE workspace_id = ? AND "
            f"status <> 'granted' AND purpose IN ({marks})",
            (ws, *purposes),
        )
        merged = self._read(
            f"SELECT DISTINCT i.kind, i.value FROM consent_person_state p JOIN identity_index i "
            f"ON i.workspace_id = p.workspace_id AND i.person_id = p.person_id WHERE "
            f"p.workspace_id = ? AND p.status <> 'granted' AND p.purpose IN ({marks}) "
            f"AND i.kind IN ({_KINDS})",
            (ws, *purposes),
        )
        return {r[0] for r in own} | {f"{r[0]}:{r[1]}" for r in merged}

    def person_state(self, ws: str, subject: str) -> ConsentState | None:
        """The merged person's consent for a subject that belongs to one, as a state keyed by the subject."""
        pid = self.person_of(ws, subject)
        if pid is None:
            return None
        winners = self.person(ws, pid)
        ids = [w.change_id for w in winners]
        if not ids:
            return None
        marks = ", ".join("?" * len(ids))
        rows = self._read(
            "SELECT change_id, subject, purpose, status, source, at, method, notice_version, raw, "
            "ip_hash, user_agent_hash, explicit FROM consent_ledger WHERE workspace_id = ? AND "
            f"change_id IN ({marks})",
            (ws, *ids),
        )
        # The ledger's subject column is a keyed hash (migration 0005): the clear subject is the
        # winner's, as recorded in the person state.
        owner = {w.change_id: w.subject for w in winners}
        current = {c.purpose: c for c in (_change((r[0], owner[r[0]], *r[2:])) for r in rows)}
        return ConsentState(subject, current)
