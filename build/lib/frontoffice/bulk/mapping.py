"""The mapping file: how each row of a CSV, Parquet or NDJSON file becomes one Segment event.

A mapping is YAML. Top-level keys name the Segment fields (``type``, ``user_id``,
``traits``, …); each value is a constant, a column ``{column: NAME, type: …}``, or (inside
``traits``, ``properties``, ``context`` and ``integrations``) a nested object of those. The
file is checked completely when it is loaded, and a mistake names the key that is wrong.
Applying a mapping to a row is pure: ``EventMapping.apply`` returns the event dict or
raises ``ConversionError`` with the column and the reason. See docs/import.md.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, tzinfo
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml

from frontoffice.bulk.values import EPOCH_FORMATS, TYPES, Conversion
from frontoffice.domain.events import SEGMENT_TYPES
from frontoffice.errors import InvalidInput

# mapping key -> Segment field; the order here is the order of the fields in each event
SCALAR_FIELDS = {
    "type": "type", "event": "event", "name": "name", "category": "category",
    "message_id": "messageId", "user_id": "userId", "anonymous_id": "anonymousId",
    "previous_id": "previousId", "group_id": "groupId", "timestamp": "timestamp",
}
OBJECT_FIELDS = ("traits", "properties", "context", "integrations")
COLUMN_KEYS = ("column", "type", "format", "timezone", "decimal")
_STRFTIME = set("aAwdbBmyYHIpMSfzZjUWcxXGuV%")
_NEEDS = {"track": ("event",), "group": ("group_id",), "alias": ("user_id", "previous_id")}


class MappingError(InvalidInput):
    """The mapping file itself is unusable; the message names the key and the fix."""


class ConversionError(ValueError):
    """One row's value could not be converted; the text names the column and the reason."""


@dataclass(frozen=True, slots=True)
class Constant:
    value: object

    def resolve(self, row: Mapping[str, object]) -> object:
        return self.value


@dataclass(frozen=True, slots=True)
class ColumnValue:
    column: str
    path: str
    convert: Conversion
    _function: Callable[[object, Conversion], object] = field(init=False, repr=False,
                                                              compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_function", self.convert.function)

    def resolve(self, row: Mapping[str, object]) -> object:
        raw = row.get(self.column)
        if raw.__class__ is str:
            if not raw.strip():
                return None
            if self.convert.type == "str":
                return raw  # the common case, kept fast
        elif raw is None:
            return None
        try:
            return self._function(raw, self.convert)
        except ValueError as exc:
            raise ConversionError(f"column {self.column!r} ({self.path}): {exc}") from None


@dataclass(frozen=True, slots=True)
class ObjectValue:
    fields: tuple[tuple[str, Value], ...]

    def resolve(self, row: Mapping[str, object]) -> object:
        out: dict[str, object] = {}
        for key, spec in self.fields:
            value = spec.resolve(row)
            if value is not None:
                out[key] = value
        return out or None


Value = Constant | ColumnValue | ObjectValue


@dataclass(frozen=True, slots=True)
class EventMapping:
    origin: str
    fields: tuple[tuple[str, Value], ...]  # Segment field name -> value

    def apply(self, row: Mapping[str, object]) -> dict[str, object]:
        """The Segment event for ``row``; missing values are left out, never ""."""
        event: dict[str, object] = {}
        for key, spec in self.fields:
            value = spec.resolve(row)
            if value is not None:
                event[key] = value
        return event

    def columns(self) -> dict[str, str]:
        """Every column the mapping reads, with the first mapping key that reads it."""
        found: dict[str, str] = {}
        for column in _columns(ObjectValue(self.fields)):
            found.setdefault(column.column, column.path)
        return found


def _columns(spec: Value) -> Iterator[ColumnValue]:
    if isinstance(spec, ColumnValue):
        yield spec
    elif isinstance(spec, ObjectValue):
        for _, inner in spec.fields:
            yield from _columns(inner)


class _Parser:
    def __init__(self, origin: str) -> None:
        self.origin = origin

    def error(self, path: str, problem: str) -> MappingError:
        where = f"{path}: " if path else ""
        return MappingError(f"Mapping {self.origin}: {where}{problem}")

    def unknown(self, path: str, key: str, known: tuple[str, ...], what: str) -> MappingError:
        close = difflib.get_close_matches(key, known, n=1)
        hint = f"did you mean {close[0]!r}? " if close else ""
        return self.error(_join(path, key), f"unknown key; {hint}{what} takes {', '.join(known)}.")

    def mapping(self, data: object) -> EventMapping:
        if not isinstance(data, dict) or not data:
            raise self.error("", "must be a YAML mapping of Segment fields, e.g. "
                                 "'type: identify' and 'user_id: {column: customer_no}'.")
        known = (*SCALAR_FIELDS, *OBJECT_FIELDS)
        for key in data:
            if key not in known:
                raise self.unknown("", str(key), known, "a mapping")
        if "type" not in data:
            raise self.error("type", "is required: a constant such as 'type: track' or "
                                     "'type: {column: kind}'.")
        fields: list[tuple[str, Value]] = []
        for key, segment in SCALAR_FIELDS.items():
            if key in data:
                fields.append((segment, self.scalar_field(key, data[key])))
        for key in OBJECT_FIELDS:
            if key in data:
                fields.append((key, self.object_field(key, data[key])))
        self.check_type(data, dict(fields)["type"])
        return EventMapping(self.origin, tuple(fields))

    def scalar_field(self, key: str, node: object) -> Value:
        wanted = "datetime" if key == "timestamp" else "str"
        spec = self.value(key, node, default_type=wanted)
        if isinstance(spec, ObjectValue):
            raise self.error(key, "takes a constant or {column: NAME}, not a nested object.")
        if isinstance(spec, ColumnValue) and spec.convert.type != wanted:
            raise self.error(_join(key, "type"), f"{key} is always read as {wanted}; remove 'type'.")
        if isinstance(spec, Constant):
            if not isinstance(spec.value, str):
                raise self.error(key, f"constant {spec.value!r} must be text; quote it.")
            if key == "type" and spec.value not in SEGMENT_TYPES:
                raise self.error(key, f"{spec.value!r} is not a Segment type; use one of "
                                      f"{', '.join(sorted(SEGMENT_TYPES))}.")
            if key == "timestamp":
                try:
                    datetime.fromisoformat(spec.value)
                except ValueError:
                    raise self.error(key, f"constant {spec.value!r} is not an ISO-8601 "
                                          "date-time.") from None
        return spec

    def object_field(self, key: str, node: object) -> Value:
        spec = self.value(key, node, default_type="json")
        if isinstance(spec, Constant) or (
            isinstance(spec, ColumnValue) and spec.convert.type != "json"
        ):
            raise self.error(key, "must be a mapping of names to values, e.g. "
                                  f"'{key}: {{email: {{column: mail}}}}', or a column of JSON "
                                  "objects: {column: NAME, type: json}.")
        return spec

    def check_type(self, data: Mapping[str, object], spec: Value) -> None:
        if not isinstance(spec, Constant):
            return  # the type comes from a column; each row is checked by the collector rules
        etype = str(spec.value)
        for needed in _NEEDS.get(etype, ()):
            if needed not in data:
                raise self.error(needed, f"is required when type is {etype!r}.")
        if etype != "alias" and "user_id" not in data and "anonymous_id" not in data:
            raise self.error("user_id", f"a {etype} event needs user_id or anonymous_id; map "
                                        "at least one of them.")

    def value(self, path: str, node: object, *, default_type: str = "str") -> Value:
        if isinstance(node, dict):
            if "column" in node:
                return self.column(path, node, default_type)
            near = [k for k in node if isinstance(k, str) and k != "column"
                    and difflib.SequenceMatcher(None, k.lower(), "column").ratio() >= 0.8]
            if near:
                raise self.error(_join(path, near[0]), "unknown key; did you mean 'column'?")
            if not node:
                raise self.error(path, "is an empty mapping; give values or remove the key.")
            fields: list[tuple[str, Value]] = []
            for key, inner in node.items():
                if not isinstance(key, str) or not key:
                    raise self.error(_join(path, str(key)), "field names must be non-empty text.")
                fields.append((key, self.value(_join(path, key), inner)))
            return ObjectValue(tuple(fields))
        if node is None:
            raise self.error(path, "has no value; give a constant or {column: NAME}, or remove "
                                   "the key.")
        if isinstance(node, datetime):
            return Constant(node.isoformat() if node.tzinfo else node.replace(tzinfo=UTC).isoformat())
        if isinstance(node, date):
            return Constant(node.isoformat())
        if isinstance(node, str | int | float | bool):
            return Constant(node)
        raise self.error(path, f"{type(node).__name__} values are not supported; give a "
                               "constant, {column: NAME}, or a mapping of names to values.")

    def column(self, path: str, node: Mapping[Any, Any], default_type: str) -> ColumnValue:
        for key in node:
            if key not in COLUMN_KEYS:
                raise self.unknown(path, str(key), COLUMN_KEYS, "a column value")
        column = node["column"]
        if isinstance(column, int) and not isinstance(column, bool):
            column = str(column)
        if not isinstance(column, str) or not column:
            raise self.error(_join(path, "column"), "must be the column's name as text.")
        fmt = self.text(path, node, "format")
        ctype = node.get("type", "datetime" if fmt is not None else default_type)
        if ctype not in TYPES:
            raise self.error(_join(path, "type"), f"{ctype!r} is not a type; use one of "
                                                  f"{', '.join(TYPES)}.")
        timezone = self.timezone(path, node, ctype)
        if fmt is not None:
            self.check_format(path, fmt, ctype)
        decimal = self.text(path, node, "decimal") or "."
        if "decimal" in node and (ctype not in ("int", "float") or decimal not in (".", ",")):
            raise self.error(_join(path, "decimal"), "is '.' or ',' and only for type int or "
                                                     "float.")
        return ColumnValue(column, path, Conversion(ctype, fmt, timezone, decimal))

    def text(self, path: str, node: Mapping[Any, Any], key: str) -> str | None:
        value = node.get(key)
        if value is not None and not isinstance(value, str):
            raise self.error(_join(path, key), f"must be text, got {value!r}; quote it.")
        return value

    def timezone(self, path: str, node: Mapping[Any, Any], ctype: str) -> tzinfo:
        name = self.text(path, node, "timezone")
        if name is None:
            return UTC
        if ctype not in ("datetime", "date"):
            raise self.error(_join(path, "timezone"), "only applies to type datetime or date.")
        try:
            return ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            raise self.error(_join(path, "timezone"), f"{name!r} is not a time zone; use an "
                                                      "IANA name such as Europe/Berlin.") from None

    def check_format(self, path: str, fmt: str, ctype: str) -> None:
        where = _join(path, "format")
        if ctype not in ("datetime", "date"):
            raise self.error(where, "only applies to type datetime or date.")
        if fmt in EPOCH_FORMATS:
            return
        directives = _directives(fmt)
        if not directives:
            raise self.error(where, f"{fmt!r} has no %-directives; use a strptime format such "
                                    "as '%d.%m.%Y %H:%M', or unix / unix_ms.")
        bad = [d for d in directives if d not in _STRFTIME]
        if bad:
            raise self.error(where, f"{fmt!r} has the unknown directive %{bad[0]}.")


def _directives(fmt: str) -> list[str]:
    found: list[str] = []
    i = 0
    while i < len(fmt):
        if fmt[i] == "%":
            found.append(fmt[i + 1: i + 2])
            i += 2
        else:
            i += 1
    return found


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def parse_mapping(data: object, origin: str = "mapping") -> EventMapping:
    return _Parser(origin).mapping(data)


class _StrictLoader(yaml.SafeLoader):
    """SafeLoader that refuses a key given twice instead of keeping the last one."""


def _no_duplicates(loader: _StrictLoader, node: yaml.MappingNode) -> dict[Any, Any]:
    seen: set[object] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"key {key!r} is given twice", key_node.start_mark)
        seen.add(key)
    return loader.construct_mapping(node)


_StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _no_duplicates)


def load_mapping(path: Path) -> EventMapping:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise MappingError(f"Cannot read the mapping file {path}: {exc.strerror}.") from None
    except UnicodeDecodeError:
        raise MappingError(f"Mapping {path.name} is not UTF-8 text.") from None
    try:
        data = yaml.load(text, Loader=_StrictLoader)  # a SafeLoader that refuses duplicate keys
    except yaml.YAMLError as exc:
        raise MappingError(f"Mapping {path.name} is not valid YAML: {_yaml_problem(exc)}") from None
    return parse_mapping(data, origin=path.name)


def _yaml_problem(exc: yaml.YAMLError) -> str:
    if not isinstance(exc, yaml.MarkedYAMLError) or exc.problem_mark is None:
        return str(exc)
    mark = exc.problem_mark
    text = f"line {mark.line + 1}, column {mark.column + 1}: {exc.problem}"
    if exc.context and exc.context_mark is not None:
        start = exc.context_mark
        text += f" ({exc.context} at line {start.line + 1}, column {start.column + 1})"
    if "'%'" in str(exc.problem):
        text += '; quote a strptime format, e.g. format: "%d.%m.%Y"'
    return text + "."
