"""A small time-limited lookup cache, shared by write-key and API-token authentication."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Generic, TypeVar

K = TypeVar("K")
V = TypeVar("V")


class TtlLookup(Generic[K, V]):
    """Remembers ``lookup(key)`` (misses too) for ``ttl_seconds``; ``invalidate`` forgets all."""

    def __init__(self, lookup: Callable[[K], V], ttl_seconds: float, max_entries: int) -> None:
        self._lookup = lookup
        self._ttl = ttl_seconds
        self._max = max_entries
        self._cache: dict[K, tuple[float, V]] = {}
        self._lock = threading.Lock()

    def get(self, key: K) -> V:
        now = time.monotonic()
        with self._lock:
            hit = self._cache.get(key)
        if hit is not None and hit[0] >= now:
            return hit[1]
        found = self._lookup(key)
        with self._lock:
            if len(self._cache) >= self._max:
                self._cache.clear()
            self._cache[key] = (now + self._ttl, found)
        return found

    def peek(self, key: K) -> tuple[V] | None:
        """``(get(key),)`` when ``get`` would answer from memory now (no lookup), else None: an
        event loop asks this first and hops to a thread only to look up."""
        with self._lock:
            hit = self._cache.get(key)
        return (hit[1],) if hit is not None and hit[0] >= time.monotonic() else None

    def invalidate(self) -> None:
        with self._lock:
            self._cache.clear()
