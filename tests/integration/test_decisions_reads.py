"""What one decision reads of the other capabilities, counted on the real store (SQLite and
PostgreSQL): its person from identity once (the gate answered from that read), their consent
ledger in one pass, their orders by customer key once, and looked up by key, not walked; and
the API tries decide's route before the rest of the admin API."""

from __future__ import annotations

import shutil
import sqlite3
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.dialects import sqlite

from frontoffice.api.app import create_app
from frontoffice.bootstrap import Role, bootstrap
from frontoffice.commerce.statements import statements
from frontoffice.consent.store import ConsentStore
from frontoffice.decisions.arbiter import Arbiter
from frontoffice.decisions.catalogue import Action
from frontoffice.decisions.decide import Ask, decide
from frontoffice.decisions.service import save_action
from frontoffice.decisions.wiring import wire
from frontoffice.domain.events import now
from frontoffice.settings import Settings
from frontoffice.storage.sql import SqlStore
from tests.integration.decisions_support import ACTIONS, shop
from tests.support.statements import executed


@contextmanager
def reads(store: SqlStore) -> Iterator[Counter[str]]:
    """SELECT statements run on ``store`` inside the block, by the first table each reads."""
    seen: Counter[str] = Counter()
    with executed(store) as done:
        yield seen
    seen.update(statement.split("FROM", 1)[1].split(maxsplit=1)[0].strip('"') for statement, _ in done
                if statement.lstrip().upper().startswith("SELECT"))


def test_a_decision_reads_its_person_their_consent_and_their_orders_once(store: SqlStore) -> None:
    s = shop(store)
    wired = wire(store, Settings())
    for body in ACTIONS:
        save_action(wired.store, s.ws, Action.model_validate(body), now())
    arbiter = Arbiter(lambda _: wired.store)
    decide(wired.ports, arbiter, s.ws, Ask(s.ann, "web", "home"), now(), 2)  # catalogue, models
    with reads(store) as seen:
        found = decide(wired.ports, arbiter, s.ws, Ask(s.ann, "web", "home"), now(), 2)

    assert [a["action_id"] for a in found["actions"]] == ["dress", "care"]
    identity = {t: n for t, n in seen.items() if t.startswith("identity_")}
    # her golden record (which says the id is live), her identifiers, the ids merged into her:
    # commerce's facts and the consent gate both work from them (the gate read them again)
    assert identity == {"identity_persons": 1, "identity_index": 1, "identity_redirects": 1}
    # subjects written in another spelling (both kinds at once), her ledger, her evidence
    assert sum(n for t, n in seen.items() if t.startswith("consent_")) == 3
    assert seen["commerce_keys"] == 1  # her orders; no subscriptions, which no fact uses


def test_the_subjects_written_of_several_kinds_are_each_kinds_in_one_read(store: SqlStore) -> None:
    s = shop(store)
    ledger = ConsentStore(store)
    legacy = ["email:Ann@Posteo.de", "email:ann@posteo.de", "phone:+49 30 1234567",
              "user_id:cus_ann"]  # written in clear before subjects were hashed (0005)
    with store.begin() as conn:
        conn.execute(sa.table("consent_ledger", *(sa.column(c) for c in (
            "workspace_id", "change_id", "seq", "subject", "purpose", "status", "source", "at",
            "method", "explicit", "recorded_at"))).insert(), [{
                "workspace_id": s.ws, "change_id": f"legacy-{i}", "seq": 0, "subject": subject,
                "purpose": "personalisation", "status": "granted", "source": "web",
                "at": "2025-01-01T00:00:00+00:00", "method": "form", "explicit": 1,
                "recorded_at": "2025-01-01T00:00:00+00:00"} for i, subject in enumerate(legacy)])

    with reads(store) as seen:
        found = ledger.written_subjects_of(s.ws, ["email", "phone"])

    assert seen == {"consent_ledger": 1}
    assert found == {kind: ledger.written_subjects(s.ws, kind) for kind in ("email", "phone")}
    assert sorted(found["email"]) == ["email:Ann@Posteo.de", "email:ann@posteo.de"]
    assert ledger.written_subjects_of(s.ws, []) == {}


def test_a_customers_orders_and_their_returns_are_looked_up_by_key_not_walked(
        sqlite_template: Path) -> None:
    """On SQLite without statistics an ordered (or DISTINCT) lookup walked every order key (every
    return) of the workspace in entity id order: a read per decision that grew with the shop."""
    db = sqlite3.connect(sqlite_template)
    q = statements("sqlite")
    looked_up = {"keys": (q.entity_ids_for_keys, {"ws": "w", "kind": "order",
                                                  "keys": ["user_id:ann", "email:ann@x.de"]}),
                 "refs": (q.entities_of_refs, {"ws": "w", "kind": "return", "refs": ["O1", "O2"]})}
    plans = {}
    for name, (statement, params) in looked_up.items():
        expanded = statement.compile(dialect=sqlite.dialect()).construct_expanded_state(params)
        plan = db.execute(f"EXPLAIN QUERY PLAN {expanded.statement}",
                          expanded.positional_parameters).fetchall()
        plans[name] = " ".join(str(row[-1]) for row in plan)
    db.close()
    assert "customer_key=?" in plans["keys"], plans["keys"]
    assert "ref=?" in plans["refs"], plans["refs"]


def test_decide_is_tried_before_the_rest_of_the_admin_api(sqlite_template: Path,
                                                          tmp_path: Path) -> None:
    """FastAPI tries routes in order, each costing a request ~17 k instructions: decide (a request
    per page view) was tried after ~90 admin routes; now right after the collector's (no path of
    decisions' is another router's, so no request changes route)."""
    shutil.copyfile(sqlite_template, tmp_path / "frontoffice.db")
    container = bootstrap(Settings.load({}, overrides={
        "database_url": f"sqlite:///{tmp_path / 'frontoffice.db'}", "data_dir": tmp_path}),
        Role.SERVER)
    try:
        paths = [p for p in create_app(container).openapi()["paths"] if p.startswith("/api/")]
    finally:
        container.close()
    decisions = [p for p in paths if p.startswith("/api/v1/workspaces/{ws}/decisions/")]
    assert paths[:len(decisions)] == decisions
    assert "/api/v1/workspaces/{ws}/decisions/decide" in decisions
