"""Identity's ports in memory: the log, the projection's tables (with the ``People`` port), a hub.

``FakeIdentity`` behaves as ``IdentitySql`` + ``PeopleSql`` do on the identity tables
(tests/integration/test_identity_store_contract.py runs the same assertions on both).
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import orjson

from frontoffice.domain.events import StoredEvent
from frontoffice.domain.tenancy import Source
from frontoffice.identity.people_store import person_name
from frontoffice.identity.ports import DecisionRow, ErasedMeanwhile, PersonRow, ProjectionBatch, RecordRow
from frontoffice.identity.projector import Progress, Projector
from frontoffice.projection.contract import ProjectionMoved
from frontoffice.storage.port import AppendBatch


class FakeLog:
    """The event log: appended events get the next seq; a repeated message id is dropped."""

    def __init__(self, sources: Sequence[Source] = ()) -> None:
        self._events: list[StoredEvent] = []
        self._sources = list(sources)

    @property
    def registry(self) -> FakeLog:
        return self

    def sources(self, workspace_id: str) -> list[Source]:
        return [s for s in self._sources if s.workspace_id == workspace_id]

    def append(self, batches: Sequence[AppendBatch]) -> list[int]:
        added = []
        for batch in batches:
            known = {(e.source_id, e.record.message_id) for e in self._events}
            fresh = [e for e in batch.events if (batch.source_id, e.message_id) not in known]
            for record in fresh:
                self._events.append(StoredEvent(len(self._events) + 1, batch.workspace_id,
                                                batch.source_id, record))
            added.append(len(fresh))
        return added

    def events(self, workspace_id: str, *, after_seq: int = 0, limit: int = 1000,
               source_id: str | None = None) -> list[StoredEvent]:
        return [e for e in self._events if e.workspace_id == workspace_id and e.seq > after_seq
                and source_id in (None, e.source_id)][:limit]

    def last_seq(self, workspace_id: str) -> int:
        return max((e.seq for e in self._events if e.workspace_id == workspace_id), default=0)

    def events_at(self, workspace_id: str, seqs: Sequence[int]) -> list[StoredEvent]:
        wanted = set(seqs)
        return [e for e in self._events if e.workspace_id == workspace_id and e.seq in wanted]


@dataclass
class _Workspace:
    checkpoint: tuple[int, int] | None = None
    epoch: int = 0
    records: dict[str, RecordRow] = field(default_factory=dict)
    persons: dict[str, PersonRow] = field(default_factory=dict)
    index: set[tuple[str, str, str]] = field(default_factory=set)  # (kind, value, person_id)
    redirects: dict[str, str] = field(default_factory=dict)  # old person id -> person id
    history: list[dict[str, Any]] = field(default_factory=list)
    outbox: list[dict[str, Any]] = field(default_factory=list)
    decisions: list[DecisionRow] = field(default_factory=list)


class FakeIdentity:
    """``ProjectionTables`` and ``IdentityReads`` over dictionaries; ``people`` is the ``People``
    port over the same data."""

    def __init__(self) -> None:
        self._ws: dict[str, _Workspace] = {}
        self.people = FakePeople(self)

    def of(self, ws: str) -> _Workspace:
        return self._ws.setdefault(ws, _Workspace())

    def erase(self, ws: str) -> None:
        """What an erasure does to the projector's world: the key epoch moves."""
        self.of(ws).epoch += 1

    # -- ProjectionTables ----------------------------------------------------------------
    def key_epoch(self, ws: str) -> int:
        return self.of(ws).epoch

    def checkpoint(self, ws: str) -> tuple[int, int]:
        return self.of(ws).checkpoint or (0, 0)

    def reset(self, ws: str) -> None:
        kept = self.of(ws)
        self._ws[ws] = _Workspace(epoch=kept.epoch, decisions=kept.decisions)

    def apply(self, ws: str, batch: ProjectionBatch, expected: tuple[int, int],
              epoch: int | None = None) -> None:
        w = self.of(ws)
        if epoch is not None and w.epoch != epoch:
            raise ErasedMeanwhile("A person was erased while this projector was running.")
        if w.checkpoint != expected and not (w.checkpoint is None and expected == (0, 0)):
            raise ProjectionMoved("Another projector is resolving this workspace.")
        w.checkpoint = (batch.last_seq, batch.last_decision)
        for r in batch.records:
            old = w.records.get(r.record_id)
            w.records[r.record_id] = r if old is None else _moved(old, r.person_id)
        for rid, pid in batch.moved:
            if rid in w.records:
                w.records[rid] = _moved(w.records[rid], pid)
        written = {p.person_id for p in batch.persons}
        gone = written | set(batch.removed)
        w.index = {key for key in w.index if key[2] not in gone}
        for pid in batch.removed:
            w.persons.pop(pid, None)
        for pid in written:
            w.redirects.pop(pid, None)
        w.persons.update({p.person_id: p for p in batch.persons})
        w.index |= {(kind, value, p.person_id) for p in batch.persons for kind, value in p.identifiers}
        w.redirects.update(dict(batch.redirects))
        w.history += [{"id": len(w.history) + n + 1, "at_seq": batch.last_seq, "kind": kind,
                       "person_id": pid, "others": list(others), "evidence": evidence}
                      for n, (kind, pid, others, evidence) in enumerate(batch.history)]
        w.outbox += [{"id": len(w.outbox) + n + 1, "type": kind, "person_id": pid, "payload": payload}
                     for n, (kind, pid, payload) in enumerate(batch.outbox)]

    def decisions(self, ws: str) -> list[DecisionRow]:
        return list(self.of(ws).decisions)

    def records(self, ws: str, after_seq: int = 0, limit: int = 10_000) -> list[RecordRow]:
        rows = sorted((r for r in self.of(ws).records.values() if r.seq > after_seq), key=lambda r: r.seq)
        return rows[:limit]

    # -- IdentityReads -------------------------------------------------------------------
    def person(self, ws: str, person_id: str) -> tuple[dict[str, Any], int, str, str] | None:
        p = self.of(ws).persons.get(person_id)
        return None if p is None else (orjson.loads(orjson.dumps(p.golden)), p.record_count,
                                       p.first_seen, p.last_seen)

    def lookup(self, ws: str, kind: str, value: str) -> list[str]:
        return sorted(pid for k, v, pid in self.of(ws).index if (k, v) == (kind, value))

    def identifiers(self, ws: str, person_id: str) -> list[tuple[str, str]]:
        return sorted((k, v) for k, v, pid in self.of(ws).index if pid == person_id)

    def person_records(self, ws: str, person_id: str) -> list[RecordRow]:
        return [r for r in self.records(ws) if r.person_id == person_id]

    def persons_of(self, ws: str, record_ids: Sequence[str]) -> dict[str, str]:
        records = self.of(ws).records
        return {rid: records[rid].person_id for rid in record_ids if rid in records}

    def history(self, ws: str, person_ids: Sequence[str]) -> list[dict[str, Any]]:
        wanted = set(person_ids)
        return [h for h in self.of(ws).history if h["person_id"] in wanted or wanted & set(h["others"])]

    def iter_persons(self, ws: str) -> Iterator[tuple[str, dict[str, Any], int, str, str]]:
        for pid, p in sorted(self.of(ws).persons.items()):
            yield pid, p.golden, p.record_count, p.first_seen, p.last_seen

    def mapping(self, ws: str) -> list[tuple[str, str, str]]:
        return [(r.record_id, r.source_id, r.person_id) for r in self.records(ws)]

    def outbox(self, ws: str, after_id: int = 0, limit: int = 1000) -> list[dict[str, Any]]:
        return [o for o in self.of(ws).outbox if o["id"] > after_id][:limit]

    def resolve_id(self, workspace_id: str, person_id: str) -> str | None:
        return self.people.resolve_id(workspace_id, person_id)


class FakePeople:
    """Identity's ``People`` port (for the other capabilities) over a ``FakeIdentity``'s data."""

    def __init__(self, tables: FakeIdentity) -> None:
        self._tables = tables

    def resolve_id(self, workspace_id: str, person_id: str) -> str | None:
        w, seen = self._tables.of(workspace_id), set()
        while person_id not in seen:
            if person_id in w.persons:
                return person_id
            seen.add(person_id)
            if person_id not in w.redirects:
                return None
            person_id = w.redirects[person_id]
        return None

    def identifiers(self, workspace_id: str, person_ids: Collection[str], kinds: Collection[str]
                    ) -> dict[str, list[tuple[str, str]]]:
        out: dict[str, list[tuple[str, str]]] = {}
        index = self._tables.of(workspace_id).index
        for kind, value, pid in sorted(index, key=lambda k: (k[2], k[0], k[1])):
            if pid in person_ids and kind in kinds:
                out.setdefault(pid, []).append((kind, value))
        return out

    def holders(self, workspace_id: str, kind: str, values: Collection[str]) -> dict[str, set[str]]:
        out: dict[str, set[str]] = {}
        for k, value, pid in self._tables.of(workspace_id).index:
            if k == kind and value in values:
                out.setdefault(value, set()).add(pid)
        return out

    def golden(self, workspace_id: str, person_ids: Collection[str]) -> dict[str, dict[str, Any]]:
        persons = self._tables.of(workspace_id).persons
        return {pid: orjson.loads(orjson.dumps(persons[pid].golden)) for pid in person_ids if pid in persons}

    def of_events(self, workspace_id: str, seqs: Collection[int]) -> dict[int, str]:
        return {r.seq: r.person_id for r in self._tables.of(workspace_id).records.values() if r.seq in seqs}

    def of_stored(self, workspace_id: str, events: Sequence[StoredEvent]) -> dict[int, str]:
        return self.of_events(workspace_id, {e.seq for e in events})

    def placed_upto(self, workspace_id: str) -> int:
        return self._tables.checkpoint(workspace_id)[0]

    def record_ids(self, workspace_id: str, person_ids: Collection[str]) -> set[str]:
        records = self._tables.of(workspace_id).records.values()
        return {r.record_id for r in records if r.person_id in person_ids}

    def names(self, workspace_id: str) -> Iterator[tuple[str, str, str]]:
        for pid, p in sorted(self._tables.of(workspace_id).persons.items()):
            yield from person_name(pid, p.golden)

    def merged_ids(self, workspace_id: str, person_ids: Collection[str]) -> dict[str, set[str]]:
        redirects = self._tables.of(workspace_id).redirects
        out: dict[str, set[str]] = {}
        for pid in person_ids:
            found, frontier = set(), {pid}
            while frontier:
                frontier = {old for old, into in redirects.items() if into in frontier} - found - {pid}
                found |= frontier
            out[pid] = found
        return out


def _moved(row: RecordRow, person_id: str) -> RecordRow:
    return RecordRow(row.record_id, row.seq, row.source_id, row.observed_at, person_id, row.data)


class FakeHub:
    """The identity hub over the fakes: one projector per workspace, caught up on demand."""

    def __init__(self, log: FakeLog, tables: FakeIdentity) -> None:
        self.log, self.tables = log, tables
        self._projectors: dict[str, Projector] = {}

    def catch_up(self, workspace_id: str) -> Progress:
        if workspace_id not in self._projectors:
            self._projectors[workspace_id] = Projector(self.log, self.tables, workspace_id)
        return self._projectors[workspace_id].catch_up()

    def rebuild(self, workspace_id: str) -> Progress:
        return Projector(self.log, self.tables, workspace_id).rebuild()
