"""Person-level consent (migration 0009) in SQLAlchemy Core: the consent of a merged person and the
merge conflicts; implements :class:`~frontoffice.consent.ports.PersonConsentRows`.

A projection of two projections: identity (asked through its ``People`` port, never its tables)
says which subject keys (``user_id:…``, ``anonymous_id:…``, ``email:…``, ``phone:…``) belong to a
person, ``consent_state`` says each subject's current consent. ``consent_person_state`` and
``consent_conflicts`` are replaced per person in one transaction, so recomputing a person is
idempotent and a rebuild gives the same rows.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping

import sqlalchemy as sa

from frontoffice.consent.ledger import ConsentChange, ConsentState
from frontoffice.consent.merge import PersonConsent
from frontoffice.consent.ports import (
    SUBJECT_ID_KINDS,
    Checkpoint,
    ConflictRow,
    PersonPurpose,
    persons_holding,
)
from frontoffice.consent.store import LEDGER_COLUMNS, change_of
from frontoffice.domain.events import iso, now
from frontoffice.identity.people import People
from frontoffice.projection.contract import ProjectionMoved
from frontoffice.storage.core import batches, insert
from frontoffice.storage.sql import SqlStore
from frontoffice.storage.tables import schema


class PersonConsentStore:
    def __init__(self, store: SqlStore, people: People) -> None:
        self._store, self._people = store, people
        tables = schema(store.dialect).tables
        self._state, self._ledger = tables["consent_state"], tables["consent_ledger"]
        self._persons, self._conflicts = tables["consent_person_state"], tables["consent_conflicts"]
        self._checkpoint = tables["consent_person_checkpoint"]

    # -- what the merge reads ------------------------------------------------------------
    def states(self, ws: str, subjects: Collection[str]) -> list[ConsentState]:
        """The current consent (no history) of each subject that has any."""
        s, ledger = self._state.c, self._ledger.c
        current: dict[str, dict[str, ConsentChange]] = {}
        with self._store.connect() as conn:
            for chunk in batches(sorted(subjects)):
                rows = conn.execute(
                    sa.select(s.subject.label("state_subject"), *(ledger[name] for name in LEDGER_COLUMNS))
                    .join_from(self._state, self._ledger, sa.and_(ledger.workspace_id == s.workspace_id,
                                                                  ledger.change_id == s.change_id))
                    .where(s.workspace_id == ws, s.subject.in_(chunk))).all()
                for r in rows:
                    c = change_of(r, r.state_subject)
                    current.setdefault(c.person_key, {})[c.purpose] = c
        return [ConsentState(k, v) for k, v in sorted(current.items())]

    def subjects_changed_since(self, ws: str, seq: int) -> tuple[list[str], int]:
        """Subjects whose consent state moved after `seq`, and the newest seq seen."""
        t = self._state.c
        with self._store.connect() as conn:
            rows = conn.execute(sa.select(t.subject, t.updated_seq)
                                .where(t.workspace_id == ws, t.updated_seq > seq)).all()
        return sorted({r.subject for r in rows}), max([seq, *(int(r.updated_seq) for r in rows)])

    # -- checkpoint ----------------------------------------------------------------------
    def checkpoint(self, ws: str) -> Checkpoint:
        t = self._checkpoint.c
        with self._store.connect() as conn:
            r = conn.execute(sa.select(t.last_outbox_id, t.last_state_seq, t.version)
                             .where(t.workspace_id == ws)).first()
        return (Checkpoint(0, 0, 0) if r is None
                else Checkpoint(int(r.last_outbox_id), int(r.last_state_seq), int(r.version)))

    # -- writing -------------------------------------------------------------------------
    def save(self, ws: str, merged: Mapping[str, PersonConsent | None], gone: Collection[str],
             last_outbox_id: int, last_state_seq: int, seen: Checkpoint) -> None:
        """Replace the rows of each recomputed person (None: no consent on any subject), delete persons
        merged away, advance the checkpoint from `seen`; one transaction."""
        recorded, cp = iso(now()), self._checkpoint
        with self._store.begin() as conn:
            # Compare-and-set first: a second process recomputing the same persons waits on this row,
            # then finds the checkpoint moved and backs off, so rows are never written twice.
            conn.execute(insert(cp, self._store.dialect)
                         .values(workspace_id=ws, last_outbox_id=0, last_state_seq=0, version=0)
                         .on_conflict_do_nothing(index_elements=["workspace_id"]))
            moved = conn.execute(
                cp.update().where(cp.c.workspace_id == ws, cp.c.last_outbox_id == seen.last_outbox_id,
                                  cp.c.last_state_seq == seen.last_state_seq, cp.c.version == seen.version)
                .values(last_outbox_id=last_outbox_id, last_state_seq=last_state_seq,
                        version=cp.c.version + int(bool(merged or gone))))
            if moved.rowcount != 1:
                raise ProjectionMoved(f"Person-level consent of {ws} was recomputed by another process.")
            for table in (self._persons, self._conflicts):
                for chunk in batches(sorted({*merged, *gone})):
                    conn.execute(table.delete().where(table.c.workspace_id == ws,
                                                      table.c.person_id.in_(chunk)))
            people = [(pid, pc) for pid, pc in merged.items() if pc is not None]
            state = [{"workspace_id": ws, "person_id": pid, "purpose": p, "status": w.change.status,
                      "subject": w.change.person_key, "change_id": w.change.change_id,
                      "at": w.change.at.isoformat(), "method": w.change.method,
                      "explicit": int(w.change.explicit), "reason": w.reason}
                     for pid, pc in people for p, w in pc.purposes.items()]
            if state:
                conn.execute(self._persons.insert(), state)
            conflicts = [{"workspace_id": ws, "person_id": pid, "purpose": c.purpose,
                          "kept_subject": c.kept.person_key, "kept_status": c.kept.status,
                          "kept_change_id": c.kept.change_id, "kept_at": c.kept.at.isoformat(),
                          "overridden_subject": c.overridden.person_key,
                          "overridden_status": c.overridden.status,
                          "overridden_change_id": c.overridden.change_id,
                          "overridden_at": c.overridden.at.isoformat(), "reason": c.reason,
                          "recorded_at": recorded}
                         for pid, pc in people for c in pc.conflicts]
            if conflicts:
                conn.execute(self._conflicts.insert(), conflicts)

    def reset(self, ws: str) -> None:
        with self._store.begin() as conn:
            for table in (self._persons, self._conflicts, self._checkpoint):
                conn.execute(table.delete().where(table.c.workspace_id == ws))

    # -- reading -------------------------------------------------------------------------
    def person(self, ws: str, person_id: str) -> list[PersonPurpose]:
        t = self._persons.c
        with self._store.connect() as conn:
            rows = conn.execute(sa.select(t.purpose, t.status, t.subject, t.change_id, t.at, t.method,
                                          t.explicit, t.reason)
                                .where(t.workspace_id == ws, t.person_id == person_id).order_by(t.purpose))
            return [PersonPurpose(r.purpose, r.status, r.subject, r.change_id, str(r.at), r.method,
                                  bool(r.explicit), r.reason) for r in rows]

    def conflicts(self, ws: str, person_id: str) -> list[ConflictRow]:
        t = self._conflicts.c
        with self._store.connect() as conn:
            rows = conn.execute(sa.select(t.purpose, t.kept_subject, t.kept_status, t.kept_change_id,
                                          t.kept_at, t.overridden_subject, t.overridden_status,
                                          t.overridden_change_id, t.overridden_at, t.reason)
                                .where(t.workspace_id == ws, t.person_id == person_id).order_by(t.id))
            return [ConflictRow(r.purpose, r.kept_subject, r.kept_status, r.kept_change_id, str(r.kept_at),
                                r.overridden_subject, r.overridden_status, r.overridden_change_id,
                                str(r.overridden_at), r.reason) for r in rows]

    def person_of(self, ws: str, subject: str) -> str | None:
        """The person of ``subject`` that has person-level consent, if any."""
        holders = persons_holding(self._people, ws, [subject])
        if not holders:
            return None
        t = self._persons.c
        with self._store.connect() as conn:
            return conn.execute(sa.select(t.person_id)
                                .where(t.workspace_id == ws, t.person_id.in_(sorted(holders)))
                                .order_by(t.person_id).limit(1)).scalar()

    # -- for the collector ---------------------------------------------------------------
    def version(self, ws: str) -> tuple[int, int]:
        """Changes whenever subject or person consent moves: (newest consent_state seq, person version)."""
        t = self._state.c
        with self._store.connect() as conn:
            seq = conn.execute(sa.select(sa.func.max(t.updated_seq)).where(t.workspace_id == ws)).scalar()
        return int(seq or 0), self.checkpoint(ws).version

    def refused_subjects(self, ws: str, purposes: Collection[str]) -> set[str]:
        """Subject keys with a refusal of any of `purposes`, on their own or as part of a merged person."""
        s, p = self._state.c, self._persons.c
        with self._store.connect() as conn:
            own = set(conn.execute(sa.select(s.subject).distinct().where(
                s.workspace_id == ws, s.status != "granted", s.purpose.in_(list(purposes)))).scalars())
            persons = list(conn.execute(sa.select(p.person_id).distinct().where(
                p.workspace_id == ws, p.status != "granted", p.purpose.in_(list(purposes)))).scalars())
        held = self._people.identifiers(ws, persons, SUBJECT_ID_KINDS) if persons else {}
        return own | {f"{kind}:{value}" for ids in held.values() for kind, value in ids}

    def person_state(self, ws: str, subject: str) -> ConsentState | None:
        """The merged person's consent for a subject that belongs to one, as a state keyed by the subject."""
        pid = self.person_of(ws, subject)
        if pid is None:
            return None
        winners = self.person(ws, pid)
        if not winners:
            return None
        # The ledger's subject column is a keyed hash (migration 0005): the clear subject is the
        # winner's, as recorded in the person state.
        owner = {w.change_id: w.subject for w in winners}
        t = self._ledger.c
        with self._store.connect() as conn:
            rows = conn.execute(sa.select(*(t[name] for name in LEDGER_COLUMNS))
                                .where(t.workspace_id == ws, t.change_id.in_(sorted(owner))))
            current = {c.purpose: c for c in (change_of(r, owner[r.change_id]) for r in rows)}
        return ConsentState(subject, current)
