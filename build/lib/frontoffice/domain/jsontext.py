"""JSON text in and out with every integer kept exact, however large.

orjson parses and writes 64-bit integers only: it reads a larger one as a float (2^70 became
1.18e21) and refuses to write one. Clients send them anyway (order numbers, ids from other
systems), so ``loads`` re-reads with the standard library, which keeps integers exact, when the
text holds a run of 19 digits or more (``-2^63 - 1`` has 19, ``2^64`` has 20); ``dumps`` writes
integers orjson refuses as JSON fragments of their digits.
"""

from __future__ import annotations

import json
from typing import Any

import orjson

# Every digit read as "0", every other byte as " ": a run of 19 digits is then a plain substring,
# found ten times faster than by a regex over a batch body (0.4 against 3.6 µs per event).
_DIGITS_ONLY = bytes(48 if 48 <= b <= 57 else 32 for b in range(256))
_NINETEEN_DIGITS = b"0" * 19
_I64_MIN, _U64_MAX = -(2**63), 2**64 - 1


def loads(data: bytes) -> Any:
    """``data`` parsed, integers exact. Raises ``orjson.JSONDecodeError`` on invalid JSON."""
    value = orjson.loads(data)
    if _NINETEEN_DIGITS not in data.translate(_DIGITS_ONLY):
        return value
    try:
        return json.loads(data)  # valid JSON (orjson said so); only the integers differ
    except RecursionError:
        raise orjson.JSONDecodeError("JSON exceeds the recursion limit", "", 0) from None


def dumps(value: Any, option: int | None = None) -> bytes:
    """``value`` as JSON; integers beyond 64 bits written with all their digits."""
    try:
        return orjson.dumps(value, option=option)
    except orjson.JSONEncodeError as exc:
        if "64-bit" not in str(exc):
            raise
    return orjson.dumps(_exact(value), option=option)


def _exact(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _exact(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_exact(v) for v in value]
    if type(value) is int and not _I64_MIN <= value <= _U64_MAX:
        return orjson.Fragment(str(value).encode("ascii"))
    return value
