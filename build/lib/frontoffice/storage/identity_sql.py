"""The identity projection's tables, one SQL implementation for SQLite and PostgreSQL.

Everything here is derived from the event log and can be dropped and rebuilt
(:meth:`IdentitySql.reset`); people's decisions are events of the log too. ``identity_decisions``
only holds splits and merges made before they were, and is read, never written.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import orjson

from frontoffice.domain.events import StoredEvent, iso, now
from frontoffice.projection.contract import ProjectionMoved
from frontoffice.storage.identity_people import PeopleSql
from frontoffice.storage.sql import SqlStore

_PROJECTION = ("identity_records", "identity_index", "identity_persons", "identity_redirects",
               "identity_history", "identity_outbox", "identity_checkpoint")




class ErasedMeanwhile(ProjectionMoved):
    """A person was erased since the projector loaded: its memory may hold the erased records."""


@dataclass(frozen=True, slots=True)
class PersonRow:
    person_id: str
    golden: dict[str, Any]
    record_count: int
    first_seen: str
    last_seen: str
    identifiers: tuple[tuple[str, str], ...]


@dataclass(frozen=True, slots=True)
class RecordRow:
    record_id: str
    seq: int
    source_id: str
    observed_at: str
    person_id: str
    data: bytes  # JSON of the extracted record (identifiers, traits)


@dataclass(frozen=True, slots=True)
class DecisionRow:
    id: int
    kind: str  # "accept" | "separate" | "match"
    side_a: tuple[str, ...]
    side_b: tuple[str, ...]
    rule: str
    detail: str
    weight: float | None
    created_at: str


@dataclass
class ProjectionBatch:
    last_seq: int
    last_decision: int
    records: list[RecordRow] = field(default_factory=list)
    moved: list[tuple[str, str]] = field(default_factory=list)  # (record_id, person_id)
    persons: list[PersonRow] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    redirects: list[tuple[str, str]] = field(default_factory=list)
    history: list[tuple[str, str, list[str], dict[str, Any]]] = field(default_factory=list)
    outbox: list[tuple[str, str, dict[str, Any]]] = field(default_factory=list)


def _j(value: object) -> str:
    return orjson.dumps(value).decode()


class IdentitySql:
    def __init__(self, store: SqlStore) -> None:
        self._store = store

    def _read(self, statement: str, params: Sequence[Any] = ()) -> list[Any]:
        return self._store.query(statement, params)

    def _many(self, cur: Any, statement: str, rows: Sequence[Sequence[Any]]) -> None:
        if rows:
            cur.executemany(self._store.sql(statement), rows)

    # -- checkpoint and reset ------------------------------------------------------------
    def checkpoint(self, ws: str) -> tuple[int, int]:
        """The last event seq and the last decision id the projection reflects."""
        rows = self._read("SELECT last_seq, last_decision FROM identity_checkpoint WHERE workspace_id = ?",
                          (ws,))
        return (int(rows[0][0]), int(rows[0][1])) if rows else (0, 0)

    def reset(self, ws: str) -> None:
        with self._store.transaction() as cur:
            for table in _PROJECTION:
                cur.execute(self._store.sql(f"DELETE FROM {table} WHERE workspace_id = ?"), (ws,))

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
        with self._store.transaction() as cur:
            if epoch is not None and self._store.vault.epoch(cur, self._store.sql, ws) != epoch:
                raise ErasedMeanwhile("A person was erased while this projector was running; "
                                      "it reloads from the purged projection.")
            self._advance(cur, ws, batch, expected)
            self._many(cur, "INSERT INTO identity_records (workspace_id, record_id, seq, source_id, "
                       "observed_at, person_id, data) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT "
                       "(workspace_id, record_id) DO UPDATE SET person_id = excluded.person_id",
                       [(ws, r.record_id, r.seq, r.source_id, r.observed_at, r.person_id,
                         r.data.decode()) for r in batch.records])
            self._many(cur, "UPDATE identity_records SET person_id = ? WHERE workspace_id = ? "
                       "AND record_id = ?", [(pid, ws, rid) for rid, pid in batch.moved])
            gone = [(ws, pid) for pid in [*batch.removed, *(p.person_id for p in batch.persons)]]
            self._many(cur, "DELETE FROM identity_index WHERE workspace_id = ? AND person_id = ?", gone)
            self._many(cur, "DELETE FROM identity_persons WHERE workspace_id = ? AND person_id = ?",
                       [(ws, pid) for pid in batch.removed])
            self._many(cur, "DELETE FROM identity_redirects WHERE workspace_id = ? AND old_person_id = ?",
                       [(ws, p.person_id) for p in batch.persons])
            self._many(cur, "INSERT INTO identity_persons (workspace_id, person_id, golden, record_count, "
                       "first_seen, last_seen, updated_seq) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT "
                       "(workspace_id, person_id) DO UPDATE SET golden = excluded.golden, record_count = "
                       "excluded.record_count, first_seen = excluded.first_seen, last_seen = "
                       "excluded.last_seen, updated_seq = excluded.updated_seq",
                       [(ws, p.person_id, _j(p.golden), p.record_count, p.first_seen, p.last_seen,
                         batch.last_seq) for p in batch.persons])
            self._many(cur, "INSERT INTO identity_index (workspace_id, kind, value, person_id) "
                       "VALUES (?, ?, ?, ?)",
                       [(ws, kind, value, p.person_id)
                        for p in batch.persons for kind, value in p.identifiers])
            self._many(cur, "INSERT INTO identity_redirects (workspace_id, old_person_id, person_id) "
                       "VALUES (?, ?, ?) ON CONFLICT (workspace_id, old_person_id) DO UPDATE SET "
                       "person_id = excluded.person_id", [(ws, old, new) for old, new in batch.redirects])
            self._many(cur, "INSERT INTO identity_history (workspace_id, at_seq, kind, person_id, others, "
                       "evidence) VALUES (?, ?, ?, ?, ?, ?)",
                       [(ws, batch.last_seq, kind, pid, _j(others), _j(ev))
                        for kind, pid, others, ev in batch.history])
            self._many(cur, "INSERT INTO identity_outbox (workspace_id, type, person_id, payload, "
                       "created_at) VALUES (?, ?, ?, ?, ?)",
                       [(ws, kind, pid, _j(payload), created) for kind, pid, payload in batch.outbox])

    def _advance(self, cur: Any, ws: str, batch: ProjectionBatch, expected: tuple[int, int]) -> None:
        sql = self._store.sql
        moved = 0
        if expected == (0, 0):
            cur.execute(sql("INSERT INTO identity_checkpoint (workspace_id, last_seq, last_decision) "
                            "VALUES (?, ?, ?) ON CONFLICT (workspace_id) DO NOTHING"),
                        (ws, batch.last_seq, batch.last_decision))
            moved = cur.rowcount
        if not moved:
            cur.execute(sql("UPDATE identity_checkpoint SET last_seq = ?, last_decision = ? WHERE "
                            "workspace_id = ? AND last_seq = ? AND last_decision = ?"),
                        (batch.last_seq, batch.last_decision, ws, *expected))
            moved = cur.rowcount
        if moved != 1:
            raise ProjectionMoved(
                "Another projector (the API server, or another `frontoffice resolve`) is resolving "
                "this workspace; its work is kept. Run again to continue from where it is.")

    # -- decisions -----------------------------------------------------------------------
    def decisions(self, ws: str) -> list[DecisionRow]:
        """Splits and merges people made before they became events of the log (family
        ``identity``, :mod:`frontoffice.identity.review`); read only, applied first as then."""
        rows = self._read("SELECT id, kind, side_a, side_b, rule, detail, weight, created_at FROM "
                          "identity_decisions WHERE workspace_id = ? ORDER BY id", (ws,))
        return [DecisionRow(int(r[0]), r[1], tuple(orjson.loads(r[2])), tuple(orjson.loads(r[3])),
                            r[4], r[5], None if r[6] is None else float(r[6]), str(r[7])) for r in rows]

    # -- reading -------------------------------------------------------------------------
    def records(self, ws: str, after_seq: int = 0, limit: int = 10_000) -> list[RecordRow]:
        rows = self._read("SELECT record_id, seq, source_id, observed_at, person_id, data FROM "
                          "identity_records WHERE workspace_id = ? AND seq > ? ORDER BY seq LIMIT ?",
                          (ws, after_seq, limit))
        return [RecordRow(r[0], int(r[1]), r[2], r[3], r[4], str(r[5]).encode()) for r in rows]

    def persons_of(self, ws: str, record_ids: Sequence[str]) -> dict[str, str]:
        out: dict[str, str] = {}
        for start in range(0, len(record_ids), 500):
            chunk = list(record_ids[start:start + 500])
            marks = ", ".join("?" * len(chunk))
            rows = self._read(f"SELECT record_id, person_id FROM identity_records WHERE workspace_id = ? "
                              f"AND record_id IN ({marks})", (ws, *chunk))
            out.update({r[0]: r[1] for r in rows})
        return out

    def resolve_id(self, ws: str, person_id: str) -> str | None:
        """The live id of ``person_id``, following merge redirects (identity's ``People`` port)."""
        return PeopleSql(self._store).resolve_id(ws, person_id)

    def person(self, ws: str, person_id: str) -> tuple[dict[str, Any], int, str, str] | None:
        rows = self._read("SELECT golden, record_count, first_seen, last_seen FROM identity_persons "
                          "WHERE workspace_id = ? AND person_id = ?", (ws, person_id))
        if not rows:
            return None
        return orjson.loads(rows[0][0]), int(rows[0][1]), str(rows[0][2]), str(rows[0][3])

    def lookup(self, ws: str, kind: str, value: str) -> list[str]:
        rows = self._read("SELECT person_id FROM identity_index WHERE workspace_id = ? AND kind = ? "
                          "AND value = ? ORDER BY person_id", (ws, kind, value))
        return [r[0] for r in rows]

    def identifiers(self, ws: str, person_id: str) -> list[tuple[str, str]]:
        rows = self._read("SELECT kind, value FROM identity_index WHERE workspace_id = ? AND "
                          "person_id = ? ORDER BY kind, value", (ws, person_id))
        return [(r[0], r[1]) for r in rows]

    def person_records(self, ws: str, person_id: str) -> list[RecordRow]:
        rows = self._read("SELECT record_id, seq, source_id, observed_at, person_id, data FROM "
                          "identity_records WHERE workspace_id = ? AND person_id = ? ORDER BY seq",
                          (ws, person_id))
        return [RecordRow(r[0], int(r[1]), r[2], r[3], r[4], str(r[5]).encode()) for r in rows]

    def history(self, ws: str, person_ids: Sequence[str]) -> list[dict[str, Any]]:
        wanted = set(person_ids)
        if not wanted:
            return []
        where = " OR ".join(["person_id = ? OR others LIKE ?"] * len(wanted))
        params = [p for pid in sorted(wanted) for p in (pid, f'%"{pid}"%')]
        rows = self._read("SELECT id, at_seq, kind, person_id, others, evidence FROM identity_history "
                          f"WHERE workspace_id = ? AND ({where}) ORDER BY id", (ws, *params))
        out = []
        for r in rows:
            others = orjson.loads(r[4])
            if r[3] in wanted or wanted & set(others):
                out.append({"id": int(r[0]), "at_seq": int(r[1]), "kind": r[2], "person_id": r[3],
                            "others": others, "evidence": orjson.loads(r[5])})
        return out

    def timeline(self, ws: str, person_id: str, limit: int) -> list[StoredEvent]:
        seqs = [r.seq for r in self.person_records(ws, person_id)][-limit:]
        return self._store.events_at(ws, seqs)

    def iter_persons(self, ws: str) -> Iterator[tuple[str, dict[str, Any], int, str, str]]:
        rows = self._read("SELECT person_id, golden, record_count, first_seen, last_seen FROM "
                          "identity_persons WHERE workspace_id = ? ORDER BY person_id", (ws,))
        for r in rows:
            yield r[0], orjson.loads(r[1]), int(r[2]), str(r[3]), str(r[4])

    def mapping(self, ws: str) -> list[tuple[str, str, str]]:
        rows = self._read("SELECT record_id, source_id, person_id FROM identity_records WHERE "
                          "workspace_id = ? ORDER BY seq", (ws,))
        return [(r[0], r[1], r[2]) for r in rows]

    def outbox(self, ws: str, after_id: int = 0, limit: int = 1000) -> list[dict[str, Any]]:
        rows = self._read("SELECT id, type, person_id, payload, created_at FROM identity_outbox WHERE "
                          "workspace_id = ? AND id > ? ORDER BY id LIMIT ?", (ws, after_id, limit))
        return [{"id": int(r[0]), "type": r[1], "person_id": r[2], "payload": orjson.loads(r[3]),
                 "created_at": str(r[4])} for r in rows]

    def count_records(self, ws: str) -> int:
        return int(self._read("SELECT count(*) FROM identity_records WHERE workspace_id = ?", (ws,))[0][0])

    def count_persons(self, ws: str) -> int:
        return int(self._read("SELECT count(*) FROM identity_persons WHERE workspace_id = ?", (ws,))[0][0])
