"""The consent ledger and its projection on SQLite and PostgreSQL: append-only proof, state with
history, GPC per region, and a rebuild from the log that gives the same state."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest

from frontoffice.consent import service as consent
from frontoffice.consent.gpp_encode import encode_gpp_string, encode_usnat
from frontoffice.consent.projector import project
from frontoffice.consent.store import ConsentStore
from frontoffice.consent.tcf_encode import encode_tc_string
from frontoffice.projection.contract import ProjectionMoved
from frontoffice.storage import open_store
from frontoffice.storage.sql import SqlStore
from frontoffice.tenancy import service as tenancy
from tests.integration.identity_support import Brand
from tests.support.pg import fresh_database
from tests.unit.consent.vectors import tc, usnat

NOW = datetime(2026, 12, 1, tzinfo=UTC)
_names = itertools.count(1)


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def consent_db(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """One database per module and backend (creating a PostgreSQL database takes ~2 s); every test
    works in a workspace of its own, and every query is scoped by workspace."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path_factory.mktemp('consent') / 'frontoffice.db'}"
    else:
        with fresh_database(request.getfixturevalue("pg_server"),
                            template=request.getfixturevalue("pg_template")) as url:
            yield url


@pytest.fixture
def store(consent_db: str) -> Iterator[SqlStore]:
    s = open_store(consent_db)
    s.upgrade()
    yield s
    s.close()


def workspace_name() -> str:
    return f"acme-{next(_names)}"


def brand(store: SqlStore) -> Brand:
    ws = tenancy.create_workspace(store, workspace_name(), "EU")
    web, _ = tenancy.create_source(store, ws.id, "web", "web")
    return Brand(store, ws.id, {"web": web.id})


def identify(mid: str, ts: str, user: str, **traits: Any) -> dict[str, Any]:
    return {"type": "identify", "messageId": mid, "timestamp": ts, "userId": user, "traits": traits}


def track(mid: str, ts: str, user: str, context: dict[str, Any]) -> dict[str, Any]:
    return {"type": "track", "event": "Viewed", "messageId": mid, "timestamp": ts, "userId": user,
            "context": context}


def prefs(**categories: bool) -> dict[str, Any]:
    return {"consent": {"categoryPreferences": categories}}


def snapshot(store: SqlStore, ws: str) -> tuple[object, ...]:
    sql = ConsentStore(store)
    ledger = [(r.seq, r.change) for r in sql.ledger(ws)]
    return sql.current(ws), sql.subjects(ws), ledger, sql.checkpoint(ws)


def test_the_ledger_refuses_updates_and_deletes(store: SqlStore) -> None:
    b = brand(store)
    hub = consent.ConsentHub.of(store)
    consent.record(store, hub, b.workspace_id, consent.Capture("user_id:ann", {"marketing_email": True}), NOW)
    for statement in ("UPDATE consent_ledger SET status = 'denied' WHERE workspace_id = ?",
                      "DELETE FROM consent_ledger WHERE workspace_id = ?"):
        with pytest.raises(Exception, match="append-only"), store._write() as cur:
            cur.execute(store._dialect.sql(statement), (b.workspace_id,))
    [row] = ConsentStore(store).ledger(b.workspace_id)
    assert row.change.status == "granted"


def test_a_change_keeps_its_proof_and_the_state_its_history(store: SqlStore) -> None:
    b = brand(store)
    hub = consent.ConsentHub.of(store)
    first = consent.Capture("user_id:ann", {"marketing_email": True}, explicit=True,
                            notice_version="privacy-v3", source="web-banner",
                            at=datetime(2026, 11, 1, tzinfo=UTC), ip="203.0.113.9",
                            user_agent="Firefox/140")
    consent.record(store, hub, b.workspace_id, first, NOW)
    later = consent.Capture("user_id:ann", {"marketing_email": False}, at=datetime(2026, 11, 5, tzinfo=UTC))
    view = consent.record(store, hub, b.workspace_id, later, NOW)
    history = view.state.history["marketing_email"]
    assert [c.status for c in history] == ["granted", "withdrawn"]
    assert view.state.status("marketing_email") == "withdrawn"
    granted = history[0]
    assert (granted.source, granted.method, granted.notice_version, granted.explicit) == (
        "web-banner", "api", "privacy-v3", True)
    salt = ConsentStore(store).salt(b.workspace_id)
    assert granted.ip_hash and granted.ip_hash != "203.0.113.9" and len(salt) == 32
    assert granted.raw and "marketing_email" in granted.raw
    # every change went to the log first, as a family-consent event whose messageId is the change id
    logged = store.event(b.workspace_id, consent.internal_source(b.workspace_id), granted.change_id)
    assert logged is not None and logged.record.family == "consent"
    assert b"203.0.113.9" not in logged.record.payload


def test_repeating_the_same_consent_adds_nothing_to_the_ledger(store: SqlStore) -> None:
    b = brand(store)
    hub = consent.ConsentHub.of(store)
    for day in (1, 2, 3):
        consent.record(store, hub, b.workspace_id, consent.Capture(
            "user_id:ann", {"analytics": True}, at=datetime(2026, 11, day, tzinfo=UTC)), NOW)
    assert ConsentStore(store).count_ledger(b.workspace_id) == 1
    assert store.count_events(b.workspace_id) == 3  # the log keeps every capture


def test_gpc_denies_sale_for_a_californian_and_is_not_binding_in_the_eu(store: SqlStore) -> None:
    b = brand(store)
    b.send("web", identify("i1", "2026-11-01T10:00:00Z", "cal", address={"country": "US", "state": "CA"}),
           identify("i2", "2026-11-01T10:00:00Z", "eve", address={"country": "DE"}),
           track("t1", "2026-11-01T10:01:00Z", "cal", {"gpc": True}),
           track("t2", "2026-11-01T10:01:00Z", "eve", {"gpc": True}))
    consent.ConsentHub.of(store).catch_up(b.workspace_id)
    cal = consent.subject_consent(store, b.workspace_id, "user_id:cal")
    assert cal.region.region == "US-CA"
    assert cal.state.current["sale_or_sharing"].method == "gpc"
    assert cal.state.status("sale_or_sharing") == "denied"
    eve = consent.subject_consent(store, b.workspace_id, "user_id:eve")
    assert eve.region.region == "EU" and "sale_or_sharing" not in eve.state.current
    sale = consent.check(store, b.workspace_id, "user_id:cal", "sale_or_sharing", "export", NOW).decision
    assert not sale.allowed and "GPC" in sale.reason


def test_tracking_consent_and_tc_strings_are_captured_and_bad_strings_skipped(store: SqlStore) -> None:
    b = brand(store)
    good = encode_tc_string(tc(purposes_consent=frozenset({1, 3, 4, 8})))
    b.send("web", track("t1", "2026-11-01T10:00:00Z", "ann", {"consent": {
               "categoryPreferences": {"Advertising": True, "Analytics": False}}}),
           track("t2", "2026-11-02T10:00:00Z", "bob", {"consent": {"tcString": good}}),
           track("t3", "2026-11-02T10:00:00Z", "cid", {"consent": {"tcString": good[:20]}}))
    consent.ConsentHub.of(store).catch_up(b.workspace_id)
    ann = consent.subject_consent(store, b.workspace_id, "user_id:ann").state
    assert ann.status("analytics") == "denied"
    bob = consent.subject_consent(store, b.workspace_id, "user_id:bob").state
    assert bob.status("targeted_advertising") == "granted" and bob.status("personalisation") == "denied"
    assert bob.current["targeted_advertising"].method == "tcf"
    cid = consent.subject_consent(store, b.workspace_id, "user_id:cid")
    assert cid.known and not cid.state.current  # a cut-off string records nothing


def test_rebuilding_from_the_log_gives_the_same_state_as_incremental_projection(store: SqlStore) -> None:
    b = brand(store)
    hub = consent.ConsentHub.of(store)
    steps: list[dict[str, Any]] = [
        identify("i1", "2026-11-01T10:00:00Z", "cal", address={"country": "US", "state": "CA"}),
        track("t1", "2026-11-01T10:01:00Z", "cal", {"gpc": True}),
        track("t2", "2026-11-01T10:02:00Z", "ann", prefs(Analytics=True)),
        track("t3", "2026-11-03T10:02:00Z", "ann", prefs(Analytics=False)),
        track("t4", "2026-11-04T10:02:00Z", "cal", {"gpc": True}),
    ]
    for i, event in enumerate(steps):
        b.send("web", event)
        if i == 2:
            consent.record(store, hub, b.workspace_id, consent.Capture(
                "user_id:cal", {"sale_or_sharing": True}, explicit=True,
                at=datetime(2026, 11, 2, tzinfo=UTC)), NOW)
        hub.catch_up(b.workspace_id, batch_events=1)
    incremental = snapshot(store, b.workspace_id)
    cal = consent.subject_consent(store, b.workspace_id, "user_id:cal").state
    assert cal.status("sale_or_sharing") == "granted"  # an explicit grant outlives later GPC signals
    ann = consent.subject_consent(store, b.workspace_id, "user_id:ann").state
    assert ann.status("analytics") == "withdrawn"
    hub.rebuild(b.workspace_id)
    assert snapshot(store, b.workspace_id) == incremental


def test_a_gpp_string_with_a_sale_opt_out_and_gpc_is_recorded_as_gpp(store: SqlStore) -> None:
    b = brand(store)
    gpp = encode_gpp_string({7: encode_usnat(usnat(sale_opt_out=1, gpc=True))})
    b.send("web", identify("i1", "2026-11-01T10:00:00Z", "cal", region="US-CA"))
    hub = consent.ConsentHub.of(store)
    view = consent.record(store, hub, b.workspace_id, consent.Capture("user_id:cal", gpp_string=gpp), NOW)
    assert view.state.current["sale_or_sharing"].method == "gpp"
    ads = view.state.current["targeted_advertising"]  # usnat says "not opted out", its GPC sub-section wins
    assert ads.method == "gpc" and ads.status != "granted"
    assert view.state.current["sale_or_sharing"].raw == gpp


def test_consent_never_crosses_workspaces(store: SqlStore) -> None:
    a, b = brand(store), brand(store)
    hub = consent.ConsentHub.of(store)
    consent.record(store, hub, a.workspace_id, consent.Capture("user_id:ann", {"analytics": True}), NOW)
    hub.catch_up(b.workspace_id)
    assert not consent.subject_consent(store, b.workspace_id, "user_id:ann").known
    assert ConsentStore(store).salt(a.workspace_id) != ConsentStore(store).salt(b.workspace_id)


def test_a_stale_projector_cannot_apply_a_batch_twice(store: SqlStore) -> None:
    b = brand(store)
    b.send("web", track("t1", "2026-11-01T10:01:00Z", "ann", prefs(Analytics=True)))
    hub = consent.ConsentHub.of(store)
    hub.catch_up(b.workspace_id)
    sql = ConsentStore(store)
    stale = project([(e.seq, e.source_id, e.record) for e in store.events(b.workspace_id)],
                    lambda keys: {}, sql.salt(b.workspace_id), 0)
    with pytest.raises(ProjectionMoved):
        sql.apply(b.workspace_id, 0, stale)
    assert sql.count_ledger(b.workspace_id) == 1
