"""Subject consent on the fakes (no database): the projection of consent events into the ledger and
what a subject's view says. The same rules run on SQLite and PostgreSQL in
tests/integration/test_consent_ledger.py."""

from __future__ import annotations

from datetime import UTC, datetime

from frontoffice.consent.ledger import new_change
from frontoffice.consent.service import ConsentHub, consent_record, subject_view
from frontoffice.domain.events import StoredEvent
from tests.fakes.consent import FakeConsentLedger, FakeLog

WS = "ws_1"
T0 = datetime(2026, 10, 1, tzinfo=UTC)
T1 = datetime(2026, 10, 5, tzinfo=UTC)


def _hub(*changes: tuple[str, str, str, datetime]) -> tuple[ConsentHub, FakeConsentLedger]:
    log, ledger = FakeLog(), FakeConsentLedger()
    for seq, (subject, purpose, status, at) in enumerate(changes, start=1):
        change = new_change(subject, purpose, status, source="api", at=at, method="api")
        log.stored.append(StoredEvent(seq, WS, "src", consent_record(change, at, None)))
    hub = ConsentHub(log, ledger)
    hub.catch_up(WS)
    return hub, ledger


def test_a_subject_the_log_never_mentioned_is_unknown() -> None:
    _, ledger = _hub(("user_id:ann", "analytics", "granted", T0))
    view = subject_view(ledger, WS, "user_id:bob")
    assert not view.known and view.state.current == {} and view.ledger == ()


def test_the_view_keeps_every_change_as_history_and_the_latest_as_current() -> None:
    _, ledger = _hub(("user_id:ann", "analytics", "granted", T0), ("user_id:ann", "analytics", "denied", T1))
    view = subject_view(ledger, WS, " user_id:ann ")
    assert view.known and view.state.status("analytics") == "withdrawn"
    assert [c.status for c in view.state.history["analytics"]] == ["granted", "withdrawn"]
    assert [view.seq_of(r.change.change_id) for r in view.ledger] == [1, 2]


def test_replaying_the_log_records_each_change_once() -> None:
    hub, ledger = _hub(("user_id:ann", "analytics", "granted", T0))
    before = ledger.ledger(WS)
    assert hub.rebuild(WS) == 1
    assert ledger.ledger(WS) == before and len(before) == 1
