"""A source's trust level on SQLite and PostgreSQL: its channel's default, set at creation through
the API and the CLI, shown in listings, and given to the sources that existed before it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner

from frontoffice.api.app import create_app
from frontoffice.bootstrap import Role, bootstrap
from frontoffice.cli.main import cli
from frontoffice.domain.tenancy import Trust
from frontoffice.settings import Settings
from frontoffice.storage import open_store
from frontoffice.storage.migrate import revisions
from frontoffice.tenancy import service as tenancy
from tests.support.legacy import store_made_by_sql_migrations


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
async def api(database_url: str, tmp_path: Path) -> AsyncIterator[tuple[httpx.AsyncClient, dict[str, str]]]:
    settings = Settings.load({}, overrides={"database_url": database_url, "data_dir": tmp_path})
    container = bootstrap(settings, Role.SERVER)
    ws = tenancy.create_workspace(container.store, "acme", "EU")
    _, token = tenancy.create_token(container.store, ws.id, "admin", ["sources:admin"])
    transport = httpx.ASGITransport(app=create_app(container))
    async with httpx.AsyncClient(transport=transport, base_url="http://fo") as client:
        yield client, {"Authorization": f"Bearer {token}"}
    container.close()


@pytest.mark.anyio
async def test_a_source_takes_its_channels_trust_unless_created_with_another(
        api: tuple[httpx.AsyncClient, dict[str, str]]) -> None:
    client, auth = api
    base = "/api/v1/workspaces/acme/sources"
    for body in ({"name": "web", "channel": "web"}, {"name": "till", "channel": "pos"},
                 {"name": "accounts", "channel": "web", "trust": "server"},
                 {"name": "kiosk", "channel": "pos", "trust": "client"}):
        created = await client.post(base, json=body, headers=auth)
        assert created.status_code == 201, created.text
    listed = (await client.get(base, headers=auth)).json()
    assert {s["name"]: s["trust"] for s in listed} == {
        "web": "client", "till": "server", "accounts": "server", "kiosk": "client"}
    refused = await client.post(base, json={"name": "x", "channel": "web", "trust": "trusted"}, headers=auth)
    assert refused.status_code == 400 and "'client'" in refused.json()["message"]


def test_the_cli_creates_a_source_with_a_trust_level_and_lists_it(database_url: str, tmp_path: Path) -> None:
    def run(*args: str) -> str:
        result = CliRunner().invoke(cli, ["--data-dir", str(tmp_path), "--database-url", database_url, *args],
                                    terminal_width=200)
        assert result.exit_code == 0, result.output
        return result.output

    run("db", "upgrade")
    run("workspace", "create", "acme")
    assert "(web, server-side)" in run("source", "create", "crm", "--workspace", "acme", "--channel",
                                       "web", "--trust", "server")
    assert "(app, client-side)" in run("source", "create", "app", "--workspace", "acme", "--channel", "app")
    rows = {line.split("│")[2].strip(): line.split("│")[4].strip()
            for line in run("source", "list", "--workspace", "acme").splitlines() if line.count("│") > 5}
    assert rows == {"crm": "server", "app": "client"}
    wrong = CliRunner().invoke(cli, ["--data-dir", str(tmp_path), "--database-url", database_url, "source",
                                     "create", "x", "--workspace", "acme", "--channel", "web",
                                     "--trust", "yes"])
    assert wrong.exit_code == 2 and "'yes' is not one of 'client', 'server'" in wrong.output


def test_sources_made_before_alembic_keep_their_trust_levels(empty_database_url: str) -> None:
    old = store_made_by_sql_migrations(empty_database_url)
    ws = tenancy.create_workspace(old, "acme", "EU")
    made = {name: tenancy.create_source(old, ws.id, name, channel, trust=trust)[0].trust
            for name, channel, trust in (("web", "web", None), ("till", "pos", None),
                                         ("app", "app", "server"))}
    old.close()
    upgraded = open_store(empty_database_url)
    assert upgraded.upgrade() == revisions(upgraded.dialect)  # adopted at the baseline, then the rest
    trust = {s.name: s.trust for s in upgraded.sources(ws.id)}
    upgraded.close()
    assert trust == made == {"web": Trust.CLIENT, "till": Trust.SERVER, "app": Trust.SERVER}


def test_sources_of_a_database_made_by_the_last_sql_release_get_their_channels_trust(
        empty_database_url: str) -> None:
    """A database made by the release before trust levels and alembic (its migrations end at
    0012) is upgraded in place: every source gets its channel's default, the DSR source is
    server-side, and its schema is then the head's."""
    old = store_made_by_sql_migrations(empty_database_url, before="0013")
    old.execute("INSERT INTO workspaces (id, name, region, status, created_at) VALUES "
                "('w1', 'acme', 'EU', 'active', '2026-01-01')")
    for sid, name, channel in (("s1", "web", "web"), ("s2", "app", "app"), ("s3", "chat", "chat"),
                               ("s4", "till", "pos"), ("s5", "frontoffice-dsr", "web")):
        old.execute("INSERT INTO sources (id, workspace_id, name, channel, key_hash, key_hint, status, "
                    "created_at) VALUES (?, 'w1', ?, ?, ?, '…', 'active', '2026-01-01')",
                    (sid, name, channel, f"hash-{sid}"))
    old.close()
    upgraded = open_store(empty_database_url)
    try:
        assert upgraded.upgrade() == revisions(upgraded.dialect)  # adopted at the baseline, then the rest
        trust = {s.name: s.trust for s in upgraded.sources("w1")}
        assert upgraded.pending_migrations() == []
    finally:
        upgraded.close()
    assert trust == {"web": Trust.CLIENT, "app": Trust.CLIENT, "chat": Trust.CLIENT,
                     "till": Trust.SERVER, "frontoffice-dsr": Trust.SERVER}
