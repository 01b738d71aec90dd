"""One cell to one JSON value: the conversions a mapping's ``type:`` names.

Pure functions. They see only non-empty values: the mapping treats an empty cell (None, or
only whitespace) as missing, never "". Every failure raises ``ValueError`` whose text says
what is wrong with the value, in words a person fixing the file can act on.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, tzinfo
from decimal import Decimal

import orjson

from frontoffice.domain.events import iso

TYPES = ("str", "int", "float", "bool", "datetime", "date", "json")
EPOCH_FORMATS = ("unix", "unix_ms")
TRUE = frozenset({"true", "t", "yes", "y", "1"})
FALSE = frozenset({"false", "f", "no", "n", "0"})
_INT = re.compile(r"[+-]?[0-9]+")
_FLOAT = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")


@dataclass(frozen=True, slots=True)
class Conversion:
    """How to read one column: the target type and, for dates and numbers, the layout."""

    type: str = "str"
    format: str | None = None
    timezone: tzinfo = UTC
    decimal: str = "."

    @property
    def function(self) -> Callable[[object, Conversion], object]:
        """``function(value, conversion)`` converts one non-empty value."""
        return _CONVERTERS[self.type]


def shown(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _kind(value: object) -> str:
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "an array"
    return f"a {type(value).__name__}"


def _to_str(value: object, conv: Conversion) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float | Decimal):
        number = _finite(value)
        # Integer ids often arrive as floats (a Parquet column with gaps): 1234.0 -> "1234".
        return str(int(number)) if number == int(number) else str(value)
    if isinstance(value, datetime | date):
        return _to_datetime(value, conv) if isinstance(value, datetime) else value.isoformat()
    if isinstance(value, bytes):
        return _decode(value)
    raise ValueError(f"holds {_kind(value)}, not text; use type: json to keep it as it is")


def _number_text(text: str, conv: Conversion) -> str:
    text = text.strip()
    if conv.decimal == ",":
        if "." in text:
            raise ValueError(f"{shown(text)} is not a number with a decimal comma")
        text = text.replace(",", ".", 1)
    return text


def _finite(value: float | Decimal) -> float:
    number = float(value)
    if not math.isfinite(number):
        raise ValueError(f"{shown(value)} is not a finite number")
    return number


def _to_int(value: object, conv: Conversion) -> int:
    if isinstance(value, bool):
        raise ValueError(f"{shown(value)} is a boolean, not a whole number")
    if isinstance(value, int):
        return value
    if isinstance(value, float | Decimal):
        number = _finite(value)
        if number != int(number):
            raise ValueError(f"{shown(value)} is not a whole number")
        return int(number)
    if isinstance(value, str):
        text = _number_text(value, conv)
        if not _INT.fullmatch(text):
            raise ValueError(f"{shown(value)} is not a whole number")
        return int(text)
    raise ValueError(f"holds {_kind(value)}, not a whole number")


def _to_float(value: object, conv: Conversion) -> float:
    if isinstance(value, bool):
        raise ValueError(f"{shown(value)} is a boolean, not a number")
    if isinstance(value, int | float | Decimal):
        return _finite(value)
    if isinstance(value, str):
        text = _number_text(value, conv)
        if not _FLOAT.fullmatch(text):
            raise ValueError(f"{shown(value)} is not a number")
        return _finite(float(text))
    raise ValueError(f"holds {_kind(value)}, not a number")


def _to_bool(value: object, conv: Conversion) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    if isinstance(value, str):
        text = value.strip().lower()
        if text in TRUE:
            return True
        if text in FALSE:
            return False
    raise ValueError(f"{shown(value)} is not a boolean (use true/false, yes/no or 1/0)")


def _from_epoch(value: object, conv: Conversion) -> datetime:
    number = _to_float(value, Conversion("float"))
    seconds = number / 1000 if conv.format == "unix_ms" else number
    try:
        return datetime.fromtimestamp(seconds, UTC)
    except (OverflowError, OSError, ValueError):
        raise ValueError(f"{shown(value)} is out of range for a {conv.format} time") from None


def _parse_datetime(value: object, conv: Conversion) -> datetime:
    if isinstance(value, datetime):
        parsed = value
    elif isinstance(value, date):
        parsed = datetime.combine(value, time())
    elif conv.format in EPOCH_FORMATS:
        parsed = _from_epoch(value, conv)
    elif not isinstance(value, str):
        hint = "; set format: unix or unix_ms for epoch times" if isinstance(value, int | float) else ""
        raise ValueError(f"holds {_kind(value)}, not a date-time{hint}")
    elif conv.format is None:
        try:
            parsed = datetime.fromisoformat(value.strip())
        except ValueError:
            raise ValueError(f"{shown(value)} is not an ISO-8601 date-time "
                             "(set format: in the mapping for other layouts)") from None
    else:
        try:
            parsed = datetime.strptime(value.strip(), conv.format)
        except ValueError:
            raise ValueError(f"{shown(value)} does not match the format {conv.format!r}") from None
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=conv.timezone)


def _to_datetime(value: object, conv: Conversion) -> str:
    return iso(_parse_datetime(value, conv))


def _to_date(value: object, conv: Conversion) -> str:
    if isinstance(value, date) and not isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, str) and conv.format is None:
        try:
            return date.fromisoformat(value.strip()).isoformat()
        except ValueError:
            raise ValueError(f"{shown(value)} is not an ISO-8601 date (YYYY-MM-DD); "
                             "set format: in the mapping for other layouts") from None
    return _parse_datetime(value, conv).astimezone(conv.timezone).date().isoformat()


def _decode(value: bytes) -> str:
    try:
        return value.decode("utf-8")
    except UnicodeDecodeError:
        raise ValueError("holds bytes that are not UTF-8 text") from None


def _plain(value: object) -> object:
    """A typed value (Parquet structs and lists) as plain JSON: dates as ISO text."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, datetime):
        return _to_datetime(value, Conversion("datetime"))
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, Decimal):
        number = _finite(value)
        return int(number) if value == value.to_integral_value() else number
    if isinstance(value, bytes):
        return _decode(value)
    return value


def _to_json(value: object, conv: Conversion) -> object:
    if isinstance(value, str):
        try:
            return orjson.loads(value)
        except orjson.JSONDecodeError:
            raise ValueError(f"{shown(value)} is not valid JSON") from None
    return _plain(value)


_CONVERTERS: dict[str, Callable[[object, Conversion], object]] = {
    "str": _to_str,
    "int": _to_int,
    "float": _to_float,
    "bool": _to_bool,
    "datetime": _to_datetime,
    "date": _to_date,
    "json": _to_json,
}
