"""One compiler from segment conditions and computed traits to SQL, free of any dialect.

It builds sqlglot expressions over two of the capability's tables — ``segments_events`` (each
person's projected events: ``name``, ``at`` in epoch ms, ``props`` as JSON) and
``segments_facts`` (golden-record traits, reachability, consent, commerce facts) — and renders them
for the store's dialect (``sqlite``, ``postgres``; ``spark`` renders too).

Every per-person quantity the conditions read is computed once, whatever the number of segments
reading it: the event counts, sums, extremes, distinct counts and "contains" of every filter are
columns of one ``GROUP BY person_id`` pass over the events (conditional aggregates); the facts
one pivot of ``segments_facts``; a first, last or most frequent value one ranked pass (a window
function) per trait; "A then B within T" one pass per pair (A, B), whatever the Ts. Segments are
expressions over those columns, so 50 segments read the events a handful of times, not 50 times. Every leaf
is a ``CASE WHEN … THEN 1 ELSE 0 END = 1``, so a missing value is false, never NULL, and ``not``
means what it means in ``evaluate``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import sqlglot.expressions as exp

from frontoffice.segments.conditions import (
    All,
    AnyOf,
    Commerce,
    Computed,
    Condition,
    Consent,
    Did,
    InSegment,
    Not,
    Predicted,
    Reachable,
    Then,
    Trait,
)
from frontoffice.segments.model import DAY_MS, Filter, InvalidDefinition, TraitDef, as_text

EVENTS, FACTS = "segments_events", "segments_facts"
PEOPLE = "a"  # the per-person aggregate every other per-person table joins
_SQL_CMP = {"eq": exp.EQ, "neq": exp.NEQ, "gt": exp.GT, "gte": exp.GTE, "lt": exp.LT, "lte": exp.LTE}


def _lit(value: Any) -> exp.Expr:
    if isinstance(value, str):
        return exp.Literal.string(value)
    return exp.Literal.number(value)


def _prop(name: str, alias: str | None = None) -> exp.Expr:
    path = exp.JSONPath(expressions=[exp.JSONPathRoot(), exp.JSONPathKey(this=name)])
    return exp.JSONExtractScalar(this=exp.column("props", alias), expression=path)


def _text(e: exp.Expr) -> exp.Expr:
    return exp.cast(e, exp.DataType.build("TEXT"))


def _number(e: exp.Expr) -> exp.Expr:
    return exp.cast(e, exp.DataType.build("DOUBLE"))


def _when(cond: exp.Expr, then: exp.Expr, otherwise: exp.Expr | None = None) -> exp.Expr:
    case = exp.Case().when(cond, then)
    return case if otherwise is None else case.else_(otherwise)


def _table(name: str, alias: str) -> exp.Expr:
    return exp.alias_(exp.to_table(name), alias, table=True)


class Compiler:
    """Compiles for one workspace at one instant (``now``, epoch ms); ``traits`` and
    ``segments`` are the active definitions a condition may name."""

    def __init__(self, ws: str, now: int, traits: Mapping[str, TraitDef],
                 segments: Mapping[str, Condition],
                 people: tuple[str | None, str | None] = (None, None)) -> None:
        self.ws, self.now, self.traits, self.segments = ws, now, traits, segments
        self.people = people  # the person ids [from, to) the query covers; None: unbounded
        self._aggregates: dict[str, tuple[str, exp.Expr]] = {}  # SQL → (column, aggregate)
        self._facts: dict[str, str] = {}  # fact key → column
        self._joined: dict[str, tuple[str, exp.Select]] = {}  # SQL → (alias, per-person table)

    # -- the per-person columns, each made once ------------------------------------------
    def _aggregate(self, agg: exp.Expr) -> exp.Expr:
        column = self._aggregates.setdefault(agg.sql(), (f"v{len(self._aggregates)}", agg))[0]
        return exp.column(column, PEOPLE)

    def _joined_value(self, table: exp.Select) -> exp.Expr:
        alias = self._joined.setdefault(table.sql(), (f"j{len(self._joined)}", table))[0]
        return exp.column("value", alias)

    def _fact(self, key: str) -> exp.Expr:
        return exp.column(self._facts.setdefault(key, f"f{len(self._facts)}"), "f")

    def _ws(self, alias: str | None = None) -> exp.Expr:
        """The rows of this workspace's people the query covers (every source table is per person)."""
        cond: exp.Expr = exp.column("workspace_id", alias).eq(_lit(self.ws))
        low, high = self.people
        if low is not None:
            cond = exp.and_(cond, exp.column("person_id", alias) >= _lit(low))
        if high is not None:
            cond = exp.and_(cond, exp.column("person_id", alias) < _lit(high))
        return cond

    def _match(self, f: Filter, alias: str | None = None) -> exp.Expr:
        cond: exp.Expr = exp.column("name", alias).eq(_lit(f.event))
        for key, value in f.where:
            cond = exp.and_(cond, _text(_prop(key, alias)).eq(_lit(value)))
        if f.within_days is not None:
            cond = exp.and_(cond, exp.column("at", alias) >= _lit(self.now - f.within_days * DAY_MS))
        return cond

    def _count(self, f: Filter, extra: exp.Expr | None = None) -> exp.Expr:
        cond = self._match(f) if extra is None else exp.and_(self._match(f), extra)
        return self._aggregate(exp.Sum(this=_when(cond, _lit(1), _lit(0))))

    def _ranked(self, d: TraitDef) -> exp.Expr:
        """The first, last or most frequent value of the trait: one ranked pass over its events."""
        value, at, seq = _text(_prop(d.prop or "")), exp.column("at"), exp.column("seq")
        query = exp.select(exp.column("person_id"), exp.alias_(value, "value")).from_(EVENTS).where(
            exp.and_(self._ws(), self._match(d.source), _prop(d.prop or "").is_(exp.Null()).not_()))
        if d.op == "most_frequent":
            order = [exp.Ordered(this=exp.Count(this=exp.Star()), desc=True), exp.Ordered(this=value)]
            query = query.group_by(exp.column("person_id"), value)
        else:
            desc = d.op == "last"
            order = [exp.Ordered(this=at, desc=desc), exp.Ordered(this=seq, desc=desc)]
        rank = exp.Window(this=exp.RowNumber(), partition_by=[exp.column("person_id")],
                          order=exp.Order(expressions=order))
        ranked = exp.Subquery(this=query.select(exp.alias_(rank, "rank")), alias=exp.to_identifier("r"))
        return self._joined_value(exp.select("person_id", "value").from_(ranked)
                                  .where(exp.column("rank").eq(_lit(1))))

    def trait(self, d: TraitDef) -> exp.Expr:
        """The trait's value for the person (text for value traits)."""
        f, at = d.source, exp.column("at")
        if d.op == "count":
            return self._count(f)
        if d.op in ("days_since", "days_since_first"):
            pick = exp.Max(this=_when(self._match(f), at)) if d.op == "days_since" else \
                exp.Min(this=_when(self._match(f), at))
            last = self._aggregate(pick)
            return exp.IntDiv(this=exp.Paren(this=exp.Sub(this=_lit(self.now), expression=last)),
                              expression=_lit(DAY_MS))
        if d.op == "ratio":
            assert d.denominator is not None  # parse_trait guarantees it
            den, num = self._count(d.denominator), _number(self._count(f))
            return _when(den.eq(0), exp.Null(), exp.Div(this=num, expression=den))
        value = _prop(d.prop or "")
        if d.op in ("sum", "min", "max", "avg"):
            kind = {"sum": exp.Sum, "min": exp.Min, "max": exp.Max, "avg": exp.Avg}[d.op]
            found = self._aggregate(kind(this=_when(self._match(f), _number(value))))
            return exp.Coalesce(this=found, expressions=[_lit(0)]) if d.op == "sum" else found
        if d.op in ("first", "last", "most_frequent"):
            return self._ranked(d)
        if d.op == "distinct_count":
            return self._aggregate(exp.Count(this=exp.Distinct(expressions=[
                _when(self._match(f), _text(value))])))
        raise InvalidDefinition("$.op", f"{d.op} is a list; segments read it with contains.")

    def _list(self, d: TraitDef, op: str, want: Any) -> exp.Expr:
        """A distinct list holds ``want`` (contains) or anything (exists)."""
        value = _prop(d.prop or "")
        held = (_text(value).eq(_lit(as_text(want))) if op == "contains"
                else value.is_(exp.Null()).not_())
        return self._count(d.source, held) > _lit(0)

    def _then(self, first: Filter, then: Filter, within: int) -> exp.Expr:
        """Whether a ``then`` event follows a ``first`` one within ``within`` ms. One pass per
        (first, then) pair whatever the windows: each person's shortest wait from a ``first``
        event to the next ``then`` event, read off the index."""
        at_a = exp.column("at", "x")
        after = exp.and_(self._ws("y"), self._match(then, "y"), exp.column("at", "y") > at_a,
                         exp.column("person_id", "y").eq(exp.column("person_id", "x")))
        next_b = exp.Subquery(this=exp.select(exp.Min(this=exp.column("at", "y"))).from_(_table(EVENTS, "y"))
                              .where(after))
        table = (exp.select(exp.column("person_id", "x"),
                            exp.alias_(exp.Min(this=exp.Sub(this=next_b, expression=at_a)), "value"))
                 .from_(_table(EVENTS, "x")).where(exp.and_(self._ws("x"), self._match(first, "x")))
                 .group_by(exp.column("person_id", "x")))
        return self._joined_value(table) <= _lit(within)

    # -- conditions ----------------------------------------------------------------------
    def _compare(self, have: exp.Expr, op: str, want: Any, numeric: bool) -> exp.Expr:
        if op == "exists":
            return have.is_(exp.Null()).not_()
        if op == "in":
            return _text(have).isin(*[_lit(v) for v in want])
        if numeric:
            return _SQL_CMP[op](this=_number(have), expression=_lit(float(want)))
        return _SQL_CMP[op](this=_text(have), expression=_lit(as_text(want)))

    def _leaf(self, pred: exp.Expr) -> exp.Expr:
        return _when(pred, _lit(1), _lit(0)).eq(_lit(1))

    def condition(self, c: Condition, seen: frozenset[str] = frozenset()) -> exp.Expr:
        match c:
            case All(items):
                return exp.and_(*[self.condition(i, seen) for i in items])
            case AnyOf(items):
                return exp.or_(*[self.condition(i, seen) for i in items])
            case Not(item):
                return exp.Not(this=exp.Paren(this=self.condition(item, seen)))
            case Trait(name, op, value):
                return self._leaf(self._compare(self._fact(f"trait:{name}"), op, value, False))
            case Computed(name, op, value):
                d = self.traits[name]
                if d.kind == "list":
                    return self._leaf(self._list(d, op, value))
                return self._leaf(self._compare(self.trait(d), op, value, d.kind == "number"))
            case Predicted(name, op, value):
                return self._leaf(self._compare(self._fact(f"predicted:{name}"), op, value, True))
            case Did(f, n):
                return self._leaf(self._count(f) >= _lit(n))
            case Then(first, then, within):
                return self._leaf(self._then(first, then, within))
            case Consent(purpose, channel):
                return self._leaf(self._fact(f"consent:{purpose}:{channel}").eq(_lit("1")))
            case Reachable(kind):
                return self._leaf(self._fact(f"reach:{kind}").is_(exp.Null()).not_())
            case Commerce():
                return self._leaf(self._fact(c.key).is_(exp.Null()).not_())
            case InSegment(name):
                if name in seen:
                    raise InvalidDefinition("$", f"segment {name} refers to itself through other segments.")
                return exp.Paren(this=self.condition(self.segments[name], seen | {name}))
        raise TypeError(c)

    # -- queries -------------------------------------------------------------------------
    def _people(self) -> exp.Select:
        """Every person with events, joined to the per-person tables the conditions read."""
        person = exp.column("person_id", PEOPLE)
        columns = [exp.alias_(agg, name) for name, agg in self._aggregates.values()]
        per_person = (exp.select(exp.column("person_id"), *columns).from_(EVENTS).where(self._ws())
                      .group_by(exp.column("person_id")))
        query = exp.select().from_(exp.alias_(exp.Subquery(this=per_person), PEOPLE, table=True))
        if self._facts:
            pivot = (exp.select(exp.column("person_id"), *[
                exp.alias_(exp.Max(this=_when(exp.column("key").eq(_lit(key)), exp.column("value"))), name)
                for key, name in self._facts.items()]).from_(FACTS).where(self._ws())
                .group_by(exp.column("person_id")))
            query = query.join(exp.alias_(exp.Subquery(this=pivot), "f", table=True),
                               on=exp.column("person_id", "f").eq(person), join_type="left")
        for alias, table in self._joined.values():
            query = query.join(exp.alias_(exp.Subquery(this=table), alias, table=True),
                               on=exp.column("person_id", alias).eq(person), join_type="left")
        return query

    def members(self, c: Condition) -> exp.Select:
        """``SELECT person_id`` of every person of the workspace meeting ``c``."""
        where = self.condition(c)
        person = exp.column("person_id", PEOPLE)
        return self._people().select(person).where(where).order_by(person)

    def memberships(self, conditions: Sequence[Condition]) -> exp.Select:
        """``SELECT person_id, m0, m1, …``: one row a person, ``m<i>`` 1 when they meet the i-th
        condition, else 0; the per-person columns are shared by every condition."""
        flags = [exp.alias_(_when(self.condition(c), _lit(1), _lit(0)), f"m{i}")
                 for i, c in enumerate(conditions)]
        person = exp.column("person_id", PEOPLE)
        return self._people().select(person, *flags)


def render(query: exp.Expr, dialect: str) -> str:
    """``query`` in SQL for a store's dialect (``sqlite``, ``postgresql``/``postgres``, ``spark``)."""
    return query.sql(dialect="postgres" if dialect in ("postgresql", "postgres") else dialect)
