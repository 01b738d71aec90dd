"""The identity projection's tables in SQLAlchemy Core (named columns), for SQLite and PostgreSQL.

Everything here is derived from the event log and can be dropped and rebuilt
(:meth:`IdentitySql.reset`); people's decisions are events of the log too. ``identity_decisions``
only holds splits and merges made before they were, and is read, never written.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

import orjson
import sqlalchemy as sa

from frontoffice.domain.events import StoredEvent, iso, now
from frontoffice.identity.people_store import PeopleSql
from frontoffice.identity.ports import DecisionRow, ErasedMeanwhile, ProjectionBatch, RecordRow
from frontoffice.projection.contract import ProjectionMoved
from frontoffice.storage import core
from frontoffice.storage.sql import SqlStore
from frontoffice.storage.tables import schema

_PROJECTION = ("identity_records", "identity_index", "identity_persons", "identity_redirects",
               "identity_history", "identity_outbox", "identity_checkpoint")


def _j(value: object) -> str:
    return orjson.dumps(value).decode()


def _record(r: sa.Row[Any]) -> RecordRow:
    return RecordRow(r.record_id, int(r.seq), r.source_id, r.observed_at, r.person_id, str(r.data).encode())


class IdentitySql:
    """The projection's tables (:class:`~frontoffice.identity.ports.ProjectionTables`) and what
    the use cases read of them (:class:`~frontoffice.identity.ports.IdentityReads`)."""

    def __init__(self, store: SqlStore) -> None:
        self._store = store
        self._dialect = store.dialect
        tables = schema(store.dialect).tables
        self._tables = [tables[name] for name in _PROJECTION]
        self._checkpoint = tables["identity_checkpoint"]
        self._decisions = tables["identity_decisions"]
        self._history = tables["identity_history"]
        self._index = tables["identity_index"]
        self._outbox = tables["identity_outbox"]
        self._persons = tables["identity_persons"]
        self._records = tables["identity_records"]
        self._redirects = tables["identity_redirects"]

    def _all(self, statement: sa.Executable) -> list[sa.Row[Any]]:
        with self._store.connect() as conn:
            return list(conn.execute(statement).all())

    # -- checkpoint and reset ------------------------------------------------------------
    def checkpoint(self, ws: str) -> tuple[int, int]:
        """The last event seq and the last decision id the projection reflects."""
        c = self._checkpoint.c
        rows = self._all(sa.select(c.last_seq, c.last_decision).where(c.workspace_id == ws))
        return (int(rows[0].last_seq), int(rows[0].last_decision)) if rows else (0, 0)

    def reset(self, ws: str) -> None:
        with self._store.begin() as conn:
            for table in self._tables:
                conn.execute(sa.delete(table).where(table.c.workspace_id == ws))

    # -- writing a batch -----------------------------------------------------------------
    def key_epoch(self, ws: str) -> int:
        """The workspace's key epoch: raised by every erasure (``privacy_key_epochs``)."""
        return self._store.vault.epoch(self._store.read_cursor(), self._store.sql, ws)

    def apply(self, ws: str, batch: ProjectionBatch, expected: tuple[int, int],
              epoch: int | None = None) -> None:
        """One transaction: the batch's records, persons, index, history, outbox, checkpoint.

        ``expected`` is the checkpoint the caller's state was built on; if another projector
        has moved it since, nothing is written and :class:`ProjectionMoved` is raised. With
        ``epoch`` (the key epoch the caller loaded at), an erasure since raises
        :class:`ErasedMeanwhile` instead of writing back people it purged."""
        created = iso(now())
        with self._store.begin() as conn:
            # the vault (privacy's) reads its epoch through a cursor: this transaction's
            if epoch is not None and self.key_epoch(ws) != epoch:
                raise ErasedMeanwhile("A person was erased while this projector was running; "
                                      "it reloads from the purged projection.")
            self._advance(conn, ws, batch, expected)
            self._write(conn, ws, batch, created)

    def _write(self, conn: sa.Connection, ws: str, batch: ProjectionBatch, created: str) -> None:
        records, persons, index = self._records, self._persons, self._index
        redirects, history, outbox = self._redirects, self._history, self._outbox
        if batch.records:
            upsert = core.insert(records, self._dialect)
            core.execute_many(conn, upsert.on_conflict_do_update(
                index_elements=[records.c.workspace_id, records.c.record_id],
                set_={"person_id": upsert.excluded.person_id}),
                [{"workspace_id": ws, "record_id": r.record_id, "seq": r.seq, "source_id": r.source_id,
                  "observed_at": r.observed_at, "person_id": r.person_id, "data": r.data.decode()}
                 for r in batch.records])
        if batch.moved:
            conn.execute(sa.update(records).where(records.c.workspace_id == ws,
                                                  records.c.record_id == sa.bindparam("b_record"))
                         .values(person_id=sa.bindparam("b_person")),
                         [{"b_record": rid, "b_person": pid} for rid, pid in batch.moved])
        written = [p.person_id for p in batch.persons]
        if gone := [*batch.removed, *written]:
            conn.execute(sa.delete(index).where(index.c.workspace_id == ws, index.c.person_id.in_(gone)))
        if batch.removed:
            conn.execute(sa.delete(persons).where(persons.c.workspace_id == ws,
                                                  persons.c.person_id.in_(batch.removed)))
        if written:
            conn.execute(sa.delete(redirects).where(redirects.c.workspace_id == ws,
                                                    redirects.c.old_person_id.in_(written)))
            upsert = core.insert(persons, self._dialect)
            core.execute_many(conn, upsert.on_conflict_do_update(
                index_elements=[persons.c.workspace_id, persons.c.person_id],
                set_={name: upsert.excluded[name] for name in
                      ("golden", "record_count", "first_seen", "last_seen", "updated_seq")}),
                [{"workspace_id": ws, "person_id": p.person_id, "golden": _j(p.golden),
                  "record_count": p.record_count, "first_seen": p.first_seen, "last_seen": p.last_seen,
                  "updated_seq": batch.last_seq} for p in batch.persons])
        if keys := [{"workspace_id": ws, "kind": kind, "value": value, "person_id": p.person_id}
                    for p in batch.persons for kind, value in p.identifiers]:
            core.execute_many(conn, sa.insert(index), keys)
        if batch.redirects:
            upsert = core.insert(redirects, self._dialect)
            conn.execute(upsert.on_conflict_do_update(
                index_elements=[redirects.c.workspace_id, redirects.c.old_person_id],
                set_={"person_id": upsert.excluded.person_id}),
                [{"workspace_id": ws, "old_person_id": old, "person_id": new}
                 for old, new in batch.redirects])
        if batch.history:
            core.execute_many(conn, sa.insert(history), [
                {"workspace_id": ws, "at_seq": batch.last_seq, "kind": kind, "person_id": pid,
                 "others": _j(others), "evidence": _j(ev)} for kind, pid, others, ev in batch.history])
        if batch.outbox:
            core.execute_many(conn, sa.insert(outbox), [
                {"workspace_id": ws, "type": kind, "person_id": pid, "payload": _j(payload),
                 "created_at": created} for kind, pid, payload in batch.outbox])

    def _advance(self, conn: sa.Connection, ws: str, batch: ProjectionBatch,
                 expected: tuple[int, int]) -> None:
        c = self._checkpoint.c
        moved = None  # RETURNING says whether the row was written (psycopg's rowcount may be -1)
        if expected == (0, 0):
            moved = conn.execute(core.insert(self._checkpoint, self._dialect).values(
                workspace_id=ws, last_seq=batch.last_seq, last_decision=batch.last_decision)
                .on_conflict_do_nothing(index_elements=[c.workspace_id]).returning(c.workspace_id)).first()
        if moved is None:
            moved = conn.execute(
                sa.update(self._checkpoint)
                .where(c.workspace_id == ws, c.last_seq == expected[0], c.last_decision == expected[1])
                .values(last_seq=batch.last_seq, last_decision=batch.last_decision)
                .returning(c.workspace_id)).first()
        if moved is None:
            raise ProjectionMoved(
                "Another projector (the API server, or another `frontoffice resolve`) is resolving "
                "this workspace; its work is kept. Run again to continue from where it is.")

    # -- decisions -----------------------------------------------------------------------
    def decisions(self, ws: str) -> list[DecisionRow]:
        """Splits and merges people made before they became events of the log (family
        ``identity``, :mod:`frontoffice.identity.review`); read only, applied first as then."""
        d = self._decisions.c
        rows = self._all(sa.select(d.id, d.kind, d.side_a, d.side_b, d.rule, d.detail, d.weight, d.created_at)
                         .where(d.workspace_id == ws).order_by(d.id))
        return [DecisionRow(int(r.id), r.kind, tuple(orjson.loads(r.side_a)), tuple(orjson.loads(r.side_b)),
                            r.rule, r.detail, None if r.weight is None else float(r.weight),
                            str(r.created_at))
                for r in rows]

    # -- reading -------------------------------------------------------------------------
    def _record_select(self) -> sa.Select[Any]:
        r = self._records.c
        return sa.select(r.record_id, r.seq, r.source_id, r.observed_at, r.person_id, r.data)

    def records(self, ws: str, after_seq: int = 0, limit: int = 10_000) -> list[RecordRow]:
        r = self._records.c
        rows = self._all(self._record_select().where(r.workspace_id == ws, r.seq > after_seq)
                         .order_by(r.seq).limit(limit))
        return [_record(row) for row in rows]

    def persons_of(self, ws: str, record_ids: Sequence[str]) -> dict[str, str]:
        r = self._records.c
        out: dict[str, str] = {}
        for ids in core.batches(record_ids):  # a matcher run may ask for every record
            rows = self._all(sa.select(r.record_id, r.person_id)
                             .where(r.workspace_id == ws, r.record_id.in_(ids)))
            out.update({row.record_id: row.person_id for row in rows})
        return out

    def resolve_id(self, ws: str, person_id: str) -> str | None:
        """The live id of ``person_id``, following merge redirects (identity's ``People`` port)."""
        return PeopleSql(self._store).resolve_id(ws, person_id)

    def person(self, ws: str, person_id: str) -> tuple[dict[str, Any], int, str, str] | None:
        p = self._persons.c
        rows = self._all(sa.select(p.golden, p.record_count, p.first_seen, p.last_seen)
                         .where(p.workspace_id == ws, p.person_id == person_id))
        if not rows:
            return None
        row = rows[0]
        return orjson.loads(row.golden), int(row.record_count), str(row.first_seen), str(row.last_seen)

    def lookup(self, ws: str, kind: str, value: str) -> list[str]:
        i = self._index.c
        rows = self._all(sa.select(i.person_id).where(i.workspace_id == ws, i.kind == kind, i.value == value)
                         .order_by(i.person_id))
        return [r.person_id for r in rows]

    def identifiers(self, ws: str, person_id: str) -> list[tuple[str, str]]:
        i = self._index.c
        rows = self._all(sa.select(i.kind, i.value).where(i.workspace_id == ws, i.person_id == person_id)
                         .order_by(i.kind, i.value))
        return [(r.kind, r.value) for r in rows]

    def person_records(self, ws: str, person_id: str) -> list[RecordRow]:
        r = self._records.c
        rows = self._all(self._record_select().where(r.workspace_id == ws, r.person_id == person_id)
                         .order_by(r.seq))
        return [_record(row) for row in rows]

    def history(self, ws: str, person_ids: Sequence[str]) -> list[dict[str, Any]]:
        wanted = set(person_ids)
        if not wanted:
            return []
        h = self._history.c
        named = [sa.or_(h.person_id == pid, h.others.like(f'%"{pid}"%')) for pid in sorted(wanted)]
        rows = self._all(sa.select(h.id, h.at_seq, h.kind, h.person_id, h.others, h.evidence)
                         .where(h.workspace_id == ws, sa.or_(*named)).order_by(h.id))
        out = []
        for r in rows:
            others = orjson.loads(r.others)
            if r.person_id in wanted or wanted & set(others):
                out.append({"id": int(r.id), "at_seq": int(r.at_seq), "kind": r.kind,
                            "person_id": r.person_id,
                            "others": others, "evidence": orjson.loads(r.evidence)})
        return out

    def timeline(self, ws: str, person_id: str, limit: int) -> list[StoredEvent]:
        seqs = [r.seq for r in self.person_records(ws, person_id)][-limit:]
        return self._store.events_at(ws, seqs)

    def iter_persons(self, ws: str) -> Iterator[tuple[str, dict[str, Any], int, str, str]]:
        p = self._persons.c
        rows = self._all(sa.select(p.person_id, p.golden, p.record_count, p.first_seen, p.last_seen)
                         .where(p.workspace_id == ws).order_by(p.person_id))
        for r in rows:
            yield (r.person_id, orjson.loads(r.golden), int(r.record_count), str(r.first_seen),
                   str(r.last_seen))

    def mapping(self, ws: str) -> list[tuple[str, str, str]]:
        r = self._records.c
        rows = self._all(sa.select(r.record_id, r.source_id, r.person_id).where(r.workspace_id == ws)
                         .order_by(r.seq))
        return [(row.record_id, row.source_id, row.person_id) for row in rows]

    def outbox(self, ws: str, after_id: int = 0, limit: int = 1000) -> list[dict[str, Any]]:
        o = self._outbox.c
        rows = self._all(sa.select(o.id, o.type, o.person_id, o.payload, o.created_at)
                         .where(o.workspace_id == ws, o.id > after_id).order_by(o.id).limit(limit))
        return [{"id": int(r.id), "type": r.type, "person_id": r.person_id,
                 "payload": orjson.loads(r.payload), "created_at": str(r.created_at)} for r in rows]

    def _count(self, table: sa.Table, ws: str) -> int:
        with self._store.connect() as conn:
            return int(conn.execute(sa.select(sa.func.count()).select_from(table)
                                    .where(table.c.workspace_id == ws)).scalar_one())

    def count_records(self, ws: str) -> int:
        return self._count(self._records, ws)

    def count_persons(self, ws: str) -> int:
        return self._count(self._persons, ws)
