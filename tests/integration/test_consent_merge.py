"""Consent when people merge (migration 0009) on SQLite and PostgreSQL: most restrictive per purpose
unless a newer explicit grant exists; every conflict recorded; a rebuild gives the same rows."""

from __future__ import annotations

import base64
from datetime import UTC, datetime
from pathlib import Path

import httpx
import orjson
import pytest

from frontoffice.api.app import create_app
from frontoffice.bootstrap import Role, bootstrap
from frontoffice.consent import service as consent
from frontoffice.consent.person_service import PersonConsentHub, person_consent
from frontoffice.consent.person_store import PersonConsentStore
from frontoffice.identity.hub import IdentityHub
from frontoffice.identity.people_store import PeopleSql
from frontoffice.identity.service import lookup
from frontoffice.projection.contract import ProjectionMoved
from frontoffice.settings import Settings
from frontoffice.storage.sql import SqlStore
from frontoffice.tenancy import service as tenancy
from tests.integration.identity_support import brand

T0 = datetime(2026, 10, 1, tzinfo=UTC)
T1 = datetime(2026, 10, 5, tzinfo=UTC)


def _merged_person(
    store: SqlStore, *, grant_explicit: bool, grant_at: datetime, refusal_at: datetime
) -> tuple[str, str, PersonConsentHub]:
    b = brand(store)
    hub = consent.ConsentHub.of(store)
    now = datetime(2026, 11, 1, tzinfo=UTC)
    consent.record(
        store,
        hub,
        b.workspace_id,
        consent.Capture(
            "anonymous_id:a-1",
            {"analytics": "granted", "marketing_email": "granted"},
            explicit=grant_explicit,
            at=grant_at,
        ),
        now,
    )
    consent.record(
        store,
        hub,
        b.workspace_id,
        consent.Capture("user_id:ann", {"analytics": "denied"}, at=refusal_at),
        now,
    )
    b.send("web", {"type": "track", "event": "Viewed", "anonymousId": "a-1", "messageId": "m1"})
    b.send(
        "web",
        {"type": "identify", "userId": "ann", "traits": {"email": "ann@example.com"}, "messageId": "m2"},
    )
    identity = IdentityHub(store)
    identity.catch_up(b.workspace_id)
    people = PersonConsentHub.of(store)
    people.catch_up(b.workspace_id)
    b.send("web", {"type": "identify", "userId": "ann", "anonymousId": "a-1", "messageId": "m3"})
    identity.catch_up(b.workspace_id)
    people.catch_up(b.workspace_id)
    [found] = lookup(store, b.workspace_id, "user_id", "ann")
    assert lookup(store, b.workspace_id, "anonymous_id", "a-1") == [found]  # one person now
    return b.workspace_id, found, people


def _rows(store: SqlStore, ws: str, pid: str) -> tuple[object, ...]:
    view = person_consent(store, ws, pid)
    return view.purposes, tuple(
        (c.purpose, c.kept_change_id, c.overridden_change_id, c.reason) for c in view.conflicts
    )


def test_a_merge_keeps_the_refusal_over_an_older_grant_and_records_the_conflict(store: SqlStore) -> None:
    ws, pid, _ = _merged_person(store, grant_explicit=True, grant_at=T0, refusal_at=T1)
    view = person_consent(store, ws, pid)
    assert set(view.subjects) >= {"user_id:ann", "anonymous_id:a-1"}
    by = {p.purpose: p for p in view.purposes}
    assert by["analytics"].status == "denied" and by["analytics"].subject == "user_id:ann"
    assert by["marketing_email"].status == "granted"  # no disagreement: the only record stands
    [conflict] = view.conflicts
    assert (conflict.purpose, conflict.kept_status, conflict.overridden_status) == (
        "analytics",
        "denied",
        "granted",
    )
    assert "most restrictive kept" in conflict.reason and "not newer" in conflict.reason


def test_a_newer_explicit_grant_wins_the_merge(store: SqlStore) -> None:
    ws, pid, _ = _merged_person(store, grant_explicit=True, grant_at=T1, refusal_at=T0)
    view = person_consent(store, ws, pid)
    assert {p.purpose: p.status for p in view.purposes}["analytics"] == "granted"
    assert "grant kept" in view.conflicts[0].reason


def test_a_newer_grant_that_is_not_explicit_does_not_win(store: SqlStore) -> None:
    ws, pid, _ = _merged_person(store, grant_explicit=False, grant_at=T1, refusal_at=T0)
    view = person_consent(store, ws, pid)
    assert {p.purpose: p.status for p in view.purposes}["analytics"] == "denied"
    assert "not explicit" in view.conflicts[0].reason


def test_recomputing_and_rebuilding_give_the_same_rows(store: SqlStore) -> None:
    ws, pid, people = _merged_person(store, grant_explicit=True, grant_at=T0, refusal_at=T1)
    before = _rows(store, ws, pid)
    people.catch_up(ws)
    assert _rows(store, ws, pid) == before
    people.rebuild(ws)
    assert _rows(store, ws, pid) == before
    assert len(person_consent(store, ws, pid).conflicts) == 1  # not recorded twice


def test_the_refusal_of_a_merged_person_reaches_every_subject(store: SqlStore) -> None:
    ws, _, _ = _merged_person(store, grant_explicit=True, grant_at=T0, refusal_at=T1)
    sql = PersonConsentStore(store, PeopleSql(store))
    assert "anonymous_id:a-1" in sql.refused_subjects(ws, ["analytics"])
    state = sql.person_state(ws, "anonymous_id:a-1")
    assert state is not None and state.current["analytics"].status == "denied"


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.mark.anyio
async def test_the_api_shows_a_persons_merged_consent_and_conflicts(database_url: str,
                                                                    tmp_path: Path) -> None:
    settings = Settings.load({}, overrides={"database_url": database_url, "data_dir": tmp_path})
    container = bootstrap(settings, Role.SERVER)
    try:
        ws, pid, _ = _merged_person(container.store, grant_explicit=True, grant_at=T0, refusal_at=T1)
        name = next(w.name for w in container.store.workspaces() if w.id == ws)
        _, secret = tenancy.create_token(container.store, ws, "reader", ["events:read"])
        reader = {"Authorization": f"Bearer {secret}"}
        url = f"/api/v1/workspaces/{name}/consent/people/{pid}"
        transport = httpx.ASGITransport(app=create_app(container))
        async with httpx.AsyncClient(transport=transport, base_url="http://fo") as client:
            r = await client.get(url, headers=reader)
            assert r.status_code == 200, r.text
            body = r.json()
            assert {p["purpose"]: p["status"] for p in body["purposes"]}["analytics"] == "denied"
            assert body["conflicts"][0]["kept_subject"] == "user_id:ann"
            assert (await client.get(url)).status_code == 401
            assert (await client.get(url.replace(pid, "nobody"), headers=reader)).status_code == 404
    finally:
        container.close()


@pytest.mark.anyio
async def test_after_a_merge_the_persons_refusal_reduces_events_of_every_subject(database_url: str,
                                                                                 tmp_path: Path) -> None:
    container = bootstrap(Settings.load({}, overrides={"database_url": database_url, "data_dir": tmp_path,
                                                   "key_cache_seconds": 0.0}), Role.SERVER)
    try:
        store = container.store
        ws, _, _ = _merged_person(store, grant_explicit=True, grant_at=T0, refusal_at=T1)
        source, key = tenancy.create_source(store, ws, "site", "web")
        auth = {"Authorization": "Basic " + base64.b64encode(f"{key}:".encode()).decode()}
        sent = {"type": "track", "event": "Order Completed", "anonymousId": "a-1", "messageId": "o-1",
                "context": {"ip": "203.0.113.9", "traits": {"address": {"country": "US", "state": "CA"}}},
                "properties": {"order_id": "o-1", "coupon": "SPRING"}}
        transport = httpx.ASGITransport(app=create_app(container))
        async with httpx.AsyncClient(transport=transport, base_url="http://fo") as client:
            r = await client.post("/v1/batch", json={"batch": [sent]}, headers=auth)
        assert r.status_code == 200, r.text
        stored = store.event(ws, source.id, "o-1")
        assert stored is not None
        payload = orjson.loads(stored.record.payload)
        # a-1 itself granted analytics; the merged person (with user_id:ann's newer refusal) did not
        assert "ip" not in payload["context"] and payload["anonymousId"] == "a-1"
        [why] = payload["context"]["frontoffice"]["reduced"]
        assert (why["purpose"], why["rule"]) == ("analytics", "US-CA/analytics/none")
    finally:
        container.close()


def test_a_second_process_with_a_stale_checkpoint_backs_off_instead_of_writing_twice(store: SqlStore) -> None:
    ws, pid, people = _merged_person(store, grant_explicit=True, grant_at=T0, refusal_at=T1)
    sql = PersonConsentStore(store, PeopleSql(store))
    seen = sql.checkpoint(ws)
    recomputed = {pid: people.person(ws, pid)}
    sql.save(ws, recomputed, (), seen.last_outbox_id, seen.last_state_seq, seen)  # the faster process
    with pytest.raises(ProjectionMoved):
        sql.save(ws, recomputed, (), seen.last_outbox_id, seen.last_state_seq, seen)  # the slower one
    assert len(person_consent(store, ws, pid).conflicts) == 1
