"""Person-level consent rules on the fakes (no database): when two persons merge, each purpose keeps
the most restrictive record unless a newer explicit grant exists, every disagreement is recorded
with its reason, and a split gives each person back their own subjects' consent. The same
assertions run on SQLite and PostgreSQL in tests/integration/test_consent_merge.py."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

import pytest

from frontoffice.consent.ledger import new_change
from frontoffice.consent.person_service import PersonConsentHub
from frontoffice.consent.ports import Checkpoint
from frontoffice.consent.service import ConsentHub, consent_record
from frontoffice.domain.events import StoredEvent
from frontoffice.projection.contract import ProjectionMoved
from tests.fakes.consent import FakeConsentLedger, FakeLog, FakePeople, FakePersonConsentRows

WS = "ws_1"
T0 = datetime(2026, 10, 1, tzinfo=UTC)
T1 = datetime(2026, 10, 5, tzinfo=UTC)


@dataclass
class World:
    log: FakeLog = field(default_factory=FakeLog)
    ledger: FakeConsentLedger = field(default_factory=FakeConsentLedger)
    people: FakePeople = field(default_factory=FakePeople)

    def __post_init__(self) -> None:
        self.rows = FakePersonConsentRows(self.ledger)
        self.consent = ConsentHub(self.log, self.ledger)
        self.persons = PersonConsentHub(self.people, self.rows)

    def says(self, subject: str, purpose: str, status: str, at: datetime, *, explicit: bool = False) -> None:
        change = new_change(subject, purpose, status, source="api", at=at, method="api", explicit=explicit)
        record = consent_record(change, at, None)
        self.log.stored.append(StoredEvent(len(self.log.stored) + 1, WS, "src", record))

    def project(self) -> None:
        self.consent.catch_up(WS)
        self.persons.catch_up(WS)

    def status(self, person_id: str) -> dict[str, str]:
        return {p.purpose: p.status for p in self.rows.person(WS, person_id)}


def _ann_and_her_browser(*, grant_explicit: bool, grant_at: datetime, refusal_at: datetime) -> World:
    """Two persons: the browser a-1 granted analytics and email, ann refused analytics; then merged."""
    w = World()
    w.says("anonymous_id:a-1", "analytics", "granted", grant_at, explicit=grant_explicit)
    w.says("anonymous_id:a-1", "marketing_email", "granted", grant_at, explicit=grant_explicit)
    w.says("user_id:ann", "analytics", "denied", refusal_at)
    w.people.add(WS, "p_browser", "anonymous_id:a-1")
    w.people.add(WS, "p_ann", "user_id:ann", "email:ann@example.com")
    w.project()
    w.people.merge(WS, "p_ann", "p_browser")
    w.project()
    return w


def test_before_the_merge_each_person_has_their_own_subjects_consent() -> None:
    w = World()
    w.says("anonymous_id:a-1", "analytics", "granted", T0, explicit=True)
    w.says("user_id:ann", "analytics", "denied", T1)
    w.people.add(WS, "p_browser", "anonymous_id:a-1")
    w.people.add(WS, "p_ann", "user_id:ann")
    w.project()
    assert w.status("p_browser") == {"analytics": "granted"} and w.status("p_ann") == {"analytics": "denied"}
    assert w.rows.conflicts(WS, "p_ann") == []


def test_a_merge_keeps_the_refusal_over_an_older_grant_and_records_the_conflict() -> None:
    w = _ann_and_her_browser(grant_explicit=True, grant_at=T0, refusal_at=T1)
    view = w.persons.view(WS, "p_ann")
    assert set(view.subjects) >= {"user_id:ann", "anonymous_id:a-1"}
    by = {p.purpose: p for p in view.purposes}
    assert by["analytics"].status == "denied" and by["analytics"].subject == "user_id:ann"
    assert by["marketing_email"].status == "granted"  # no disagreement: the only record stands
    [conflict] = view.conflicts
    assert (conflict.purpose, conflict.kept_status, conflict.overridden_status) == (
        "analytics", "denied", "granted")
    assert "most restrictive kept" in conflict.reason and "not newer" in conflict.reason


def test_a_merge_removes_the_rows_of_the_person_merged_away() -> None:
    w = _ann_and_her_browser(grant_explicit=True, grant_at=T0, refusal_at=T1)
    assert w.rows.person(WS, "p_browser") == [] and w.rows.conflicts(WS, "p_browser") == []


def test_a_newer_explicit_grant_wins_the_merge() -> None:
    w = _ann_and_her_browser(grant_explicit=True, grant_at=T1, refusal_at=T0)
    assert w.status("p_ann")["analytics"] == "granted"
    assert "grant kept" in w.rows.conflicts(WS, "p_ann")[0].reason


def test_a_newer_grant_that_is_not_explicit_does_not_win() -> None:
    w = _ann_and_her_browser(grant_explicit=False, grant_at=T1, refusal_at=T0)
    assert w.status("p_ann")["analytics"] == "denied"
    assert "not explicit" in w.rows.conflicts(WS, "p_ann")[0].reason


def test_a_split_gives_each_person_back_their_own_consent_without_conflicts() -> None:
    w = _ann_and_her_browser(grant_explicit=True, grant_at=T0, refusal_at=T1)
    w.people.split(WS, "p_ann", "p_browser", "anonymous_id:a-1")
    w.project()
    assert w.status("p_browser") == {"analytics": "granted", "marketing_email": "granted"}
    assert w.status("p_ann") == {"analytics": "denied"}
    assert w.rows.conflicts(WS, "p_ann") == [] and w.rows.conflicts(WS, "p_browser") == []


def test_a_new_consent_of_one_subject_recomputes_the_merged_person() -> None:
    w = _ann_and_her_browser(grant_explicit=True, grant_at=T0, refusal_at=T1)
    w.says("email:ann@example.com", "analytics", "granted", datetime(2026, 10, 9, tzinfo=UTC), explicit=True)
    w.project()
    assert w.status("p_ann")["analytics"] == "granted"  # the newest explicit grant, over ann's refusal


def test_recomputing_and_rebuilding_give_the_same_rows() -> None:
    w = _ann_and_her_browser(grant_explicit=True, grant_at=T0, refusal_at=T1)
    before = w.rows.person(WS, "p_ann"), w.rows.conflicts(WS, "p_ann")
    assert w.persons.catch_up(WS) == 0
    w.persons.rebuild(WS)
    assert (w.rows.person(WS, "p_ann"), w.rows.conflicts(WS, "p_ann")) == before
    assert len(w.rows.conflicts(WS, "p_ann")) == 1  # not recorded twice


def test_a_second_process_with_a_stale_checkpoint_backs_off_instead_of_writing_twice() -> None:
    w = _ann_and_her_browser(grant_explicit=True, grant_at=T0, refusal_at=T1)
    seen = w.rows.checkpoint(WS)
    recomputed = {"p_ann": w.persons.person(WS, "p_ann")}
    w.rows.save(WS, recomputed, (), seen.last_outbox_id, seen.last_state_seq, seen)
    with pytest.raises(ProjectionMoved):
        w.rows.save(WS, recomputed, (), seen.last_outbox_id, seen.last_state_seq, seen)
    assert w.rows.checkpoint(WS) == Checkpoint(seen.last_outbox_id, seen.last_state_seq, seen.version + 1)
    assert len(w.rows.conflicts(WS, "p_ann")) == 1
