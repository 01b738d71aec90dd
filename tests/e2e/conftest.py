"""End-to-end fixtures: a real `frontoffice serve` process on loopback, and ways to talk to it.

``live`` starts one server per test on the ``database_url`` it is given (SQLite and PostgreSQL).
``shared_server`` starts one per test worker and backend for the short, independent requests
of every module; each of those tests takes its own workspace through ``fresh``, so counts never
mix. ``spawn`` starts servers with settings of their own. Counts are read straight from the
database.
"""

from __future__ import annotations

import base64
import itertools
import os
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import orjson
import pytest

from frontoffice.storage import open_store
from tests.support.pg import fresh_database
from tests.support.server import ServerProcess, Tenant, make_tenant

BACKENDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
_names = itertools.count(1)


def basic(write_key: str, colon: bool = True) -> str:
    """``Authorization`` value the Segment and RudderStack clients send for a write key."""
    raw = f"{write_key}:" if colon else write_key
    return "Basic " + base64.b64encode(raw.encode()).decode()


def bearer(token: str) -> str:
    return f"Bearer {token}"


def new_id(prefix: str = "m") -> str:
    return f"{prefix}-{uuid.uuid4().hex}"


def ms_utc(text: str) -> str:
    """An ISO-8601 time as the event log writes it: UTC, milliseconds, 'Z'."""
    parsed = datetime.fromisoformat(text)
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    parsed = parsed.astimezone(UTC)
    return parsed.strftime("%Y-%m-%dT%H:%M:%S.") + f"{parsed.microsecond // 1000:03d}Z"


def track(user_id: str = "u-1", **fields: Any) -> dict[str, Any]:
    """A valid track event with a fresh messageId; ``fields`` override or add keys."""
    return {"type": "track", "event": "Viewed", "userId": user_id, "messageId": new_id(), **fields}


@dataclass
class Live:
    """A running server, the database behind it and one tenant (workspace + source + token)."""

    server: ServerProcess
    database_url: str
    tenant: Tenant

    @property
    def url(self) -> str:
        return self.server.url

    def collector(self) -> httpx.Client:
        """An httpx client that authenticates as the source with Basic auth, like the SDKs do."""
        return httpx.Client(base_url=self.url, timeout=30,
                            headers={"Authorization": basic(self.tenant.write_key)})

    def api(self) -> httpx.Client:
        """An httpx client for the read/admin API with the tenant's Bearer token."""
        return httpx.Client(base_url=self.url, timeout=30,
                            headers={"Authorization": bearer(self.tenant.token)})

    def new_tenant(self, prefix: str = "ws") -> Tenant:
        return make_tenant(self.database_url, f"{prefix}-{os.getpid()}-{next(_names)}")

    def with_tenant(self, tenant: Tenant) -> Live:
        return Live(self.server, self.database_url, tenant)

    # -- what the event log holds, read straight from the database ------------------------
    def message_ids(self) -> dict[str, int]:
        """messageId -> how many times the tenant's source has it in the log."""
        store = open_store(self.database_url)
        try:
            return store.message_ids(self.tenant.workspace_id, self.tenant.source_id)
        finally:
            store.close()

    def counts(self, tenant: Tenant | None = None) -> tuple[int, int]:
        """(events, quarantined) of the tenant's workspace."""
        t = tenant or self.tenant
        store = open_store(self.database_url)
        try:
            return store.count_events(t.workspace_id), store.count_quarantine(t.workspace_id)
        finally:
            store.close()

    def stored(self, message_id: str) -> dict[str, Any]:
        """One stored event: its normalised columns and its payload."""
        store = open_store(self.database_url)
        try:
            found = store.event(self.tenant.workspace_id, self.tenant.source_id, message_id)
        finally:
            store.close()
        assert found is not None, f"event {message_id} is not in the log"
        record = found.record
        return {"type": record.type, "user_id": record.user_id, "event": record.event,
                "timestamp": record.timestamp, "received_at": record.received_at,
                "anonymous_id": record.anonymous_id, "group_id": record.group_id,
                "previous_id": record.previous_id, "payload": orjson.loads(record.payload)}


# -- talking to the collector ---------------------------------------------------------------

def post(live: Live, path: str, body: bytes | dict[str, Any] | Iterator[bytes],
         headers: dict[str, str] | None = None, auth: bool = True) -> httpx.Response:
    """POST raw bytes (or a dict as JSON) to the collector, with Basic auth unless told not to."""
    sent = {"Content-Type": "application/json", **(headers or {})}
    if auth:
        sent.setdefault("Authorization", basic(live.tenant.write_key))
    content = orjson.dumps(body) if isinstance(body, dict) else body
    return httpx.post(live.url + path, content=content, headers=sent, timeout=30)


def refused(live: Live, response: Callable[[], httpx.Response], status: int, code: str,
            quarantined: int = 0) -> dict[str, Any]:
    """Send, then check the error contract and that the event log did not change."""
    events_before, quarantine_before = live.counts()
    answer = response()
    assert answer.status_code == status, answer.text
    assert answer.headers["content-type"].startswith("application/json")
    body: dict[str, Any] = answer.json()
    assert body["code"] == code, body
    assert isinstance(body["message"], str) and body["message"].strip()
    events_after, quarantine_after = live.counts()
    assert events_after == events_before, "a refused request wrote to the event log"
    assert quarantine_after - quarantine_before == quarantined
    return body


def accepted(answer: httpx.Response) -> dict[str, Any]:
    """The body of a collector 200."""
    assert answer.status_code == 200, answer.text
    body: dict[str, Any] = answer.json()
    assert body["success"] is True
    return body


def quarantine(live: Live) -> list[dict[str, Any]]:
    """The tenant's quarantine, through the read API."""
    with live.api() as api:
        answer = api.get(f"/api/v1/workspaces/{live.tenant.workspace}/quarantine")
    assert answer.status_code == 200, answer.text
    entries: list[dict[str, Any]] = answer.json()["entries"]
    return entries


def sqlite_url(folder: Path) -> str:
    return f"sqlite:///{folder / 'frontoffice.db'}"


def start_live(database_url: str, data_dir: Path, env_extra: dict[str, str] | None = None,
               workspace: str = "acme") -> Live:
    tenant = make_tenant(database_url, workspace)
    server = ServerProcess(database_url, data_dir, env_extra=dict(env_extra or {}))
    server.start()
    return Live(server, database_url, tenant)


@pytest.fixture
def live(server: ServerProcess, database_url: str) -> Live:
    """The per-test server of tests/conftest.py (SQLite and PostgreSQL), started, with a tenant."""
    tenant = make_tenant(database_url, "acme")
    server.start()
    return Live(server, database_url, tenant)


def _own_database(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
                  ) -> Iterator[str]:
    if request.param == "sqlite":
        yield sqlite_url(tmp_path_factory.mktemp("shared"))
    else:
        with fresh_database(request.getfixturevalue("pg_server"),
                            template=request.getfixturevalue("pg_template")) as url:
            yield url


@pytest.fixture(scope="session", params=BACKENDS)
def shared_database_url(request: pytest.FixtureRequest,
                        tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The shared server's database (SQLite and PostgreSQL)."""
    yield from _own_database(request, tmp_path_factory)


@pytest.fixture(scope="module", params=BACKENDS)
def module_database_url(request: pytest.FixtureRequest,
                        tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A database for a module's own server (one with settings of its own), SQLite and PostgreSQL."""
    yield from _own_database(request, tmp_path_factory)


@pytest.fixture(scope="session")
def shared_server(shared_database_url: str,
                  tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    """One server per test worker and backend, for every module; tests take their own tenant
    with ``fresh`` (and leave the server as they found it: no settings, no restarts)."""
    started = start_live(shared_database_url, tmp_path_factory.mktemp("shared-server"),
                         workspace=f"shared-{os.getpid()}")
    yield started
    started.server.stop()


@pytest.fixture
def fresh(shared_server: Live) -> Live:
    """The shared server with a workspace of this test's own."""
    return shared_server.with_tenant(shared_server.new_tenant())


@pytest.fixture
def spawn(tmp_path: Path) -> Iterator[Callable[..., Live]]:
    """Start extra servers with settings of their own (on a new SQLite file unless a database
    is given); all are stopped at the end of the test."""
    started: list[Live] = []

    def start(env_extra: dict[str, str] | None = None, database_url: str | None = None) -> Live:
        folder = tmp_path / f"spawn-{len(started)}"
        folder.mkdir()
        one = start_live(database_url or sqlite_url(folder), folder, env_extra)
        started.append(one)
        return one

    yield start
    for one in started:
        one.server.stop()
