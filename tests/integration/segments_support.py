"""A workspace on a real database whose log the tests write, projected by identity and by the
segments projection at an instant the test chooses."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from frontoffice.domain.events import EventRecord, Limits, iso, normalise
from frontoffice.identity.hub import IdentityHub
from frontoffice.identity.people_store import PeopleSql
from frontoffice.segments import service
from frontoffice.segments.adapters import projector_for
from frontoffice.segments.projector import SegmentsProjector
from frontoffice.segments.store import SegmentsStore
from frontoffice.settings import Settings
from frontoffice.storage.port import AppendBatch
from frontoffice.storage.sql import SqlStore
from frontoffice.tenancy import service as tenancy

LIMITS = Limits(Settings().max_event_bytes, Settings().max_json_depth)
T0 = datetime(2026, 11, 1, tzinfo=UTC)
DAY_S = 86_400.0
_names = itertools.count(1)
_messages = itertools.count(1)


@dataclass
class World:
    store: SqlStore
    ws: str
    source_id: str
    clock: list[float] = field(default_factory=lambda: [T0.timestamp()])
    projector: SegmentsProjector | None = None

    @property
    def data(self) -> SegmentsStore:
        return SegmentsStore(self.store)

    @property
    def now_ms(self) -> int:
        return int(self.clock[0] * 1000)

    def at(self, seconds: float) -> None:
        """Move the clock to T0 + ``seconds``."""
        self.clock[0] = T0.timestamp() + seconds

    def track(self, user: str, event: str, seconds: float, **props: Any) -> None:
        """``user`` does ``event`` at T0 + ``seconds``."""
        when = datetime.fromtimestamp(T0.timestamp() + seconds, UTC)
        self.append([{"type": "track", "event": event, "userId": user, "properties": props,
                      "messageId": f"m-{next(_messages)}", "timestamp": iso(when)}])

    def identify(self, user: str, context: dict[str, Any] | None = None, **traits: Any) -> None:
        self.append([{"type": "identify", "userId": user, "traits": traits, "context": context or {},
                      "messageId": f"m-{next(_messages)}", "timestamp": iso(T0)}])

    def append(self, events: list[dict[str, Any]]) -> None:
        records = []
        for index, item in enumerate(events):
            result = normalise(item, index=index, batch={}, forced_type=None, source_id=self.source_id,
                               received_at=T0, limits=LIMITS)
            assert isinstance(result, EventRecord), result
            records.append(result)
        self.store.append([AppendBatch(self.ws, self.source_id, records)])

    def project(self) -> int:
        IdentityHub(self.store).catch_up(self.ws)
        if self.projector is None:
            self.projector = projector_for(self.store, lambda: self.clock[0])
        return self.projector.catch_up(self.ws)

    def person(self, user: str) -> str:
        found = PeopleSql(self.store).holders(self.ws, "user_id", [user]).get(user, set())
        assert len(found) == 1, found
        return next(iter(found))

    def members(self, segment: str) -> set[str]:
        return {m["person_id"] for m in self.data.members(self.ws, segment, 100_000)}

    def batch(self, shards: int | None = None) -> dict[str, set[str]]:
        return {k: set(v) for k, v in service.batch(self.data, self.ws, self.now_ms, shards).items()}

    def trait(self, doc: dict[str, Any]) -> None:
        service.define_trait(self.data, self.ws, doc, iso(T0))

    def segment(self, name: str, condition: dict[str, Any]) -> None:
        service.define_segment(self.data, self.ws, {"name": name, "condition": condition}, iso(T0))


def new_world(store: SqlStore) -> World:
    ws = tenancy.create_workspace(store, f"seg-{next(_names)}", "EU")
    web, _ = tenancy.create_source(store, ws.id, "web", "web")
    return World(store, ws.id, web.id)
