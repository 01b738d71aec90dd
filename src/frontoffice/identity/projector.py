"""Applies the event log to the identity graph and writes the projection, batch by batch.

The projector keeps the graph in memory. On start it replays the decisions (the legacy decisions
table, then the decisions of the log, :mod:`frontoffice.identity.review`) and the records already
projected (their extracted form, not the raw log), then follows the log from its checkpoint:
tracking events become records, family-``identity`` events (a probabilistic match, a reviewer's
accept or reject, a person's split or merge) are applied to the graph at their place in the log.
:meth:`Projector.rebuild` drops the projection and replays the whole log: the result is the same
persons, ids and golden records.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import orjson

from frontoffice.domain.events import TRACKING
from frontoffice.identity.extract import extract, record_name_keys
from frontoffice.identity.golden import SurvivorshipConfig, golden
from frontoffice.identity.graph import Graph, Node
from frontoffice.identity.model import Identifier, IdentityRecord, IdKind, MatchEvidence, TraitValue
from frontoffice.identity.ports import (
    DecisionRow,
    ErasedMeanwhile,
    Log,
    PersonRow,
    ProjectionBatch,
    ProjectionTables,
    RecordRow,
)
from frontoffice.identity.review import Decision, decision_of, identity_source
from frontoffice.identity.review import apply as apply_pair_decision
from frontoffice.identity.rules import Change, GraphConfig, MatchEdge

BATCH = 2000


@dataclass(frozen=True, slots=True)
class Slim:
    """What the projector keeps of a record: enough to rebuild the graph and golden record."""

    record_id: str
    seq: int
    source_id: str
    observed_at: str
    identifiers: tuple[Identifier, ...]
    traits: tuple[TraitValue, ...]
    name: tuple[str, str, str | None] | None = None  # given, family, country

    def node(self) -> Node:
        keys = record_name_keys(*self.name) if self.name else None
        births = tuple(str(t.value) for t in self.traits if t.name == "birthDate")
        return Node(self.record_id, self.seq, self.identifiers, (keys,) if keys else (), births)

    def encode(self) -> bytes:
        return orjson.dumps({"i": [[i.kind.value, i.value] for i in self.identifiers],
                             "t": [[t.name, t.value] for t in self.traits], "n": self.name})

    @classmethod
    def decode(cls, row: RecordRow) -> Slim:
        data = orjson.loads(row.data)
        return cls(row.record_id, row.seq, row.source_id, row.observed_at,
                   tuple(Identifier(IdKind(k), v) for k, v in data["i"]),
                   tuple(TraitValue(n, v, row.source_id, row.record_id, row.observed_at)
                         for n, v in data["t"]),
                   tuple(data["n"]) if data.get("n") else None)

    @classmethod
    def of(cls, record: IdentityRecord) -> Slim:
        a = record.attributes
        name = (a.given_name, a.family_name, a.country) if a.given_name and a.family_name else None
        return cls(record.record_id, record.seq, record.source_id, record.observed_at,
                   record.identifiers, record.traits, name)


@dataclass
class Progress:
    events: int = 0
    persons_changed: int = 0
    seconds: float = 0.0
    stitch_ms: list[float] = field(default_factory=list)


def apply_decision(graph: Graph, row: DecisionRow) -> None:
    if row.kind == "separate":
        graph.separate(row.side_a, row.side_b, MatchEvidence(row.rule, row.detail, row.weight))
    else:
        evidence = MatchEvidence(row.rule, row.detail, row.weight)
        graph.add_edge(MatchEdge(row.side_a[0], row.side_b[0], evidence, forced=row.kind == "accept"))


class Projector:
    """One workspace's projection: ``log`` is read, ``tables`` written (identity's ports)."""

    def __init__(self, log: Log, tables: ProjectionTables, workspace_id: str,
                 config: GraphConfig | None = None, survivorship: SurvivorshipConfig | None = None) -> None:
        self.log = log
        self.tables = tables
        self.ws = workspace_id
        self.config = config or GraphConfig()
        self.survivorship = survivorship or SurvivorshipConfig()
        self.graph = Graph(self.config)
        self.records: dict[str, Slim] = {}
        self._written: dict[str, str] = {}
        self._decisions = 0
        self.checkpoint = 0
        self._channels: dict[str, str] = {}
        self._server_side: frozenset[str] = frozenset()
        self._loaded = False
        self._persisted = (0, 0)
        self._epoch = 0  # the key epoch (erasures) the memory was loaded at

    # -- state ---------------------------------------------------------------------------
    def load(self) -> None:
        """Warm start: the table's decisions, then the records already projected and the log's
        pair decisions interleaved in log order — as the live projection met them, since the
        graph's rules (limits, vetoes) depend on what it held when each edge came."""
        self.graph = Graph(self.config)
        self.records, self._written = {}, {}
        self._epoch = self.tables.key_epoch(self.ws)  # before the rows: an erasure after is seen
        self.checkpoint, reflected = self.tables.checkpoint(self.ws)
        self._persisted = (self.checkpoint, reflected)
        self._decisions = 0
        self._apply_decisions(up_to=reflected)
        decisions = self._log_decisions()
        pending = 0
        after = 0
        while rows := self.tables.records(self.ws, after_seq=after):
            for row in rows:
                while pending < len(decisions) and decisions[pending][0] < row.seq:
                    apply_pair_decision(self.graph, decisions[pending][1])
                    pending += 1
                slim = Slim.decode(row)
                self.records[slim.record_id] = slim
                self._written[slim.record_id] = row.person_id
                self.graph.add(slim.node())
            after = rows[-1].seq
        for _, decision in decisions[pending:]:
            apply_pair_decision(self.graph, decision)
        self.graph.drain()
        self._loaded = True

    def _log_decisions(self) -> list[tuple[int, Decision]]:
        """The pair decisions of the log already reflected (family ``identity``), with their seq."""
        out: list[tuple[int, Decision]] = []
        after, source = 0, identity_source(self.ws)
        while events := self.log.events(self.ws, after_seq=after, limit=BATCH, source_id=source):
            for event in events:
                decision = decision_of(event.record)
                if event.seq <= self.checkpoint and decision is not None:
                    out.append((event.seq, decision))
            if events[-1].seq >= self.checkpoint:
                break
            after = events[-1].seq
        return out

    def rebuild(self, on_progress: Callable[[int], None] | None = None) -> Progress:
        """Drop the projection and replay the whole log (decisions are kept)."""
        self._epoch = self.tables.key_epoch(self.ws)
        self.tables.reset(self.ws)
        self.graph = Graph(self.config)
        self.records, self._written, self.checkpoint, self._decisions = {}, {}, 0, 0
        self._persisted = (0, 0)
        self._loaded = True
        return self.catch_up(on_progress)

    def catch_up(self, on_progress: Callable[[int], None] | None = None,
                 batch_size: int = BATCH) -> Progress:
        for _ in range(3):
            if not self._loaded or self.tables.key_epoch(self.ws) != self._epoch:
                self.load()  # first use, or a person was erased: their records leave memory too
            try:
                return self._follow(on_progress, batch_size)
            except ErasedMeanwhile:
                self._loaded = False
            except BaseException:
                self._loaded = False  # the memory may be ahead of the database: reload next time
                raise
        raise ErasedMeanwhile("Erasures kept interrupting this projector; run it again.")

    def _follow(self, on_progress: Callable[[int], None] | None, batch_size: int) -> Progress:
        """Up to the log's head as the pass begins: what arrives meanwhile waits for the next
        pass, so a log growing as fast as identity reads it never keeps the runner's other
        projections (segments, consent, …) from their turn."""
        progress = Progress()
        started = time.perf_counter()
        self._apply_decisions()
        head = self.log.last_seq(self.ws)
        while self.checkpoint < head:
            events = [e for e in self.log.events(self.ws, after_seq=self.checkpoint, limit=batch_size)
                      if e.seq <= head]
            if not events:
                break
            for event in events:
                decision = decision_of(event.record)
                if decision is not None:
                    apply_pair_decision(self.graph, decision)
                    continue
                if event.record.family != TRACKING:
                    # Commerce and consent events speak about customers by key; they join
                    # people through those keys, not as identity records of their own.
                    continue
                tick = time.perf_counter()
                slim = Slim.of(extract(event))
                self.records[slim.record_id] = slim
                self.graph.add(slim.node())
                progress.stitch_ms.append((time.perf_counter() - tick) * 1000)
            self.checkpoint = events[-1].seq
            progress.persons_changed += self._flush()
            progress.events += len(events)
            if on_progress:
                on_progress(len(events))
        progress.persons_changed += self._flush()
        progress.seconds = time.perf_counter() - started
        return progress

    def _apply_decisions(self, up_to: int | None = None) -> None:
        for row in self.tables.decisions(self.ws):
            if row.id > self._decisions and (up_to is None or row.id <= up_to):
                apply_decision(self.graph, row)
                self._decisions = row.id

    # -- writing -------------------------------------------------------------------------
    def _sources(self) -> tuple[dict[str, str], frozenset[str]]:
        """Each source's channel, and the server-side sources (survivorship ranks by both)."""
        if not self._channels:
            sources = self.log.registry.sources(self.ws)  # a located workspace's: the main db's
            self._channels = {s.id: s.channel.value for s in sources}
            self._server_side = frozenset(s.id for s in sources if s.server_side)
        return self._channels, self._server_side

    def _flush(self) -> int:
        changes, dirty, removed = self.graph.drain()
        position = (self.checkpoint, self._decisions)
        if not (changes or dirty or removed) and position == self._persisted:
            return 0
        self._channels = {}
        batch = ProjectionBatch(last_seq=self.checkpoint, last_decision=self._decisions,
                                removed=sorted(removed))
        for pid in sorted(dirty):
            rids = sorted(self.graph.members(pid), key=lambda r: self.records[r].seq)
            batch.persons.append(self._person_row(pid, rids))
            for rid in rids:
                if rid not in self._written:
                    slim = self.records[rid]
                    batch.records.append(RecordRow(rid, slim.seq, slim.source_id, slim.observed_at,
                                                   pid, slim.encode()))
                elif self._written[rid] != pid:
                    batch.moved.append((rid, pid))
                self._written[rid] = pid
        self._history(changes, batch)
        self.tables.apply(self.ws, batch, self._persisted, self._epoch)
        self._persisted = position
        return len(batch.persons)

    def _person_row(self, pid: str, rids: list[str]) -> PersonRow:
        slims = [self.records[r] for r in rids]
        traits: list[TraitValue] = [t for s in slims for t in s.traits]
        channel_of, server_side = self._sources()
        values = golden(traits, channel_of, self.survivorship, server_side=server_side)
        idents = sorted({i for s in slims for i in s.identifiers if self.graph.usable(i)})
        times = [s.observed_at for s in slims]
        return PersonRow(pid, values, len(rids), min(times), max(times),
                         tuple((i.kind.value, i.value) for i in idents))

    @staticmethod
    def _history(changes: Iterable[Change], batch: ProjectionBatch) -> None:
        """History rows, and one change event per person change: ``person.merged`` for a merge,
        ``person.split`` for a split (naming every resulting id), ``person.updated`` for a person
        created or changed otherwise. A person a merge or split already speaks of gets no second
        ``person.updated`` in the same batch."""
        counts = {p.person_id: p.record_count for p in batch.persons}
        spoken: set[str] = set()
        for change in changes:
            evidence: dict[str, Any] = {"rule": change.evidence.rule, "detail": change.evidence.detail,
                                        "weight": change.evidence.weight}
            batch.history.append((change.kind, change.person_id, list(change.others), evidence))
            if change.kind == "merged":
                batch.redirects += [(old, change.person_id) for old in change.others]
                batch.outbox.append(("person.merged", change.person_id,
                                     {"person_id": change.person_id, "merged": list(change.others),
                                      "record_count": counts.get(change.person_id),
                                      "evidence": evidence}))
                spoken.add(change.person_id)
            elif change.kind == "split":
                batch.outbox.append(("person.split", change.person_id,
                                     {"person_id": change.person_id, "into": list(change.others),
                                      "record_counts": {p: counts.get(p) for p in
                                                        (change.person_id, *change.others)},
                                      "evidence": evidence}))
                spoken |= {change.person_id, *change.others}
        batch.outbox += [("person.updated", p.person_id,
                          {"person_id": p.person_id, "record_count": p.record_count})
                         for p in batch.persons if p.person_id not in spoken]
