"""One pydantic TypeAdapter per distinct route parameter, not one per route.

FastAPI (0.165, pinned) builds a ``TypeAdapter`` for every parameter, body and response field of
every route it adds: ~1,300 for the ~200 routes of the API, about three quarters of the time
``create_app`` takes (0.5-1 s of CPU a server start, and again for each app a test builds). Most
of those fields are alike (a workspace path parameter, a bearer header, a limit), and an adapter
is a pure function of what it is built from, so fields built from equal parts share one.

Installed once by :func:`share_field_adapters` (``create_app`` calls it). A field whose parts
cannot be compared (unhashable metadata) is built as FastAPI builds it.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable
from typing import Any

from fastapi._compat import v2
from pydantic import TypeAdapter

_adapters: dict[Hashable, TypeAdapter[Any]] = {}
_installed = threading.Lock()
_fastapis: list[Callable[[v2.ModelField], None]] = []  # FastAPI's own __post_init__, once installed


def _parts(field: v2.ModelField) -> Hashable:
    """What FastAPI builds the field's adapter from: its annotation, metadata, the field's other
    attributes and the model config (values by ``repr`` where they are containers)."""
    described = v2.asdict(field.field_info)
    attributes = tuple(sorted((name, type(value), repr(value))
                              for name, value in described["attributes"].items()))
    key = (described["annotation"], tuple(described["metadata"]), attributes, repr(field.config))
    hash(key)  # TypeError: a part that cannot be compared
    return key


def _shared_post_init(field: v2.ModelField) -> None:
    build = _fastapis[0]
    try:
        key = _parts(field)
    except TypeError:
        build(field)
        return
    adapter = _adapters.get(key)
    if adapter is None:
        build(field)
        _adapters[key] = field._type_adapter
    else:
        field._type_adapter = adapter


def share_field_adapters() -> None:
    """Make FastAPI's fields share adapters (idempotent)."""
    with _installed:
        if not _fastapis:
            _fastapis.append(v2.ModelField.__post_init__)
            v2.ModelField.__post_init__ = _shared_post_init  # type: ignore[method-assign, assignment]


def shared_adapters() -> int:
    """How many distinct adapters the process holds (for tests and diagnostics)."""
    return len(_adapters)
