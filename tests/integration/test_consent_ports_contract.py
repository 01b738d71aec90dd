"""The consent ports' contract: the same assertions on the in-memory fakes (tests/fakes/consent.py)
and on the real stores (consent/store.py, consent/person_store.py) on SQLite and PostgreSQL, so a
fake cannot drift from what the database does."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import orjson
import pytest

from frontoffice.consent.ledger import new_change
from frontoffice.consent.merge import merge_states
from frontoffice.consent.person_store import PersonConsentStore
from frontoffice.consent.ports import Checkpoint, ConsentLedger, PersonConsentRows
from frontoffice.consent.projector import Projection
from frontoffice.consent.service import ConsentHub, consent_record
from frontoffice.consent.store import ConsentStore
from frontoffice.domain.events import EventRecord, StoredEvent, iso
from frontoffice.identity.people_store import PeopleSql
from frontoffice.projection.contract import ProjectionMoved
from frontoffice.storage import open_store
from frontoffice.tenancy import service as tenancy
from tests.fakes.consent import FakeConsentLedger, FakeLog, FakePersonConsentRows
from tests.support.pg import fresh_database

T0 = datetime(2026, 10, 1, tzinfo=UTC)
T1 = datetime(2026, 10, 5, tzinfo=UTC)


@dataclass
class Ports:
    ws: str
    ledger: ConsentLedger
    rows: PersonConsentRows
    log: FakeLog

    def __post_init__(self) -> None:
        self.hub = ConsentHub(self.log, self.ledger)

    def add(self, record: EventRecord) -> None:
        self.log.stored.append(StoredEvent(len(self.log.stored) + 1, self.ws, "src", record))

    def says(self, subject: str, purpose: str, status: str, at: datetime, *, explicit: bool = False) -> None:
        change = new_change(subject, purpose, status, source="api", at=at, method="api", explicit=explicit)
        self.add(consent_record(change, at, None))


def _real(url: str) -> Iterator[Ports]:
    store = open_store(url)
    try:
        ws = tenancy.create_workspace(store, "acme", "EU").id
        yield Ports(ws, ConsentStore(store), PersonConsentStore(store, PeopleSql(store)), FakeLog())
    finally:
        store.close()


@pytest.fixture(params=["fake", "sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def ports(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Ports]:
    if request.param == "fake":
        ledger = FakeConsentLedger()
        yield Ports("ws_1", ledger, FakePersonConsentRows(ledger), FakeLog())
    elif request.param == "sqlite":
        shutil.copyfile(request.getfixturevalue("sqlite_template"), tmp_path / "f.db")
        yield from _real(f"sqlite:///{tmp_path / 'f.db'}")
    else:
        with fresh_database(request.getfixturevalue("pg_server"),
                            template=request.getfixturevalue("pg_template")) as url:
            yield from _real(url)


def _track(p: Ports, message_id: str, anonymous_id: str, analytics: bool | None,
           locale: str = "en-US") -> None:
    context: dict[str, object] = {"locale": locale, "traits": {"address": {"country": "US", "state": "CA"}}}
    if analytics is not None:
        context["consent"] = {"categoryPreferences": {"analytics": analytics}}
    payload = {"type": "track", "anonymousId": anonymous_id, "context": context}
    p.add(EventRecord(message_id=message_id, family="tracking", type="track", event="Viewed",
                      user_id=None, anonymous_id=anonymous_id, previous_id=None, group_id=None,
                      timestamp=iso(T1), original_timestamp=None, sent_at=None, received_at=iso(T1),
                      payload=orjson.dumps(payload)))


def test_the_ledger_keeps_every_change_in_log_order_and_the_state_the_latest(ports: Ports) -> None:
    ports.says("user_id:ann", "analytics", "granted", T0, explicit=True)
    ports.says("user_id:ann", "analytics", "denied", T1)
    ports.says("user_id:bob", "marketing_email", "granted", T0)
    assert ports.hub.catch_up(ports.ws) == 3
    rows = ports.ledger.ledger(ports.ws, "user_id:ann")
    assert [(r.seq, r.change.status, r.change.explicit, r.change.at) for r in rows] == [
        (1, "granted", True, T0), (2, "withdrawn", False, T1)]  # a refusal after a grant
    subjects = [r.change.person_key for r in ports.ledger.ledger(ports.ws)]
    assert subjects == ["user_id:ann", "user_id:ann", "user_id:bob"]
    assert ports.ledger.ledger(ports.ws, "user_id:ann", up_to_seq=1) == rows[:1]
    assert ports.ledger.current(ports.ws) == [
        ("user_id:ann", "analytics", rows[1].change.change_id, "withdrawn", T1.isoformat()),
        ("user_id:bob", "marketing_email", ports.ledger.ledger(ports.ws, "user_id:bob")[0].change.change_id,
         "granted", T0.isoformat())]
    assert ports.ledger.checkpoint(ports.ws) == 3


def test_tracking_signals_record_consent_and_region_evidence_per_subject(ports: Ports) -> None:
    _track(ports, "m1", "a-1", analytics=False)
    ports.hub.catch_up(ports.ws)
    evidence = {"address_country": "US", "address_subdivision": "CA", "locale": "en-US"}
    assert ports.ledger.evidence(ports.ws, "anonymous_id:a-1") == evidence
    assert ports.ledger.evidence(ports.ws, "anonymous_id:nobody") is None
    changes, known = ports.ledger.subjects_as_of(ports.ws, ["anonymous_id:a-1", "anonymous_id:nobody"], 1)
    assert known == {"anonymous_id:a-1": evidence}
    assert [(c.purpose, c.status) for c in changes["anonymous_id:a-1"]] == [("analytics", "denied")]
    assert ports.ledger.subjects_as_of(ports.ws, ["anonymous_id:a-1"], 0)[0] == {}


def test_a_stale_checkpoint_is_refused_and_a_rebuild_keeps_the_ledger(ports: Ports) -> None:
    ports.says("user_id:ann", "analytics", "granted", T0)
    ports.hub.catch_up(ports.ws)
    with pytest.raises(ProjectionMoved):
        ports.ledger.apply(ports.ws, 0, Projection(1))
    before = ports.ledger.current(ports.ws), ports.ledger.ledger(ports.ws)
    ports.ledger.reset(ports.ws)
    assert ports.ledger.current(ports.ws) == [] and ports.ledger.checkpoint(ports.ws) == 0
    assert ports.ledger.ledger(ports.ws) == before[1]  # the ledger is never dropped
    ports.hub.catch_up(ports.ws)  # replays the same changes: recorded once
    assert (ports.ledger.current(ports.ws), ports.ledger.ledger(ports.ws)) == before
    assert ports.ledger.salt(ports.ws) == ports.ledger.salt(ports.ws)


def test_person_rows_are_replaced_per_person_behind_a_compare_and_set_checkpoint(ports: Ports) -> None:
    ports.says("anonymous_id:a-1", "analytics", "granted", T0, explicit=True)
    ports.says("user_id:ann", "analytics", "denied", T1)
    ports.hub.catch_up(ports.ws)
    states = ports.rows.states(ports.ws, ["user_id:ann", "anonymous_id:a-1", "email:nobody@x.org"])
    assert [(s.person_key, s.status("analytics")) for s in states] == [
        ("anonymous_id:a-1", "granted"), ("user_id:ann", "denied")]
    changed, seq = ports.rows.subjects_changed_since(ports.ws, 0)
    assert changed == ["anonymous_id:a-1", "user_id:ann"] and seq == 2
    assert ports.rows.subjects_changed_since(ports.ws, seq) == ([], seq)
    merged = merge_states("person_id:p1", states)
    ports.rows.save(ports.ws, {"p1": merged, "p2": None}, ["p0"], 7, seq, Checkpoint(0, 0, 0))
    assert ports.rows.checkpoint(ports.ws) == Checkpoint(7, seq, 1)
    [purpose] = ports.rows.person(ports.ws, "p1")
    assert (purpose.purpose, purpose.status, purpose.subject, purpose.explicit) == (
        "analytics", "denied", "user_id:ann", False)
    [conflict] = ports.rows.conflicts(ports.ws, "p1")
    assert (conflict.kept_subject, conflict.overridden_subject, conflict.overridden_at) == (
        "user_id:ann", "anonymous_id:a-1", T0.isoformat())
    with pytest.raises(ProjectionMoved):
        ports.rows.save(ports.ws, {"p1": merged}, [], 7, seq, Checkpoint(0, 0, 0))
    ports.rows.save(ports.ws, {"p1": merged}, [], 7, seq, Checkpoint(7, seq, 1))  # replaced, not added
    assert len(ports.rows.conflicts(ports.ws, "p1")) == 1 and ports.rows.person(ports.ws, "p2") == []
    ports.rows.save(ports.ws, {}, ["p1"], 8, seq, Checkpoint(7, seq, 2))
    assert ports.rows.person(ports.ws, "p1") == [] and ports.rows.conflicts(ports.ws, "p1") == []
    ports.rows.reset(ports.ws)
    assert ports.rows.checkpoint(ports.ws) == Checkpoint(0, 0, 0)


def test_region_evidence_alone_does_not_move_a_subjects_consent_state(ports: Ports) -> None:
    _track(ports, "m1", "a-1", analytics=False)
    ports.hub.catch_up(ports.ws)
    _, seen = ports.rows.subjects_changed_since(ports.ws, 0)
    _track(ports, "m2", "a-1", analytics=None, locale="fr-FR")  # new evidence, no consent signal
    ports.hub.catch_up(ports.ws)
    assert ports.ledger.evidence(ports.ws, "anonymous_id:a-1") == {
        "address_country": "US", "address_subdivision": "CA", "locale": "fr-FR"}
    assert ports.rows.subjects_changed_since(ports.ws, seen) == ([], seen)  # no person to recompute
