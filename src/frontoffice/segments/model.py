"""Computed traits as data: an event filter, a window, an operation over an event property.

Pure: definitions are parsed from JSON (or YAML read into the same shape) with errors that name
the offending path and say what would be accepted. ``evaluate`` computes them; ``compiler``
turns the same definitions into SQL.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from frontoffice.errors import InvalidInput

DAY_MS = 86_400_000
NUMERIC_OPS = ("count", "sum", "min", "max", "avg", "distinct_count", "days_since", "days_since_first",
               "ratio")
VALUE_OPS = ("first", "last", "most_frequent")
LIST_OPS = ("distinct",)
OPS = NUMERIC_OPS + VALUE_OPS + LIST_OPS
NEEDS_PROPERTY = frozenset({"sum", "min", "max", "avg", "first", "last", "most_frequent", "distinct",
                            "distinct_count"})
NAME_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789_")
MAX_WINDOW_DAYS = 3650


class InvalidDefinition(InvalidInput):
    """A trait, segment or moment definition that cannot be used; ``path`` is where (``$.op``)."""

    code = "invalid_definition"

    def __init__(self, path: str, message: str) -> None:
        super().__init__(f"at {path}: {message}")
        self.path = path


@dataclass(frozen=True, slots=True)
class Event:
    """One projected event of a person: its log position, name, time (epoch ms) and properties."""

    seq: int
    name: str
    at: int
    props: Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class Filter:
    """Events named ``event`` whose properties equal ``where`` (as text), within the last
    ``within_days`` days (None: all time)."""

    event: str
    where: tuple[tuple[str, str], ...] = ()
    within_days: int | None = None

    def matches(self, e: Event, now: int) -> bool:
        if e.name != self.event:
            return False
        if self.within_days is not None and e.at < now - self.within_days * DAY_MS:
            return False
        return all(as_text(e.props.get(k)) == v for k, v in self.where)

    def describe(self) -> str:
        where = "".join(f" with {k} = {v!r}" for k, v in self.where)
        window = f" in the last {self.within_days} days" if self.within_days else ""
        return f"{self.event!r}{where}{window}"

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"event": self.event}
        if self.where:
            out["where"] = dict(self.where)
        if self.within_days is not None:
            out["within_days"] = self.within_days
        return out


@dataclass(frozen=True, slots=True)
class TraitDef:
    """A computed trait: ``op`` over ``prop`` of the events ``source`` selects; a ratio divides
    the count of ``source`` by the count of ``denominator``."""

    name: str
    op: str
    source: Filter
    prop: str | None = None
    denominator: Filter | None = None
    description: str = ""

    @property
    def kind(self) -> str:
        return "number" if self.op in NUMERIC_OPS else "list" if self.op in LIST_OPS else "value"

    def filters(self) -> tuple[Filter, ...]:
        return (self.source,) if self.denominator is None else (self.source, self.denominator)

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"name": self.name, "op": self.op, **self.source.as_dict()}
        if self.prop is not None:
            out["property"] = self.prop
        if self.denominator is not None:
            out["denominator"] = self.denominator.as_dict()
        if self.description:
            out["description"] = self.description
        return out


def as_text(value: Any) -> str | None:
    """A property value as the SQL compiler compares it: text, numbers as written, no null."""
    if value is None or isinstance(value, dict | list):
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def as_number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def check_name(value: Any, path: str, what: str) -> str:
    if not isinstance(value, str) or not value or len(value) > 64 or not set(value) <= NAME_CHARS:
        raise InvalidDefinition(path, f"a {what} name is 1-64 characters of a-z, 0-9 and _ "
                                      f"(got {value!r}).")
    return value


def _text(value: Any, path: str, what: str) -> str:
    if not isinstance(value, str) or not value or len(value) > 200:
        raise InvalidDefinition(path, f"{what} must be a non-empty string of at most 200 characters "
                                      f"(got {value!r}).")
    return value


def _days(value: Any, path: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_WINDOW_DAYS:
        raise InvalidDefinition(path, f"a window is a whole number of days from 1 to {MAX_WINDOW_DAYS}, "
                                      f"or absent for all time (got {value!r}).")
    return value


def parse_filter(doc: Mapping[str, Any], path: str, event_key: str = "event") -> Filter:
    event = _text(doc.get(event_key), f"{path}.{event_key}", "the event name")
    where = doc.get("where", {})
    if not isinstance(where, dict) or not all(isinstance(v, str) for v in where.values()):
        raise InvalidDefinition(f"{path}.where", "where is an object of property → string value "
                                                 '(e.g. {"category": "shoes"}).')
    return Filter(event, tuple(sorted((_text(k, f"{path}.where", "a property name"), v)
                                      for k, v in where.items())),
                  _days(doc.get("within_days"), f"{path}.within_days"))


def known_keys(doc: Mapping[str, Any], path: str, allowed: set[str]) -> None:
    extra = sorted(set(doc) - allowed)
    if extra:
        raise InvalidDefinition(f"{path}.{extra[0]}", f"unknown key; the keys allowed here are "
                                                      f"{', '.join(sorted(allowed))}.")


def parse_trait(doc: Any) -> TraitDef:
    """A computed trait from its JSON form; ``InvalidDefinition`` says where and why not."""
    if not isinstance(doc, dict):
        raise InvalidDefinition("$", "a computed trait is a JSON object "
                                     '({"name": ..., "op": "count", "event": ...}).')
    known_keys(doc, "$", {"name", "op", "event", "where", "within_days", "property", "denominator",
                          "description"})
    name = check_name(doc.get("name"), "$.name", "trait")
    op = doc.get("op")
    if op not in OPS:
        raise InvalidDefinition("$.op", f"{op!r} is not an operation; use one of {', '.join(OPS)}.")
    prop = doc.get("property")
    if op in NEEDS_PROPERTY:
        prop = _text(prop, "$.property", f"the property {op} reads")
    elif prop is not None:
        raise InvalidDefinition("$.property", f"{op} reads no property; leave it out.")
    denominator = None
    if op == "ratio":
        den = doc.get("denominator")
        if not isinstance(den, dict):
            raise InvalidDefinition("$.denominator", 'a ratio needs a denominator filter '
                                                     '({"event": ..., "where": ...}).')
        known_keys(den, "$.denominator", {"event", "where", "within_days"})
        denominator = parse_filter(den, "$.denominator")
    elif "denominator" in doc:
        raise InvalidDefinition("$.denominator", "only a ratio has a denominator.")
    description = doc.get("description", "")
    if not isinstance(description, str):
        raise InvalidDefinition("$.description", "a description is a string.")
    return TraitDef(name, op, parse_filter(doc, "$"), prop, denominator, description)
