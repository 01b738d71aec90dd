"""Events into a real store for the identity tests."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from frontoffice.domain.events import Limits, normalise_batch
from frontoffice.storage.port import AppendBatch
from frontoffice.storage.sql import SqlStore
from frontoffice.tenancy import service as tenancy

LIMITS = Limits(max_event_bytes=32 * 1024, max_json_depth=32)


@dataclass
class Brand:
    store: SqlStore
    workspace_id: str
    sources: dict[str, str]  # name -> id

    def send(self, source: str, *events: dict[str, Any]) -> None:
        accepted, rejected = normalise_batch(list(events), batch={}, forced_type=None,
                                             source_id=self.sources[source],
                                             received_at=datetime.now(UTC), limits=LIMITS)
        assert not rejected, rejected
        self.store.append([AppendBatch(self.workspace_id, self.sources[source], accepted)])

    def rid(self, source: str, message_id: str) -> str:
        return f"{self.sources[source]}:{message_id}"


def brand(store: SqlStore, name: str = "acme") -> Brand:
    ws = tenancy.create_workspace(store, name, "EU")
    sources = {}
    for source in ("web", "pos", "app"):
        created, _ = tenancy.create_source(store, ws.id, source, source)
        sources[source] = created.id
    return Brand(store, ws.id, sources)


def identify(mid: str, ts: str, *, user: str | None = None, anon: str | None = None,
             **traits: Any) -> dict[str, Any]:
    event: dict[str, Any] = {"type": "identify", "messageId": mid, "timestamp": ts, "traits": traits}
    if user:
        event["userId"] = user
    if anon:
        event["anonymousId"] = anon
    return event


def page(mid: str, ts: str, anon: str) -> dict[str, Any]:
    return {"type": "page", "messageId": mid, "timestamp": ts, "anonymousId": anon, "name": "Home"}
