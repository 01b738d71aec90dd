"""The world the DSR tests share: one database per module and backend, a brand with web, app and
call-centre sources and its account service (``accounts``: a server-side source of channel web, the
only one whose ``emailVerified`` proves an address), people sent as Segment events, and the DSR use
cases with the embedded outbox notifier. Every test works in a workspace of its own."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from frontoffice.consent import service as consent
from frontoffice.dsr import service
from frontoffice.dsr.config import DsrConfig
from frontoffice.dsr.execute import Hubs
from frontoffice.dsr.model import DsrRequest, Kind
from frontoffice.dsr.notify import OutboxNotifier
from frontoffice.dsr.store import DsrStore
from frontoffice.identity.hub import IdentityHub
from frontoffice.storage import open_store
from frontoffice.storage.sql import SqlStore
from frontoffice.tenancy import service as tenancy
from tests.integration.identity_support import Brand
from tests.support.pg import fresh_database

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)  # a Monday
CONFIG = DsrConfig(token_ttl=timedelta(minutes=30), max_attempts=3)
_names = itertools.count(1)


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def dsr_db(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path_factory.mktemp('dsr') / 'frontoffice.db'}"
    else:
        with fresh_database(request.getfixturevalue("pg_server"),
                            template=request.getfixturevalue("pg_template")) as url:
            yield url


@pytest.fixture
def store(dsr_db: str) -> Iterator[SqlStore]:
    s = open_store(dsr_db)
    s.upgrade()
    yield s
    s.close()


@dataclass
class World:
    store: SqlStore
    brand: Brand
    hubs: Hubs

    @property
    def ws(self) -> str:
        return self.brand.workspace_id

    def send(self, source: str, *events: dict[str, Any]) -> None:
        self.brand.send(source, *events)
        self.hubs.identity.catch_up(self.ws)
        self.hubs.consent.catch_up(self.ws)

    def open(self, kind: str, id_kind: str, value: str, details: dict[str, Any] | None = None,
             config: DsrConfig = CONFIG, now: datetime = NOW) -> service.Opened:
        return service.open_request(self.store, self.ws, Kind(kind), id_kind, value, details=details,
                                    actor="test", now=now, config=config, notifier=OutboxNotifier(self.store))

    def outbox(self, request_id: str) -> list[tuple[str, str, str]]:
        return [(m.channel, m.recipient, m.body) for m in DsrStore(self.store).messages(self.ws, request_id)]

    def token(self, request_id: str) -> str:
        [(_, _, body)] = self.outbox(request_id)
        found = re.search(r"code: (\w+)", body)
        assert found, body
        return found.group(1)

    def verify(self, request_id: str, token: str, now: datetime = NOW) -> DsrRequest:
        return service.verify(self.store, self.ws, request_id, token, actor="test", now=now, config=CONFIG)

    def execute(self, request_id: str, now: datetime = NOW, **kwargs: Any) -> DsrRequest:
        return service.execute(self.store, self.ws, request_id, hubs=self.hubs, actor="test", now=now,
                               **kwargs)

    def verified(self, kind: str, id_kind: str, value: str, details: dict[str, Any] | None = None) -> str:
        opened = self.open(kind, id_kind, value, details)
        self.verify(opened.request.id, self.token(opened.request.id))
        return opened.request.id

    def actions(self, request_id: str) -> list[str]:
        return [row.action for row in DsrStore(self.store).trail(self.ws, request_id)]


@pytest.fixture
def world(store: SqlStore) -> World:
    ws = tenancy.create_workspace(store, f"dsr-{next(_names)}", "EU")
    sources = {}
    for name, channel, trust in (("web", "web", None), ("app", "app", None), ("call", "call_centre", None),
                                 ("accounts", "web", "server")):
        created, _ = tenancy.create_source(store, ws.id, name, channel, trust=trust)
        sources[name] = created.id
    return World(store, Brand(store, ws.id, sources),
                 Hubs(IdentityHub(store), consent.ConsentHub.of(store)))


def identify(mid: str, ts: str = "2026-10-01T10:00:00Z", *, user: str | None = None,
             anon: str | None = None, **traits: Any) -> dict[str, Any]:
    event: dict[str, Any] = {"type": "identify", "messageId": mid, "timestamp": ts, "traits": traits}
    if user:
        event["userId"] = user
    if anon:
        event["anonymousId"] = anon
    return event


def test_the_world_finds_a_person_by_email(world: World) -> None:
    world.send("accounts", identify("a1", user="ann", email="ann@mailbox.org", emailVerified=True))
    opened = world.open("access", "email", "Ann@Mailbox.org")
    assert opened.request.status.value == "verification_sent"
    assert world.outbox(opened.request.id)[0][:2] == ("email", "ann@mailbox.org")
