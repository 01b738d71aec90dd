"""The active definitions of a workspace, checked together: computed traits, and segments in an
order where a segment comes after every segment it reads (a cycle is refused)."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from frontoffice.segments.conditions import (
    All,
    AnyOf,
    Computed,
    Condition,
    Not,
    parse,
    references,
)
from frontoffice.segments.evaluate import Person, Value, compute, evaluate, filters_of
from frontoffice.segments.holds import Holds, Reads, compile_condition, reads_of
from frontoffice.segments.model import Filter, InvalidDefinition, TraitDef, parse_trait
from frontoffice.segments.ports import Definition

NUMBER_OPS = ("gt", "gte", "lt", "lte")


@dataclass(frozen=True, slots=True)
class Segment:
    name: str
    version: int
    condition: Condition
    description: str = ""


@dataclass(frozen=True, slots=True)
class Baseline:
    """The empty person (no event, no fact): each segment's answer and its reason, each trait's
    value. Time does not change them: there is no event to leave a window, no day to count since."""

    answers: dict[str, bool]
    why: dict[str, str]
    values: dict[str, Value]


@dataclass(frozen=True, slots=True)
class Index:
    """Which traits each event name feeds, and which segments read each event name, computed
    trait and fact (``Reads``), so an evaluation in part finds what it must answer again."""

    fed: dict[str, frozenset[str]]
    by_event: dict[str, frozenset[str]]
    by_computed: dict[str, frozenset[str]]
    by_fact: dict[str, frozenset[str]]

    def traits_fed(self, names: Collection[str]) -> set[str]:
        return {t for n in names for t in self.fed.get(n, ())}

    def segments_reading(self, names: Collection[str], computed: Collection[str],
                         facts: Collection[str]) -> set[str]:
        return ({s for n in names for s in self.by_event.get(n, ())}
                | {s for c in computed for s in self.by_computed.get(c, ())}
                | {s for f in facts for s in self.by_fact.get(f, ())})


def _inverse(pairs: Iterable[tuple[str, str]]) -> dict[str, frozenset[str]]:
    found: dict[str, set[str]] = {}
    for key, name in pairs:
        found.setdefault(key, set()).add(name)
    return {key: frozenset(names) for key, names in found.items()}


@dataclass
class Catalog:
    traits: dict[str, tuple[TraitDef, int]] = field(default_factory=dict)
    segments: list[Segment] = field(default_factory=list)  # dependencies first
    _holds: list[tuple[Segment, Holds, Reads]] | None = field(default=None, repr=False, compare=False)
    _baseline: Baseline | None = field(default=None, repr=False, compare=False)
    _index: Index | None = field(default=None, repr=False, compare=False)

    def compiled(self) -> list[tuple[Segment, Holds, Reads]]:
        """Each segment with its condition compiled to an answer without reasons (``holds``) and
        what the answer reads."""
        if self._holds is None or len(self._holds) != len(self.segments):
            self._holds = [(s, compile_condition(s.condition), reads_of(s.condition)) for s in self.segments]
            self._baseline = self._index = None
        return self._holds

    def baseline(self) -> Baseline:
        """The empty person's answers, reasons and values: those a person with no stored event is
        evaluated from (``assess.Since``)."""
        compiled = self.compiled()
        if self._baseline is None:
            values = {name: compute(d, (), 0) for name, (d, _) in self.traits.items()}
            empty = Person((), values, {})
            why = {}
            for segment, _, _ in compiled:
                empty.segments[segment.name], why[segment.name] = evaluate(segment.condition, empty, 0)
            self._baseline = Baseline(dict(empty.segments), why, values)
        return self._baseline

    def index(self) -> Index:
        compiled = self.compiled()
        if self._index is None:
            self._index = Index(
                _inverse((f.event, name) for name, (d, _) in self.traits.items() for f in d.filters()),
                _inverse((e, s.name) for s, _, reads in compiled for e in reads.events),
                _inverse((c, s.name) for s, _, reads in compiled for c in reads.computed),
                _inverse((f, s.name) for s, _, reads in compiled for f in reads.facts))
        return self._index

    @property
    def trait_defs(self) -> dict[str, TraitDef]:
        return {name: d for name, (d, _) in self.traits.items()}

    @property
    def conditions(self) -> dict[str, Condition]:
        return {s.name: s.condition for s in self.segments}

    def consents(self) -> set[tuple[str, str]]:
        return {pair for s in self.segments for pair in references(s.condition)[2]}

    def windowed(self) -> tuple[list[Filter], list[tuple[Filter, bool]]]:
        """Every filter whose answer time can change, and the days-since filters (with whether
        they count from the first event)."""
        filters = [f for d, _ in self.traits.values() for f in d.filters()]
        filters += [f for s in self.segments for f in filters_of(s.condition)]
        days = [(d.source, d.op == "days_since_first") for d, _ in self.traits.values()
                if d.op in ("days_since", "days_since_first")]
        return list(dict.fromkeys(filters)), list(dict.fromkeys(days))


def _check_ops(c: Condition, traits: Mapping[str, TraitDef], path: str) -> None:
    match c:
        case All(items) | AnyOf(items):
            for i, item in enumerate(items):
                _check_ops(item, traits, f"{path}.{'all' if isinstance(c, All) else 'any'}[{i}]")
        case Not(item):
            _check_ops(item, traits, f"{path}.not")
        case Computed(name, op, value):
            d = traits.get(name)
            if d is None:
                raise InvalidDefinition(f"{path}.computed", f"no computed trait {name!r}; define it first "
                                                            f"(`frontoffice traits define`).")
            if d.kind == "list" and op not in ("contains", "exists"):
                raise InvalidDefinition(f"{path}.op", f"{name} is a list ({d.op}); use contains or exists.")
            if d.kind != "list" and op == "contains":
                raise InvalidDefinition(f"{path}.op", f"{name} is not a list; contains reads "
                                                      "distinct traits.")
            if d.kind == "number" and op in ("eq", "neq") and isinstance(value, str):
                raise InvalidDefinition(f"{path}.value", f"{name} is a number ({d.op}); "
                                                         "compare it with a number.")
            if d.kind == "number" and op == "in":
                raise InvalidDefinition(f"{path}.op", f"{name} is a number; use eq, gt, gte, lt or lte.")
            if d.kind == "value" and op in NUMBER_OPS:
                raise InvalidDefinition(f"{path}.op", f"{name} is a value ({d.op}), compared as text; "
                                                      "use eq, neq, in or exists.")


def check_segment(name: str, doc: object, catalog: Catalog) -> Condition:
    """Parse a segment's condition against the other active definitions."""
    condition = parse(doc)
    _check_ops(condition, catalog.trait_defs, "$")
    known = {s.name for s in catalog.segments}
    for other in sorted(references(condition)[1]):
        if other == name:
            raise InvalidDefinition("$", f"segment {name} cannot contain itself.")
        if other not in known:
            raise InvalidDefinition("$", f"no segment {other!r}; save it first.")
        if name in _depends(catalog, other):
            raise InvalidDefinition("$", f"segment {other} already reads {name}: the two would form a cycle.")
    return condition


def _depends(catalog: Catalog, name: str) -> set[str]:
    conditions = catalog.conditions
    seen: set[str] = set()
    todo = [name]
    while todo:
        for other in references(conditions.get(todo.pop(), All(())))[1]:
            if other not in seen:
                seen.add(other)
                todo.append(other)
    return seen


def load(traits: Sequence[Definition], segments: Sequence[Definition]) -> Catalog:
    """The catalog of stored definitions (a definition that no longer checks is left out)."""
    catalog = Catalog()
    for d in traits:
        catalog.traits[d.name] = (parse_trait(d.body), d.version)
    pending = {d.name: d for d in segments}
    while pending:
        ready = [d for d in pending.values()
                 if references(parse(d.body["condition"]))[1] <= {s.name for s in catalog.segments}]
        if not ready:
            break
        for d in sorted(ready, key=lambda d: d.name):
            condition = parse(d.body["condition"])
            try:
                _check_ops(condition, catalog.trait_defs, "$")
            except InvalidDefinition:
                del pending[d.name]
                continue
            catalog.segments.append(Segment(d.name, d.version, condition, str(d.body.get("description", ""))))
            del pending[d.name]
    return catalog
