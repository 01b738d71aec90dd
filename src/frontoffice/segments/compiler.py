"""One compiler from segment conditions and computed traits to SQL, free of any dialect.

It builds sqlglot expressions over two of the capability's tables — ``segments_events`` (each
person's projected events: ``name``, ``at`` in epoch ms, ``props`` as JSON) and
``segments_facts`` (golden-record traits, reachability, consent) — and renders them for the
store's dialect (``sqlite``, ``postgres``; ``spark`` renders too). Every leaf is a
``CASE WHEN … THEN 1 ELSE 0 END = 1``, so a missing value is false, never NULL, and ``not``
means what it means in ``evaluate``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import sqlglot.expressions as exp

from frontoffice.segments.conditions import (
    All,
    AnyOf,
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
_SQL_CMP = {"eq": exp.EQ, "neq": exp.NEQ, "gt": exp.GT, "gte": exp.GTE, "lt": exp.LT, "lte": exp.LTE}


def _lit(value: Any) -> exp.Expr:
    if isinstance(value, str):
        return exp.Literal.string(value)
    return exp.Literal.number(value)


def _prop(alias: str, name: str) -> exp.Expr:
    path = exp.JSONPath(expressions=[exp.JSONPathRoot(), exp.JSONPathKey(this=name)])
    return exp.JSONExtractScalar(this=exp.column("props", alias), expression=path)


def _text(e: exp.Expr) -> exp.Expr:
    return exp.cast(e, exp.DataType.build("TEXT"))


def _number(e: exp.Expr) -> exp.Expr:
    return exp.cast(e, exp.DataType.build("DOUBLE"))


class Compiler:
    """Compiles for one workspace at one instant (``now``, epoch ms); ``traits`` and
    ``segments`` are the active definitions a condition may name."""

    def __init__(self, ws: str, now: int, traits: Mapping[str, TraitDef],
                 segments: Mapping[str, Condition], person: str = "p") -> None:
        self.ws, self.now, self.traits, self.segments, self.person = ws, now, traits, segments, person
        self._n = 0

    def _alias(self) -> str:
        self._n += 1
        return f"e{self._n}"

    def _owner(self, alias: str) -> exp.Expr:
        return exp.and_(exp.column("workspace_id", alias).eq(_lit(self.ws)),
                        exp.column("person_id", alias).eq(exp.column("person_id", self.person)))

    def _match(self, f: Filter, alias: str) -> exp.Expr:
        cond = exp.and_(self._owner(alias), exp.column("name", alias).eq(_lit(f.event)))
        for key, value in f.where:
            cond = exp.and_(cond, _text(_prop(alias, key)).eq(_lit(value)))
        if f.within_days is not None:
            cond = exp.and_(cond, exp.column("at", alias) >= _lit(self.now - f.within_days * DAY_MS))
        return cond

    def _scalar(self, f: Filter, select: exp.Expr, alias: str, extra: exp.Expr | None = None,
                order: list[exp.Ordered] | None = None,
                group: exp.Expr | None = None) -> exp.Expr:
        where = self._match(f, alias) if extra is None else exp.and_(self._match(f, alias), extra)
        query = exp.select(select).from_(exp.alias_(exp.to_table(EVENTS), alias, table=True)).where(where)
        if group is not None:
            query = query.group_by(group)
        if order:
            query = query.order_by(*order).limit(1)
        return exp.Subquery(this=query)

    def trait(self, d: TraitDef) -> exp.Expr:
        """A scalar subquery of the trait's value for the outer person (text for value traits)."""
        a = self._alias()
        f, at = d.source, exp.column("at", a)
        if d.op == "count":
            return self._scalar(f, exp.Count(this=exp.Star()), a)
        if d.op in ("days_since", "days_since_first"):
            last = self._scalar(f, exp.Max(this=at) if d.op == "days_since" else exp.Min(this=at), a)
            return exp.IntDiv(this=exp.Paren(this=exp.Sub(this=_lit(self.now), expression=last)),
                              expression=_lit(DAY_MS))
        if d.op == "ratio":
            assert d.denominator is not None  # parse_trait guarantees it
            den = self._scalar(d.denominator, exp.Count(this=exp.Star()), self._alias())
            num = _number(self._scalar(f, exp.Count(this=exp.Star()), a))
            return exp.Case().when(den.eq(0), exp.Null()).else_(exp.Div(this=num, expression=den))
        value = _prop(a, d.prop or "")
        having = value.is_(exp.Null()).not_()
        if d.op in ("sum", "min", "max", "avg"):
            agg = {"sum": exp.Sum, "min": exp.Min, "max": exp.Max, "avg": exp.Avg}[d.op](this=_number(value))
            found = self._scalar(f, agg, a)
            return exp.Coalesce(this=found, expressions=[_lit(0)]) if d.op == "sum" else found
        if d.op in ("first", "last"):
            desc = d.op == "last"
            order = [exp.Ordered(this=at, desc=desc), exp.Ordered(this=exp.column("seq", a), desc=desc)]
            return self._scalar(f, _text(value), a, having, order)
        if d.op == "most_frequent":
            return self._scalar(f, _text(value), a, having,
                                [exp.Ordered(this=exp.Count(this=exp.Star()), desc=True),
                                 exp.Ordered(this=_text(value))], group=_text(value))
        if d.op == "distinct_count":
            return self._scalar(f, exp.Count(this=exp.Distinct(expressions=[_text(value)])), a, having)
        raise InvalidDefinition("$.op", f"{d.op} is a list; segments read it with contains.")

    def _contains(self, d: TraitDef, want: Any) -> exp.Expr:
        a = self._alias()
        query = exp.select(_lit(1)).from_(exp.alias_(exp.to_table(EVENTS), a, table=True)).where(
            exp.and_(self._match(d.source, a), _text(_prop(a, d.prop or "")).eq(_lit(as_text(want)))))
        return exp.Exists(this=query)

    def _compare(self, have: exp.Expr, op: str, want: Any, numeric: bool) -> exp.Expr:
        if op == "exists":
            return have.is_(exp.Null()).not_()
        if op == "in":
            return _text(have).isin(*[_lit(v) for v in want])
        if numeric:
            return _SQL_CMP[op](this=_number(have), expression=_lit(float(want)))
        return _SQL_CMP[op](this=_text(have), expression=_lit(as_text(want)))

    def _fact(self, key: str) -> exp.Expr:
        a = self._alias()
        query = (exp.select(exp.column("value", a)).from_(exp.alias_(exp.to_table(FACTS), a, table=True))
                 .where(exp.and_(self._owner(a), exp.column("key", a).eq(_lit(key)))))
        return exp.Subquery(this=query)

    def _leaf(self, pred: exp.Expr) -> exp.Expr:
        return exp.Case().when(pred, _lit(1)).else_(_lit(0)).eq(_lit(1))

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
                if op == "contains":
                    return self._leaf(self._contains(d, value))
                return self._leaf(self._compare(self.trait(d), op, value, d.kind == "number"))
            case Predicted(name, op, value):
                return self._leaf(self._compare(self._fact(f"predicted:{name}"), op, value, True))
            case Did(f, n):
                a = self._alias()
                return self._leaf(self._scalar(f, exp.Count(this=exp.Star()), a) >= _lit(n))
            case Then(first, then, within):
                a, b = self._alias(), self._alias()
                at_a, at_b = exp.column("at", a), exp.column("at", b)
                query = (exp.select(_lit(1))
                         .from_(exp.alias_(exp.to_table(EVENTS), a, table=True))
                         .join(exp.alias_(exp.to_table(EVENTS), b, table=True),
                               on=exp.and_(self._match(then, b), at_b > at_a,
                                           at_b <= exp.Add(this=at_a, expression=_lit(within))))
                         .where(self._match(first, a)))
                return self._leaf(exp.Exists(this=query))
            case Consent(purpose, channel):
                return self._leaf(self._fact(f"consent:{purpose}:{channel}").eq(_lit("1")))
            case Reachable(kind):
                return self._leaf(self._fact(f"reach:{kind}").is_(exp.Null()).not_())
            case InSegment(name):
                if name in seen:
                    raise InvalidDefinition("$", f"segment {name} refers to itself through other segments.")
                return exp.Paren(this=self.condition(self.segments[name], seen | {name}))
        raise TypeError(c)

    def members(self, c: Condition) -> exp.Select:
        """``SELECT person_id`` of every person of the workspace meeting ``c``."""
        people = (exp.select(exp.column("person_id")).distinct().from_(EVENTS)
                  .where(exp.column("workspace_id").eq(_lit(self.ws))))
        return (exp.select(exp.column("person_id", self.person))
                .from_(exp.alias_(exp.Subquery(this=people), self.person, table=True))
                .where(self.condition(c)).order_by(exp.column("person_id", self.person)))


def render(query: exp.Expr, dialect: str) -> str:
    """``query`` in SQL for a store's dialect (``sqlite``, ``postgresql``/``postgres``, ``spark``)."""
    return query.sql(dialect="postgres" if dialect in ("postgresql", "postgres") else dialect)
