"""An in-memory ``rollup.Refs``: what the projection remembers between events, in a dict."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


class FakeRefs:
    def __init__(self) -> None:
        self.docs: dict[tuple[str, str], dict[str, Any]] = {}

    def get(self, kind: str, ref_id: str) -> dict[str, Any] | None:
        found = self.docs.get((kind, ref_id))
        return dict(found) if found is not None else None

    def put(self, kind: str, ref_id: str, doc: Mapping[str, Any]) -> None:
        self.docs[(kind, ref_id)] = dict(doc)
