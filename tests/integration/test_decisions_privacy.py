"""The decisions made about a person are in their access report, and an erasure deletes them
with their outcomes (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import UTC, datetime

from frontoffice.decisions.arbiter import Arbiter
from frontoffice.decisions.catalogue import Action
from frontoffice.decisions.decide import Ask, decide
from frontoffice.decisions.service import record_outcome, save_action
from frontoffice.decisions.wiring import wire
from frontoffice.domain.events import now
from frontoffice.dsr.report import access_document, access_html
from frontoffice.identity.people_store import PeopleSql
from frontoffice.privacy.erasure import erase_person
from frontoffice.settings import Settings
from frontoffice.storage.sql import SqlStore
from tests.integration.decisions_support import ACTIONS, shop

AT = datetime(2026, 3, 5, tzinfo=UTC)


def test_a_persons_decisions_are_reported_to_them_and_erased_with_their_outcomes(
        store: SqlStore) -> None:
    s = shop(store)
    wired = wire(store, Settings())
    for body in ACTIONS:
        save_action(wired.store, s.ws, Action.model_validate(body), now())
    arbiter = Arbiter(lambda _: wired.store)
    mine = decide(wired.ports, arbiter, s.ws, Ask(s.ann, "web", "home"), now(), 2)
    record_outcome(wired.store, s.ws, mine["decision_id"], None, "click", None, now())
    theirs = decide(wired.ports, arbiter, s.ws, Ask(s.bo, "web", "home"), now(), 2)

    doc = access_document(store, s.ws, s.ann, "req-1", AT)
    (reported,) = doc["decisions"]
    assert reported["chosen"] == ["dress", "care"]
    assert "keeps size M in dresses" in reported["reasons"]["dress"]
    assert "<h2>Next-best-action decisions</h2>" in access_html(doc)

    report = erase_person(store, s.ws, s.ann, people=PeopleSql(store), reason="art. 17",
                          requested_by="dpo", now=AT)
    assert report.rows_purged["decisions_log"] == 1
    assert report.rows_purged["decisions_outcomes"] == 1
    assert wired.store.decision(s.ws, mine["decision_id"]) is None
    assert wired.store.decision(s.ws, theirs["decision_id"]) is not None
