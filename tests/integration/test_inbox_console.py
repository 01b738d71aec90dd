"""The agent's conversation view in the console, in process on SQLite: the customer's consent and
next best actions beside the ticket, read through consent's and decisions' ports; an order
action the policy refuses says what to do instead."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from frontoffice.console.roles import Role
from frontoffice.console.store import ConsoleStore
from frontoffice.console.users import create_user
from frontoffice.decisions import service as decisions
from frontoffice.decisions.catalogue import Action
from frontoffice.decisions.store import DecisionsStore
from frontoffice.domain.events import now
from frontoffice.inbox import intake
from frontoffice.inbox.wiring import desk_for
from frontoffice.settings import Settings
from frontoffice.storage import open_store
from tests.fakes.inbox import KeywordUnderstanding
from tests.integration.console_support import PASSWORD, console, csrf_of, sign_in
from tests.integration.decisions_support import ACTIONS, shop


@pytest.fixture
def database_url(sqlite_template: Path, tmp_path: Path) -> str:
    shutil.copyfile(sqlite_template, tmp_path / "frontoffice.db")
    return f"sqlite:///{tmp_path / 'frontoffice.db'}"


def test_the_conversation_view_shows_consent_and_next_best_actions_and_refuses_a_late_cancel(
        database_url: str, tmp_path: Path) -> None:
    store = open_store(database_url)
    try:
        s = shop(store)  # Ann granted personalisation and bought a dress
        for body in ACTIONS:
            decisions.save_action(DecisionsStore(store), s.ws, Action.model_validate(body), now())
        create_user(ConsoleStore(store), s.ws, "acme-agent", Role.ADMIN, PASSWORD, by="test", at=now())
        desk = desk_for(Settings(data_dir=tmp_path, database_url=database_url), store,
                        understand=KeywordUnderstanding())
        item = intake.Incoming("chat", "c1", "email", "ann@posteo.de", "Ann", "", "Where is my dress?", ())
        tid = intake.receive(desk, s.ws, item, now()).ticket_id
    finally:
        store.close()
    with console(database_url, tmp_path) as client:
        sign_in(client, "acme-agent")
        page = client.get(f"/console/w/acme/inbox/{tid}").text
        refused = client.post(f"/console/w/acme/inbox/{tid}/order-action", data={
            "csrf": csrf_of(page), "order_id": "O1", "action": "cancel", "reason": "changed my mind"})
    consent = page.split('id="consent"')[1].split("</ul>")[0]
    assert "personalisation · granted" in consent
    actions = page.split('id="next-best-actions"')[1].split("</ul>")[0]
    assert "Wrap dress" in actions
    assert refused.status_code == 400  # a delivered order: the page says what to do instead
    assert "Order O1 is delivered: only a pending or confirmed order can be cancelled; start a return" \
        in refused.text
