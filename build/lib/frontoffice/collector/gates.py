"""What the collector checks between validating a batch and appending it: residency (refuse what
must be stored in another country) and consent (reduce what a refusal does not allow). The same
object runs in the API process and in each ingest process of the pool."""

from __future__ import annotations

import threading
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from frontoffice.collector.consent_gate import ConsentGate
from frontoffice.collector.pipeline import Incoming, Prepared
from frontoffice.residency.router import StoreRouter, residency_gate
from frontoffice.settings import Settings
from frontoffice.storage.sql import SqlStore


class CollectionGates:
    """`store` is the registry (workspace locations); consent is read from the store that holds
    the workspace's data (`stores`, when data residency routes some workspaces elsewhere)."""

    def __init__(self, store: SqlStore, settings: Settings, stores: StoreRouter | None = None) -> None:
        self._ttl = settings.key_cache_seconds
        self._store = store
        self._stores = stores
        self.residency = residency_gate(store, settings)
        self._consent: dict[int, ConsentGate] = {}
        self._lock = threading.Lock()

    def consent(self, workspace_id: str) -> ConsentGate:
        store = self._store if self._stores is None else self._stores.for_workspace(workspace_id)
        with self._lock:
            gate = self._consent.get(id(store))
            if gate is None:
                gate = self._consent[id(store)] = ConsentGate(store, self._ttl)
            return gate

    def apply(self, incoming: Incoming, body: Mapping[str, Any], prepared: Prepared) -> Prepared:
        """`body` is the request as parsed (what `prepare` normalised `prepared` from)."""
        batch = prepared.batch
        if not batch.events:
            return prepared
        raw = body.get("batch") if incoming.forced_type is None else [body]
        items: list[Any] = raw if isinstance(raw, list) else []
        context = body.get("context") if incoming.forced_type is None else None
        batch_context: Mapping[str, Any] = context if isinstance(context, dict) else {}
        # Every item of the request became either an accepted event or a rejection, in order.
        invalid = {r.index for r in prepared.rejected}
        indices = [i for i in range(len(items)) if i not in invalid]
        accepted = [items[i] for i in indices]
        ws = incoming.workspace_id
        kept, refused = self.residency.check(ws, batch.events, accepted, indices, batch_context)
        signal = incoming.gpc or "consent" in batch_context or batch_context.get("gpc") is True
        events, _ = self.consent(ws).apply(
            ws,
            incoming.source_id,
            [batch.events[k] for k in kept],
            [accepted[k] for k in kept],
            signal,
            incoming.received_at,
        )
        rejected = sorted([*prepared.rejected, *refused], key=lambda r: r.index)
        return Prepared(replace(batch, events=events), rejected)
