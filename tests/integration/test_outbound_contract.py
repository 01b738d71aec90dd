"""The outbound fakes against the database: every gating case of ``tests/unit/outbound/
gating_cases.py`` runs on the in-memory ports and on SQLite and PostgreSQL (people placed by
identity's projection, consent captured through the consent service, an erasure by the privacy
workflow), with the same assertions, so the fakes cannot drift from the real stores."""

from __future__ import annotations

import itertools
import shutil
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from frontoffice.consent import service as consent
from frontoffice.domain.events import EventRecord, Limits, normalise
from frontoffice.identity.people_store import PeopleSql
from frontoffice.outbound.exports import catch_up_people
from frontoffice.outbound.store import sql_ports
from frontoffice.privacy.erasure import erase_person
from frontoffice.settings import Settings
from frontoffice.storage import open_store
from frontoffice.storage.port import AppendBatch
from frontoffice.storage.sql import SqlStore
from frontoffice.tenancy import service as tenancy
from tests.fakes.outbound import GRANTED_AT, fake_town
from tests.support.pg import fresh_database
from tests.unit.outbound import gating_cases as cases

LIMITS = Limits(Settings().max_event_bytes, Settings().max_json_depth)
RECEIVED = datetime(2026, 11, 1, 12, tzinfo=UTC)
_ids = itertools.count(1)


class SqlTown:
    """A workspace of a real store (``gating_cases.Town``)."""

    def __init__(self, store: SqlStore) -> None:
        self.store = store
        ws = tenancy.create_workspace(store, f"contract-{next(_ids)}", "EU")
        self.ws, self.source_id = ws.id, tenancy.create_source(store, ws.id, "web", "web")[0].id
        self.ports = sql_ports(store)
        self.hub = consent.ConsentHub.of(store)

    def person(self, user: str, traits: dict[str, Any]) -> None:
        item = {"type": "identify", "userId": user, "traits": traits, "messageId": f"{user}-identify",
                "timestamp": "2026-10-01T10:00:00Z"}
        record = normalise(item, index=0, batch={}, forced_type=None, source_id=self.source_id,
                           received_at=RECEIVED, limits=LIMITS)
        assert isinstance(record, EventRecord), record
        self.store.append([AppendBatch(self.ws, self.source_id, [record])])
        catch_up_people(self.store, self.ws)

    def consent(self, subject: str, purposes: dict[str, str], *, explicit: bool) -> None:
        consent.record(self.store, self.hub, self.ws, consent.Capture(
            subject=subject, purposes=purposes, explicit=explicit, at=GRANTED_AT), cases.NOW)
        catch_up_people(self.store, self.ws)

    def erase(self, user: str) -> None:
        [pid] = PeopleSql(self.store).holders(self.ws, "user_id", [user])[user]
        erase_person(self.store, self.ws, pid, people=PeopleSql(self.store), reason="art. 17",
                     requested_by="dpo", now=cases.NOW)


@pytest.fixture(params=["fake", "sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def town(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[cases.Town]:
    if request.param == "fake":
        yield fake_town()
        return
    if request.param == "sqlite":
        shutil.copyfile(request.getfixturevalue("sqlite_template"), tmp_path / "frontoffice.db")
        urls: Iterator[str] = iter([f"sqlite:///{tmp_path / 'frontoffice.db'}"])
        store = open_store(next(urls))
        try:
            yield SqlTown(store)
        finally:
            store.close()
        return
    with fresh_database(request.getfixturevalue("pg_server"),
                        template=request.getfixturevalue("pg_template")) as url:
        store = open_store(url)
        try:
            yield SqlTown(store)
        finally:
            store.close()


@pytest.mark.parametrize("case", cases.CASES, ids=lambda c: c.__name__)
def test_the_gating_rules_hold_alike_on_the_fakes_and_the_database(
        town: cases.Town, case: Callable[[cases.Town], None]) -> None:
    case(town)
