"""The segment condition language: JSON in, typed nodes out, and a readable text form.

``{"all": [...]}``, ``{"any": [...]}``, ``{"not": c}``; leaves:
``{"trait": "country", "op": "eq", "value": "DE"}`` (the golden record),
``{"computed": "orders_90d", "op": "gte", "value": 3}``,
``{"predicted": "buy_30d", "op": "gte", "value": 0.5}`` (a trait another capability predicts and
writes with ``SegmentsStore.write_predicted``),
``{"did": "Order Completed", "where": {...}, "at_least": 2, "within_days": 30}`` (and
``"did_not"``: fewer than ``at_least``), ``{"first": "A", "then": "B", "within_hours": 24}``,
``{"consent": "marketing", "channel": "email"}``, ``{"reachable": "email"}``,
``{"segment": "vip"}``; commerce, read through commerce's port: ``{"commerce": "open_return"}``,
``{"commerce": "bought_category", "value": "shoes"}``, ``{"commerce": "late_delivery"}``. Every
error names its JSON path.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from frontoffice.segments.model import Filter, InvalidDefinition, check_name, known_keys, parse_filter

COMPARISONS = {"eq": "=", "neq": "≠", "gt": ">", "gte": "≥", "lt": "<", "lte": "≤", "in": "in",
               "exists": "exists", "contains": "contains"}
TRAIT_OPS = ("eq", "neq", "in", "exists")
PREDICTED_OPS = ("gt", "gte", "lt", "lte", "exists")
REACHABLE = ("email", "phone", "device_id", "user_id", "marketplace_id")
IDENTITY_KIND = {"marketplace_id": "marketplace_buyer"}  # what identity calls a reachable kind
COMMERCE = {"open_return": "has an open return", "bought_category": "bought in category",
            "late_delivery": "suffered a late delivery"}
MAX_DEPTH = 12
HOUR_MS = 3_600_000


@dataclass(frozen=True, slots=True)
class All:
    items: tuple[Condition, ...]


@dataclass(frozen=True, slots=True)
class AnyOf:
    items: tuple[Condition, ...]


@dataclass(frozen=True, slots=True)
class Not:
    item: Condition


@dataclass(frozen=True, slots=True)
class Trait:
    name: str
    op: str
    value: Any = None


@dataclass(frozen=True, slots=True)
class Predicted:
    name: str
    op: str
    value: Any = None


@dataclass(frozen=True, slots=True)
class Computed:
    name: str
    op: str
    value: Any = None


@dataclass(frozen=True, slots=True)
class Did:
    filter: Filter
    at_least: int = 1


@dataclass(frozen=True, slots=True)
class Then:
    first: Filter
    then: Filter
    within_ms: int


@dataclass(frozen=True, slots=True)
class Consent:
    purpose: str
    channel: str


@dataclass(frozen=True, slots=True)
class Reachable:
    kind: str


@dataclass(frozen=True, slots=True)
class InSegment:
    name: str


@dataclass(frozen=True, slots=True)
class Commerce:
    fact: str  # open_return | bought_category | late_delivery
    value: str | None = None  # the category

    @property
    def key(self) -> str:
        """The person's fact it reads (``commerce:…``), kept by the projection."""
        return f"commerce:{self.fact}" + (f":{self.value}" if self.value is not None else "")


Condition = (All | AnyOf | Not | Trait | Computed | Predicted | Did | Then | Consent | Reachable | InSegment
             | Commerce)


def _comparison(doc: Mapping[str, Any], path: str, ops: tuple[str, ...]) -> tuple[str, Any]:
    op = doc.get("op", "exists")
    if op not in ops:
        raise InvalidDefinition(f"{path}.op", f"{op!r} is not a comparison here; use one of "
                                              f"{', '.join(ops)}.")
    value = doc.get("value")
    if op == "exists":
        if value is not None:
            raise InvalidDefinition(f"{path}.value", "exists takes no value; leave it out.")
    elif op == "in":
        if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
            raise InvalidDefinition(f"{path}.value", "in takes a non-empty list of strings.")
        value = tuple(value)
    elif op in ("gt", "gte", "lt", "lte") and (isinstance(value, bool)
                                               or not isinstance(value, int | float)):
        raise InvalidDefinition(f"{path}.value", f"{op} compares with a number (got {value!r}).")
    elif op in ("eq", "neq", "contains") and (isinstance(value, bool)
                                              or not isinstance(value, str | int | float)):
        raise InvalidDefinition(f"{path}.value", f"{op} compares with a string or a number (got {value!r}).")
    return op, value


def _count(value: Any, path: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 1_000_000:
        raise InvalidDefinition(path, f"a count is a whole number from 1 to 1000000 (got {value!r}).")
    return value


def parse(doc: Any, path: str = "$", depth: int = 0) -> Condition:
    """A condition from its JSON form; ``InvalidDefinition`` names the path and the fix."""
    if depth > MAX_DEPTH:
        raise InvalidDefinition(path, f"conditions nest at most {MAX_DEPTH} deep; split them into segments.")
    if not isinstance(doc, dict) or not doc:
        raise InvalidDefinition(path, "a condition is a JSON object such as "
                                      '{"did": "Order Completed"} or {"all": [...]}.')
    if "all" in doc or "any" in doc:
        key = "all" if "all" in doc else "any"
        known_keys(doc, path, {key})
        items = doc[key]
        if not isinstance(items, list) or not items:
            raise InvalidDefinition(f"{path}.{key}", f"{key} takes a non-empty list of conditions.")
        parsed = tuple(parse(c, f"{path}.{key}[{i}]", depth + 1) for i, c in enumerate(items))
        return All(parsed) if key == "all" else AnyOf(parsed)
    if "not" in doc:
        known_keys(doc, path, {"not"})
        return Not(parse(doc["not"], f"{path}.not", depth + 1))
    if "trait" in doc:
        known_keys(doc, path, {"trait", "op", "value"})
        name = doc["trait"]
        if not isinstance(name, str) or not name:
            raise InvalidDefinition(f"{path}.trait", "name a golden-record trait (e.g. \"country\").")
        return Trait(name, *_comparison(doc, path, TRAIT_OPS))
    if "computed" in doc:
        known_keys(doc, path, {"computed", "op", "value"})
        name = check_name(doc["computed"], f"{path}.computed", "computed trait")
        return Computed(name, *_comparison(doc, path, tuple(COMPARISONS)))
    if "predicted" in doc:
        known_keys(doc, path, {"predicted", "op", "value"})
        name = check_name(doc["predicted"], f"{path}.predicted", "predicted trait")
        return Predicted(name, *_comparison(doc, path, PREDICTED_OPS))
    if "did" in doc or "did_not" in doc:
        key = "did" if "did" in doc else "did_not"
        known_keys(doc, path, {key, "where", "within_days", "at_least"})
        did = Did(parse_filter(doc, path, key), _count(doc.get("at_least", 1), f"{path}.at_least"))
        return did if key == "did" else Not(did)
    if "first" in doc:
        known_keys(doc, path, {"first", "then", "within_hours", "where", "then_where"})
        hours = doc.get("within_hours")
        if isinstance(hours, bool) or not isinstance(hours, int | float) or not 0 < hours <= 24 * 3650:
            raise InvalidDefinition(f"{path}.within_hours", "A then B needs within_hours, a number of "
                                                            f"hours above 0 (got {hours!r}).")
        first = parse_filter(doc, path, "first")
        then = parse_filter({"then": doc.get("then"), "where": doc.get("then_where", {})}, path, "then")
        return Then(first, then, int(hours * HOUR_MS))
    if "consent" in doc:
        known_keys(doc, path, {"consent", "channel"})
        purpose, channel = doc["consent"], doc.get("channel")
        if not isinstance(purpose, str) or not purpose or not isinstance(channel, str) or not channel:
            raise InvalidDefinition(path, 'consent names a purpose and a channel ({"consent": '
                                          '"marketing", "channel": "email"}).')
        return Consent(purpose, channel)
    if "reachable" in doc:
        known_keys(doc, path, {"reachable"})
        if doc["reachable"] not in REACHABLE:
            raise InvalidDefinition(f"{path}.reachable", f"reachable takes one of {', '.join(REACHABLE)}.")
        return Reachable(doc["reachable"])
    if "commerce" in doc:
        return _commerce(doc, path)
    if "segment" in doc:
        known_keys(doc, path, {"segment"})
        return InSegment(check_name(doc["segment"], f"{path}.segment", "segment"))
    raise InvalidDefinition(path, f"unknown condition {sorted(doc)[0]!r}; use all, any, not, trait, "
                                  "computed, predicted, did, did_not, first/then, consent, reachable, "
                                  "commerce or segment.")


def _commerce(doc: Mapping[str, Any], path: str) -> Commerce:
    fact = doc["commerce"]
    if fact not in COMMERCE:
        raise InvalidDefinition(f"{path}.commerce", f"commerce takes one of {', '.join(COMMERCE)}.")
    if fact != "bought_category":
        known_keys(doc, path, {"commerce"})
        return Commerce(fact)
    known_keys(doc, path, {"commerce", "value"})
    value = doc.get("value")
    if not isinstance(value, str) or not value or len(value) > 200:
        raise InvalidDefinition(f"{path}.value", 'bought_category names a category ("value": "shoes").')
    return Commerce(fact, value)


def _cmp(op: str, value: Any) -> str:
    if op == "exists":
        return "exists"
    shown = "[" + ", ".join(repr(v) for v in value) + "]" if op == "in" else repr(value)
    return f"{COMPARISONS[op]} {shown}"


def text(c: Condition) -> str:
    """The readable form, e.g. ``all(did 'Order Completed' ≥ 2 times in the last 30 days, ...)``."""
    match c:
        case All(items):
            return "all(" + ", ".join(text(i) for i in items) + ")"
        case AnyOf(items):
            return "any(" + ", ".join(text(i) for i in items) + ")"
        case Not(Did(f, n)):
            return f"did not {f.describe()}" + (f" {n} times" if n > 1 else "")
        case Not(item):
            return f"not {text(item)}"
        case Trait(name, op, value):
            return f"trait {name} {_cmp(op, value)}"
        case Computed(name, op, value):
            return f"computed {name} {_cmp(op, value)}"
        case Predicted(name, op, value):
            return f"predicted {name} {_cmp(op, value)}"
        case Did(f, n):
            return f"did {f.describe()}" + (f" at least {n} times" if n > 1 else "")
        case Then(a, b, ms):
            return f"did {a.describe()} then {b.describe()} within {ms / HOUR_MS:g} hours"
        case Consent(purpose, channel):
            return f"consents to {purpose} on {channel}"
        case Reachable(kind):
            return f"has {kind}"
        case InSegment(name):
            return f"in segment {name}"
        case Commerce(fact, value):
            return COMMERCE[fact] + (f" {value!r}" if value is not None else "")
    raise TypeError(c)


def leaves(c: Condition) -> Iterator[Condition]:
    """Every leaf of ``c`` (what its ``all``, ``any`` and ``not`` hold), depth first."""
    match c:
        case All(items) | AnyOf(items):
            for i in items:
                yield from leaves(i)
        case Not(item):
            yield from leaves(item)
        case _:
            yield c


def reads_commerce(c: Condition) -> bool:
    """Whether the condition reads a commerce fact (the projection then asks commerce)."""
    return any(isinstance(leaf, Commerce) for leaf in leaves(c))


def references(c: Condition) -> tuple[set[str], set[str], set[tuple[str, str]]]:
    """The computed traits, segments and (purpose, channel) consents a condition reads."""
    computed: set[str] = set()
    segments: set[str] = set()
    consents: set[tuple[str, str]] = set()
    for leaf in leaves(c):
        match leaf:
            case Computed(name, _, _):
                computed.add(name)
            case InSegment(name):
                segments.add(name)
            case Consent(purpose, channel):
                consents.add((purpose, channel))
    return computed, segments, consents
