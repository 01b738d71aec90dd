"""The console's rules in-process: roles are sets of API scopes, pages come from the registry,
sessions end on sign-out, idleness and disabling, forms need their CSRF token, sign-in is
throttled, passwords are argon2id hashes, the text is translated."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from frontoffice.capabilities import registered
from frontoffice.capability import Capability, ConsolePage
from frontoffice.console.kit import ConsoleKit, Viewer
from frontoffice.console.roles import ROLE_SCOPES, Role
from frontoffice.console.store import ConsoleStore
from frontoffice.console.users import create_user, disable_user
from frontoffice.domain.events import now
from frontoffice.domain.tenancy import WORKSPACE_SCOPES, Scope, Status
from frontoffice.errors import InvalidInput
from frontoffice.storage import open_store
from tests.integration.console_support import PASSWORD, add_users, console, csrf_of, sign_in


def test_a_role_is_a_set_of_api_scopes_and_only_admin_holds_them_all() -> None:
    assert ROLE_SCOPES[Role.ADMIN] == WORKSPACE_SCOPES
    for role, scopes in ROLE_SCOPES.items():
        readers = Scope.EVENTS_READ in scopes or role is Role.CATEGORY_MANAGER
        assert scopes <= WORKSPACE_SCOPES and readers, role
    assert ROLE_SCOPES[Role.CATEGORY_MANAGER] == {Scope.INSIGHTS_READ}  # no people, no service desk
    assert Scope.PRIVACY_ADMIN in ROLE_SCOPES[Role.PRIVACY_OFFICER]
    assert Scope.PRIVACY_ADMIN not in ROLE_SCOPES[Role.AGENT] | ROLE_SCOPES[Role.MARKETER]


def _loyalty(kit: ConsoleKit) -> APIRouter:
    router = APIRouter()
    admin = kit.viewer(Scope.IDENTITY_ADMIN)

    @router.get("/loyalty", response_class=HTMLResponse)
    def loyalty(request: Request, viewer: Viewer = admin) -> HTMLResponse:
        return HTMLResponse(f"points of {viewer.workspace.name}")

    return router


def test_a_capability_adds_a_console_page_that_only_roles_holding_its_scope_see(
        database_url: str, tmp_path: Path) -> None:
    add_users(database_url)
    page = ConsolePage("/loyalty", "Loyalty", Scope.IDENTITY_ADMIN, _loyalty)
    with registered(Capability(name="loyalty", console_pages=(page,))), \
            console(database_url, tmp_path) as client:
        sign_in(client, "acme-lead")
        assert 'href="/console/w/acme/loyalty"' in client.get("/console/w/acme").text
        assert client.get("/console/w/acme/loyalty").text == "points of acme"
        sign_in(client, "acme-agent")
        assert 'href="/console/w/acme/loyalty"' not in client.get("/console/w/acme").text
        assert client.get("/console/w/acme/loyalty").status_code == 403


def test_another_workspaces_pages_are_refused(database_url: str, tmp_path: Path) -> None:
    add_users(database_url, "acme")
    add_users(database_url, "globex")
    with console(database_url, tmp_path) as client:
        sign_in(client, "acme-admin")
        assert client.get("/console/w/globex/people").status_code == 403
        assert client.get("/console/w/acme/people").status_code == 200


def test_a_disabled_workspaces_pages_are_refused(database_url: str, tmp_path: Path) -> None:
    ws = add_users(database_url)
    with console(database_url, tmp_path) as client:
        sign_in(client, "acme-admin")
        assert client.get("/console/w/acme/people").status_code == 200
        store = open_store(database_url)
        try:
            store.set_workspace_status(ws, Status.DISABLED)
        finally:
            store.close()
        assert client.get("/console/w/acme/people").status_code == 403


def test_an_idle_session_is_signed_out(database_url: str, tmp_path: Path) -> None:
    add_users(database_url)
    with console(database_url, tmp_path, console_idle_minutes=0) as client:
        assert sign_in(client, "acme-admin").status_code == 303
        answer = client.get("/console/w/acme")
        assert answer.status_code == 303 and answer.headers["location"] == "/console/login"


def test_disabling_a_user_ends_their_sessions_at_once(database_url: str, tmp_path: Path) -> None:
    add_users(database_url)
    with console(database_url, tmp_path) as client:
        sign_in(client, "acme-marketer")
        assert client.get("/console/w/acme").status_code == 200
        store = open_store(database_url)
        try:
            disable_user(ConsoleStore(store), "acme-marketer", now())
        finally:
            store.close()
        assert client.get("/console/w/acme").status_code == 303
        assert sign_in(client, "acme-marketer").status_code == 401


def test_a_form_without_the_sessions_csrf_token_is_refused_and_nothing_is_done(
        database_url: str, tmp_path: Path) -> None:
    add_users(database_url)
    with console(database_url, tmp_path) as client:
        sign_in(client, "acme-admin")
        form = {"name": "forged", "channel": "web", "confirm": "yes"}
        assert client.post("/console/w/acme/admin/sources", data=form).status_code == 403
        assert client.post("/console/w/acme/admin/sources",
                           data={**form, "csrf": "another"}).status_code == 403
        assert "forged" not in client.get("/console/w/acme/admin/sources").text


def test_an_action_shows_what_it_will_do_then_does_it_once_confirmed_and_audits_who(
        database_url: str, tmp_path: Path) -> None:
    add_users(database_url)
    with console(database_url, tmp_path) as client:
        sign_in(client, "acme-admin")
        csrf = csrf_of(client.get("/console/w/acme/admin/tokens").text)
        asked = client.post("/console/w/acme/admin/tokens",
                            data={"name": "reporting", "scopes": "events:read", "csrf": csrf})
        assert "This creates the API token “reporting”" in asked.text
        listed = client.get("/console/w/acme/admin/tokens?q=reporting").text
        assert "reporting" not in listed.split("<tbody>")[1]
        done = client.post("/console/w/acme/admin/tokens", data={
            "name": "reporting", "scopes": "events:read", "csrf": csrf, "confirm": "yes"})
        assert "fo_at_" in done.text
        audit = client.get("/console/w/acme/admin/audit?action=token.create").text
        assert audit.count("<td>token.create</td>") == 1


def test_a_user_cannot_grant_a_role_holding_scopes_their_own_lacks(database_url: str) -> None:
    store = open_store(database_url)
    try:
        with pytest.raises(InvalidInput, match="cannot create a admin"):
            create_user(ConsoleStore(store), "ws", "newcomer", Role.ADMIN, PASSWORD, by="x", at=now(),
                        granter=Role.LEAD)
    finally:
        store.close()


def test_passwords_are_stored_as_argon2id_hashes_and_short_ones_are_refused(database_url: str) -> None:
    store = open_store(database_url)
    try:
        users = ConsoleStore(store)
        create_user(users, "ws", "hashed", Role.AGENT, PASSWORD, by="x", at=now())
        found = users.user("hashed")
        assert found is not None and found[1].startswith("$argon2id$") and PASSWORD not in found[1]
        with pytest.raises(InvalidInput, match="at least 12 characters"):
            create_user(users, "ws", "short", Role.AGENT, "short", by="x", at=now())
    finally:
        store.close()


def test_sign_in_is_throttled_per_login_and_says_how_long_to_wait(database_url: str, tmp_path: Path) -> None:
    add_users(database_url)
    with console(database_url, tmp_path, console_login_failures=2) as client:
        assert sign_in(client, "acme-admin", "wrong password!").status_code == 401
        assert sign_in(client, "acme-admin", "wrong password!").status_code == 401
        refused = sign_in(client, "acme-admin", PASSWORD)  # even the right password, for now
        assert refused.status_code == 429
        assert "Too many failed sign-ins for this login (2 in the last 15 minutes)" in refused.text
        assert int(refused.headers["retry-after"]) > 800
        assert sign_in(client, "acme-agent").status_code == 303  # another login is not held up


def test_sign_in_is_throttled_per_address(database_url: str, tmp_path: Path) -> None:
    add_users(database_url)
    with console(database_url, tmp_path, console_login_failures_per_ip=3) as client:
        for login in ("a1", "a2", "a3"):
            assert sign_in(client, login, "wrong password!").status_code == 401
        refused = sign_in(client, "acme-admin")
        assert refused.status_code == 429 and "from your address" in refused.text


def test_the_page_speaks_the_users_language_else_the_browsers(database_url: str, tmp_path: Path) -> None:
    ws = add_users(database_url)
    store = open_store(database_url)
    try:
        create_user(ConsoleStore(store), ws, "yuki", Role.AGENT, PASSWORD, locale="ja", by="x", at=now())
    finally:
        store.close()
    with console(database_url, tmp_path) as client:
        login = client.get("/console/login", headers={"accept-language": "de-DE,de;q=0.9,en;q=0.5"})
        assert '<html lang="de">' in login.text and "An der Konsole anmelden" in login.text
        sign_in(client, "yuki")
        home = client.get("/console/w/acme", headers={"accept-language": "de"})
        assert '<html lang="ja">' in home.text and "顧客" in home.text


def test_root_and_console_lead_to_the_sign_in_page(database_url: str, tmp_path: Path) -> None:
    with console(database_url, tmp_path) as client:
        assert client.get("/").headers["location"] == "/console/"
        assert client.get("/console/").headers["location"] == "/console/login"
        login = client.get("/console/login")
        cookie = login.headers["set-cookie"].lower()
        assert "httponly" in cookie and "samesite=lax" in cookie
