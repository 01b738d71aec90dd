"""Fixed clock and deterministic identifiers for the demo brand.

All times are integer milliseconds after the fixed base ``2026-01-01T00:00:00Z``; nothing reads
the wall clock. Identifiers come from the caller's seeded ``random.Random`` and never encode a
person's ground-truth id or generation position.
"""

from __future__ import annotations

import hashlib
import random
from bisect import bisect
from collections.abc import Callable
from datetime import datetime, timedelta
from functools import cache
from itertools import accumulate

BASE = datetime(2026, 1, 1)
SPAN_DAYS = 300
DAY_MS = 86_400_000
HOUR_MS = 3_600_000
_LOCAL_HOUR_CUM = tuple(
    accumulate((1, 1, 1, 1, 1, 1, 2, 4, 6, 7, 8, 9, 10, 9, 8, 8, 9, 10, 12, 14, 14, 12, 8, 4))
)


@cache
def _date_prefix(day: int) -> str:
    return (BASE + timedelta(days=day)).date().isoformat()


def iso(ms: int) -> str:
    """ISO-8601 UTC timestamp with milliseconds and a ``Z`` suffix."""
    day, rest = divmod(ms, DAY_MS)
    rest, milli = divmod(rest, 1000)
    rest, second = divmod(rest, 60)
    hour, minute = divmod(rest, 60)
    return f"{_date_prefix(day)}T{hour:02d}:{minute:02d}:{second:02d}.{milli:03d}Z"


def iso_day(ms: int) -> str:
    """The UTC calendar date of a moment, ``YYYY-MM-DD``."""
    return (BASE + timedelta(milliseconds=ms)).date().isoformat()


def moment(rng: random.Random, day: int, utc_offset_hours: int) -> int:
    """A moment on ``day`` at a plausible local hour (evenings busier than nights), in UTC ms."""
    hour = bisect(_LOCAL_HOUR_CUM, rng.random() * _LOCAL_HOUR_CUM[-1])
    local = day * DAY_MS + hour * HOUR_MS + rng.randrange(HOUR_MS)
    return max(0, local - utc_offset_hours * HOUR_MS)


def format_uuid(value: int) -> str:
    """Render 128 bits as a version-4, RFC 4122 variant UUID string."""
    value = (value & ~(0xF000 << 64)) | (0x4000 << 64)
    value = (value & ~(0xC000 << 48)) | (0x8000 << 48)
    h = f"{value:032x}"
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def rng_uuid(rng: random.Random) -> str:
    """A UUID string drawn from ``rng`` (reproducible, unlike ``uuid.uuid4``)."""
    return format_uuid(rng.getrandbits(128))


def derived_uuid(*parts: object) -> str:
    """A UUID string that is a pure function of ``parts`` (e.g. seed and counter)."""
    digest = hashlib.blake2b(":".join(map(str, parts)).encode(), digest_size=16).digest()
    return format_uuid(int.from_bytes(digest, "big"))


class IdMint:
    """Hands out unique, random-looking identifiers (``ord_3f9a0c12e4``) from one seeded stream."""

    def __init__(self, rng: random.Random) -> None:
        self._rng = rng
        self._issued: set[str] = set()

    def hex(self, prefix: str, length: int = 10, upper: bool = False) -> str:
        spec = f"0{length}X" if upper else f"0{length}x"
        return self._unique(lambda: f"{prefix}{self._rng.getrandbits(4 * length):{spec}}")

    def digits(self, prefix: str, length: int = 10) -> str:
        return self._unique(lambda: f"{prefix}{self._rng.randrange(10**length):0{length}d}")

    def claim(self, candidate: str) -> bool:
        """Reserve a caller-built id; False when it was already issued."""
        if candidate in self._issued:
            return False
        self._issued.add(candidate)
        return True

    def _unique(self, make: Callable[[], str]) -> str:
        while True:
            candidate = make()
            if self.claim(candidate):
                return candidate
