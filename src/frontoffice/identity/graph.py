"""The identity graph: records joined into persons by shared identifiers, incrementally.

Pure Python, no I/O. Records arrive in log order (:meth:`Graph.add`); each joins every person
it shares a usable identifier with unless a rule forbids it, and every decision is kept as a
:class:`Change` with its :class:`MatchEvidence`. Whatever is not monotonic (an identifier found
to be generic, an external or manual edge, a split) recomputes the affected component from its
records in log order, so the state always equals a replay of the same input (:meth:`rebuild`).
"""

from __future__ import annotations

from collections.abc import Iterable

from frontoffice.identity.graph_people import Household, Node, Person, household_of, merge_blocker
from frontoffice.identity.model import Identifier, IdKind, MatchEvidence
from frontoffice.identity.rules import (
    KIND_RANK,
    NEVER_GENERIC,
    OWNER_KINDS,
    Change,
    GraphConfig,
    MatchEdge,
    person_id_for,
)
from frontoffice.normalise import NameKeys

__all__ = ["Graph", "Node", "Person"]


class Graph:
    def __init__(self, config: GraphConfig) -> None:
        self.config = config
        self.nodes: dict[str, Node] = {}
        self._of: dict[str, Person] = {}
        self._by_pid: dict[str, Person] = {}
        self._index: dict[Identifier, set[Person]] = {}
        self._holders: dict[Identifier, set[str]] = {}
        self._owners: dict[Identifier, dict[IdKind, set[str]]] = {}
        self._surnames: dict[Identifier, list[frozenset[str]]] = {}
        self.generic: set[Identifier] = set()
        self.households: dict[Identifier, Household] = {}
        """Identifiers of the household kinds seen on two people's records (names not alike, or
        birth dates a generation apart): only a record that says which of them it is (a name, a
        birth date) merges through one."""
        self._seen_on: dict[Identifier, tuple[list[NameKeys], set[str]]] = {}
        self._edges: dict[str, list[MatchEdge]] = {}
        self._separations: dict[str, list[tuple[int, int]]] = {}  # record -> (separation, side)
        self._sides: dict[int, tuple[frozenset[str], frozenset[str]]] = {}
        self.changes: list[Change] = []
        self.dirty: set[str] = set()
        self.removed: set[str] = set()
        self._quiet = False

    # -- reading -------------------------------------------------------------------------
    def person_of(self, record_id: str) -> str:
        return self._of[record_id].pid

    def partition(self) -> dict[str, frozenset[str]]:
        return {pid: frozenset(p.members) for pid, p in self._by_pid.items()}

    def members(self, person_id: str) -> frozenset[str]:
        person = self._by_pid.get(person_id)
        return frozenset(person.members) if person else frozenset()

    def lookup(self, identifier: Identifier) -> list[str]:
        return sorted(p.pid for p in self._index.get(identifier, ()))

    def usable(self, identifier: Identifier) -> bool:
        return identifier not in self.generic and identifier not in self.config.blocklist

    def drain(self) -> tuple[list[Change], set[str], set[str]]:
        """The history since the last drain, the persons changed and the ids that disappeared."""
        live = self._by_pid.keys()
        out = (self.changes, self.dirty & live, self.removed - live)
        self.changes, self.dirty, self.removed = [], set(), set()
        return out

    # -- writing -------------------------------------------------------------------------
    def add(self, node: Node) -> None:
        """A new record, later in the log than every record already added."""
        fresh = self._observe_owners(node)
        shared = self._observe_households(node)
        shared = {i for i in shared
                  if any(self._undecided(self.households[i], r) for r in self._holders.get(i, ()))}
        if shared:  # the records placed so far, again, as a replay that knew it from the start would
            seeds = {r for i in shared for p in self._index.get(i, ()) for r in p.members}
            if seeds:
                self._recompute(seeds, MatchEvidence("household", "; ".join(
                    self.households[i].reason for i in sorted(shared))))
        self.nodes[node.record_id] = node
        for ident in node.identifiers:
            self._holders.setdefault(ident, set()).add(node.record_id)
        if fresh:
            seeds = {node.record_id} | {r for i in fresh for p in self._index.get(i, ()) for r in p.members}
            self._recompute(seeds, MatchEvidence("generic", "; ".join(
                f"{i} is seen with different people's identifiers and is no longer used to merge"
                for i in sorted(fresh))))
        else:
            self._place(node)

    def add_edge(self, edge: MatchEdge) -> None:
        """A match from the probabilistic tier or a person's decision to merge."""
        if edge.forced:
            self._drop_separations(edge.record_a, edge.record_b)
        for rid in (edge.record_a, edge.record_b):
            self._edges.setdefault(rid, []).append(edge)
        if edge.record_a in self.nodes and edge.record_b in self.nodes:
            self._recompute({edge.record_a, edge.record_b}, edge.evidence)
            self._explain_refusal(edge)

    def _explain_refusal(self, edge: MatchEdge) -> None:
        """A match the graph refused says why, as a merge refused on a record's arrival does."""
        a, b = self._of[edge.record_a], self._of[edge.record_b]
        if a is b:
            return
        dated = bool(self.nodes[edge.record_a].birth_dates and self.nodes[edge.record_b].birth_dates)
        reason = merge_blocker(self.config, self._separations, self._sides, a, b, edge.forced, None, dated)
        if reason is not None:
            survivor, absorbed = (a, b) if a.oldest <= b.oldest else (b, a)
            self.changes.append(Change("conflict", survivor.pid, (absorbed.pid,), MatchEvidence(
                edge.evidence.rule, f"not merged ({reason}); {edge.evidence.detail}", edge.evidence.weight,
                edge.evidence.probability)))

    def separate(self, side_a: Iterable[str], side_b: Iterable[str], evidence: MatchEvidence) -> None:
        """Records of ``side_a`` never share a person with records of ``side_b`` (split, reject)."""
        a, b = frozenset(side_a), frozenset(side_b)
        for rid in a | b:
            self._edges[rid] = [e for e in self._edges.get(rid, ()) if not _crosses(e, a, b)]
        key = len(self._sides) + 1
        while key in self._sides:
            key += 1
        self._sides[key] = (a, b)
        for side, rids in enumerate((a, b)):
            for rid in rids:
                self._separations.setdefault(rid, []).append((key, side))
                if rid in self._of:
                    self._of[rid].constrained.add(rid)
        self._recompute({r for r in a | b if r in self.nodes}, evidence)

    @classmethod
    def rebuild(cls, config: GraphConfig, nodes: Iterable[Node], edges: Iterable[MatchEdge] = (),
                separations: Iterable[tuple[frozenset[str], frozenset[str]]] = ()) -> Graph:
        """The specification: generic values found over all records first, then every record
        placed in log order, each edge applied when its later record arrives."""
        graph = cls(config)
        ordered = sorted(nodes, key=lambda n: (n.seq, n.record_id))
        for node in ordered:
            graph._observe_owners(node)
            graph._observe_households(node)
        for edge in edges:
            for rid in (edge.record_a, edge.record_b):
                graph._edges.setdefault(rid, []).append(edge)
        for key, (a, b) in enumerate(separations, start=1):
            graph._sides[key] = (a, b)
            for side, rids in enumerate((a, b)):
                for rid in rids:
                    graph._separations.setdefault(rid, []).append((key, side))
        for node in ordered:
            graph.nodes[node.record_id] = node
            for ident in node.identifiers:
                graph._holders.setdefault(ident, set()).add(node.record_id)
            graph._place(node)
        return graph

    # -- the rules -----------------------------------------------------------------------
    def _observe_owners(self, node: Node) -> set[Identifier]:
        owners = [i for i in node.identifiers if i.kind in OWNER_KINDS]
        fresh: set[Identifier] = set()
        for ident in node.identifiers:
            if ident.kind in NEVER_GENERIC or ident in self.generic:
                continue
            seen = self._owners.setdefault(ident, {})
            limit = self.config.generic_owner_limits.get(ident.kind, self.config.generic_owner_limit)
            for owner in owners:
                if owner.kind is not ident.kind:
                    values = seen.setdefault(owner.kind, set())
                    values.add(owner.value)
                    if len(values) > limit:
                        fresh.add(ident)
            if ident.kind in self.config.surname_owner_kinds and node.names:
                surnames = self._surnames.setdefault(ident, [])
                for keys in node.names:
                    spellings = frozenset(keys.family_keys) or frozenset({keys.family})
                    if keys.family and not any(spellings & seen_name for seen_name in surnames):
                        surnames.append(spellings)
                if len(surnames) > self.config.generic_surname_limit:
                    fresh.add(ident)
        self.generic |= fresh
        for ident in fresh:
            self.changes.append(Change("generic", "", (), MatchEvidence(
                "generic", f"{ident} is seen with different people's identifiers; "
                "it is no longer used to merge")))
        return fresh

    def _observe_households(self, node: Node) -> set[Identifier]:
        """Identifiers of the household kinds this record shows on a second person's records."""
        fresh: set[Identifier] = set()
        if not (node.names or node.birth_dates):
            return fresh
        for ident in node.identifiers:
            if ident.kind not in self.config.name_veto_kinds or ident in self.households \
                    or not self.usable(ident):
                continue
            names, births = self._seen_on.setdefault(ident, ([], set()))
            found = household_of(self.config, ident, names, births, node)
            if found is not None:
                self.households[ident] = found
                del self._seen_on[ident]
                fresh.add(ident)
                continue
            names.extend(k for k in node.names if all((k.given, k.family) != (n.given, n.family)
                                                      for n in names))
            births.update(node.birth_dates)
        return fresh

    def _undecided(self, household: Household, record_id: str) -> bool:
        """The record lacks what tells a household's people apart: a merge through it may have to
        be undone (no other merge through the household's identifier changes)."""
        node = self.nodes[record_id]
        return not (node.names if household.by == "names" else node.birth_dates)

    def _place(self, node: Node) -> None:
        rid = node.record_id
        person = Person(person_id_for(rid), (node.seq, rid), {rid})
        self._of[rid] = person
        self._by_pid[person.pid] = person
        if rid in self._separations:
            person.constrained.add(rid)
        person.names = {(k.given, k.family): k for k in node.names}
        person.birth_dates = set(node.birth_dates)
        for ident in node.identifiers:
            person.values.setdefault(ident.kind, {})[ident.value] = (node.seq, rid)
            self._index.setdefault(ident, set()).add(person)
        self.dirty.add(person.pid)
        shared: dict[Person, Identifier] = {}
        for ident in node.identifiers:
            if not self.usable(ident):
                continue
            for other in self._index.get(ident, ()):
                if other is person:
                    continue
                if other not in shared or KIND_RANK[ident.kind] < KIND_RANK[shared[other].kind]:
                    shared[other] = ident
        first = True
        for other in sorted(shared, key=lambda p: (KIND_RANK[shared[p].kind], p.oldest)):
            ident = shared[other]
            witness = other.values[ident.kind][ident.value][1]
            evidence = MatchEvidence("shared-identifier",
                                     f"{ident} shared by records {witness} and {rid}")
            current = self._of[rid]
            if current is other:
                continue
            self._try_merge(current, other, evidence, forced=False, announce=not first, via=ident.kind,
                            household=self.households.get(ident))
            first = False
        # Edges to records already placed, in an order that does not depend on arrival:
        # decisions first, then the strongest match, then the oldest record.
        linked = [(e, e.record_b if e.record_a == rid else e.record_a) for e in self._edges.get(rid, ())]
        linked = sorted(((e, o) for e, o in linked if o in self._of),
                        key=lambda eo: (not eo[0].forced, -(eo[0].evidence.weight or 0.0),
                                        self.nodes[eo[1]].seq, eo[1]))
        for edge, other_rid in linked:
            if self._of[other_rid] is not self._of[rid]:
                dated = bool(node.birth_dates and self.nodes[other_rid].birth_dates)
                self._try_merge(self._of[rid], self._of[other_rid], edge.evidence, edge.forced, True,
                                pair_dated=dated)

    def _try_merge(self, a: Person, b: Person, evidence: MatchEvidence, forced: bool, announce: bool,
                   via: IdKind | None = None, pair_dated: bool = False,
                   household: Household | None = None) -> None:
        reason = merge_blocker(self.config, self._separations, self._sides, a, b, forced, via, pair_dated,
                               household)
        survivor, absorbed = (a, b) if a.oldest <= b.oldest else (b, a)
        if reason is not None:
            if not self._quiet:
                self.changes.append(Change("conflict", survivor.pid, (absorbed.pid,), MatchEvidence(
                    evidence.rule, f"not merged ({reason}); {evidence.detail}", evidence.weight,
                    evidence.probability)))
            return
        keep, gone, oldest = survivor.pid, absorbed.pid, survivor.oldest
        big, small = (a, b) if len(a.members) >= len(b.members) else (b, a)
        for rid in small.members:
            self._of[rid] = big
        big.members |= small.members
        big.constrained |= small.constrained
        big.names.update(small.names)
        big.birth_dates |= small.birth_dates
        for kind, values in small.values.items():
            mine = big.values.setdefault(kind, {})
            for value, first in values.items():
                mine[value] = min(mine.get(value, first), first)
                holders = self._index[Identifier(kind, value)]
                holders.discard(small)
                holders.add(big)
        del self._by_pid[a.pid], self._by_pid[b.pid]
        big.pid, big.oldest = keep, oldest
        self._by_pid[keep] = big
        self.dirty.add(keep)
        self.removed.add(gone)
        if announce and not self._quiet:
            self.changes.append(Change("merged", keep, (gone,), evidence))

    # -- recomputation -------------------------------------------------------------------
    def _component(self, seeds: set[str]) -> set[str]:
        seen: set[str] = set()
        todo = [r for r in seeds if r in self.nodes]
        while todo:
            rid = todo.pop()
            if rid in seen:
                continue
            seen.add(rid)
            if rid in self._of:
                todo.extend(self._of[rid].members - seen)
            for ident in self.nodes[rid].identifiers:
                if self.usable(ident):
                    todo.extend(self._holders[ident] - seen)
            for edge in self._edges.get(rid, ()):
                todo.extend(r for r in (edge.record_a, edge.record_b) if r in self.nodes and r not in seen)
        return seen

    def _recompute(self, seeds: set[str], evidence: MatchEvidence) -> None:
        records = self._component(seeds)
        before = {rid: self._of[rid].pid for rid in records if rid in self._of}
        for person in {id(p): p for r in records if (p := self._of.get(r)) is not None}.values():
            for kind, values in person.values.items():
                for value in values:
                    self._index[Identifier(kind, value)].discard(person)
            self.removed.add(person.pid)
            del self._by_pid[person.pid]
        for rid in records:
            self._of.pop(rid, None)
        self._quiet = True
        try:
            for node in sorted((self.nodes[r] for r in records), key=lambda n: (n.seq, n.record_id)):
                self._place(node)
        finally:
            self._quiet = False
        self._announce(before, {rid: self._of[rid].pid for rid in records}, evidence)

    def _announce(self, before: dict[str, str], after: dict[str, str], evidence: MatchEvidence) -> None:
        olds: dict[str, set[str]] = {}
        news: dict[str, set[str]] = {}
        for rid, new in after.items():
            old = before.get(rid)
            if old is not None:
                olds.setdefault(old, set()).add(new)
                news.setdefault(new, set()).add(old)
            self.dirty.add(new)
        for old, into in sorted(olds.items()):
            if len(into) > 1:
                self.changes.append(Change("split", old, tuple(sorted(into - {old})), evidence))
        for new, came in sorted(news.items()):
            if len(came) > 1:
                self.changes.append(Change("merged", new, tuple(sorted(came - {new})), evidence))

    def _drop_separations(self, a: str, b: str) -> None:
        for key, (side_a, side_b) in list(self._sides.items()):
            if (a in side_a and b in side_b) or (a in side_b and b in side_a):
                del self._sides[key]
                for rid in side_a | side_b:
                    self._separations[rid] = [s for s in self._separations.get(rid, ()) if s[0] != key]


def _crosses(edge: MatchEdge, a: frozenset[str], b: frozenset[str]) -> bool:
    ends = {edge.record_a, edge.record_b}
    return edge.forced and bool(ends & a) and bool(ends & b)
