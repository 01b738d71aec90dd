"""Decisions' console pages in-process on SQLite and PostgreSQL: the catalogue, a person's next
best actions with reasons and refusals (a preview that logs nothing), the model versions."""

from __future__ import annotations

from pathlib import Path

from frontoffice.console.roles import Role
from frontoffice.console.store import ConsoleStore
from frontoffice.console.users import create_user
from frontoffice.decisions import service
from frontoffice.decisions.catalogue import Action
from frontoffice.decisions.store import DecisionsStore
from frontoffice.domain.events import now
from frontoffice.storage import open_store
from tests.integration.console_support import PASSWORD, console, sign_in
from tests.integration.decisions_support import ACTIONS, shop


def test_the_console_shows_the_catalogue_a_persons_next_best_actions_and_the_models(
        database_url: str, tmp_path: Path) -> None:
    store = open_store(database_url)
    try:
        s = shop(store)
        for body in ACTIONS:
            service.save_action(DecisionsStore(store), s.ws, Action.model_validate(body), now())
        create_user(ConsoleStore(store), s.ws, "acme-admin", Role.ADMIN, PASSWORD, by="test",
                    at=now())
    finally:
        store.close()
    with console(database_url, tmp_path) as client:
        sign_in(client, "acme-admin")
        home = client.get("/console/w/acme").text
        assert 'href="/console/w/acme/decisions/next"' in home
        catalogue = client.get("/console/w/acme/decisions/actions").text
        assert "Wrap dress in L" in catalogue and "dress-l" in catalogue
        page = client.get(f"/console/w/acme/decisions/next?person_id={s.ann}&channel=web").text
        assert "Wrap dress" in page and "keeps size M in dresses" in page
        assert "stock" in page and "not a member now" in page
        assert "No person" in client.get("/console/w/acme/decisions/next?person_id=zed").text
        assert "No model versions yet" in client.get("/console/w/acme/decisions/models").text
    store = open_store(database_url)
    try:
        assert DecisionsStore(store).decisions(s.ws, "", 10) == []  # previews log nothing
    finally:
        store.close()
