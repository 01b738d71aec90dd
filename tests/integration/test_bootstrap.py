"""One composition root for every process: ``bootstrap(settings, role)`` gives each role exactly
its parts, one identity match configuration everywhere, and located storages upgraded only when
``auto_upgrade`` says so."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from frontoffice import worker
from frontoffice.api.app import create_app
from frontoffice.bootstrap import Container, Role, bootstrap
from frontoffice.cli.main import cli
from frontoffice.errors import ConfigError, SchemaOutOfDate
from frontoffice.identity.hub import IdentityFollow
from frontoffice.identity.live_match import MatchConfig
from frontoffice.settings import Settings
from frontoffice.tenancy import service as tenancy

PARTS = {
    Role.SERVER: {"store", "stores", "hubs", "writer", "writers", "keys", "tokens"},
    Role.WORKER: {"store", "stores", "hubs", "dispatch"},
    Role.INGEST: {"store", "stores", "writer", "writers", "gates"},
    Role.CLI: {"store", "stores", "hubs"},
}


def settings_for(database_url: str, tmp_path: Path, **more: object) -> Settings:
    return Settings.load({}, overrides={"database_url": database_url, "data_dir": tmp_path, **more})


@pytest.fixture
def built(database_url: str, tmp_path: Path) -> Iterator[list[Container]]:
    made: list[Container] = []
    yield made
    for container in made:
        container.close()


@pytest.mark.parametrize("role", list(Role))
def test_each_role_gets_exactly_its_parts(role: Role, database_url: str, tmp_path: Path,
                                          built: list[Container]) -> None:
    container = bootstrap(settings_for(database_url, tmp_path), role)
    built.append(container)
    assert container.parts() == PARTS[role]


def test_the_cli_starts_no_thread_and_has_no_writer(database_url: str, tmp_path: Path,
                                                   built: list[Container]) -> None:
    before = {t.ident for t in threading.enumerate()}
    container = bootstrap(settings_for(database_url, tmp_path), Role.CLI)
    built.append(container)
    assert {t.ident for t in threading.enumerate()} - before == set()  # none started
    with pytest.raises(ConfigError, match="The cli process has no group-commit writer"):
        container.writer_for("ws_any")


def test_an_ingest_process_builds_no_projection(database_url: str, tmp_path: Path,
                                                built: list[Container]) -> None:
    container = bootstrap(settings_for(database_url, tmp_path), Role.INGEST)
    built.append(container)
    with pytest.raises(ConfigError, match="The ingest process has no projection hubs"):
        container.hubs  # noqa: B018


def test_the_api_the_cli_and_the_worker_match_people_with_the_same_configured_weights(
        database_url: str, tmp_path: Path, built: list[Container]) -> None:
    settings = settings_for(database_url, tmp_path, identity_auto_merge_weight=21.0,
                            identity_review_weight=9.0, identity_match_interval_seconds=7.0,
                            identity_match_batch_records=50, identity_namesake_max_expected=0.0)
    configured = MatchConfig(21.0, 9.0, 7.0, 50, 0.0)
    server, cli_parts, worker_parts = (bootstrap(settings, role)
                                       for role in (Role.SERVER, Role.CLI, Role.WORKER))
    built.extend((server, cli_parts, worker_parts))
    ws = tenancy.create_workspace(server.store, "shop")
    assert server.hubs.identity(ws.id).match_config == configured  # what the API's routers use
    assert cli_parts.hubs.identity(ws.id).match_config == configured
    [follow] = [p for p in worker.projections(worker_parts.hubs, worker_parts.store)
                if isinstance(p, IdentityFollow)]
    assert follow.hub.match_config == configured


def located_settings(database_url: str, tmp_path: Path, *, auto_upgrade: bool) -> tuple[Settings, Path]:
    ru = tmp_path / "ru" / "frontoffice-ru.db"
    ru.parent.mkdir(exist_ok=True)
    return settings_for(database_url, tmp_path / "data", auto_upgrade=auto_upgrade,
                        storage_locations=f'{{"RU": "sqlite:///{ru}"}}'), ru


def tables(path: Path) -> set[str]:
    with sqlite3.connect(path) as db:
        return {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}


@pytest.mark.parametrize("role", [Role.SERVER, Role.WORKER])
def test_a_located_storage_is_not_upgraded_when_auto_upgrade_is_off(
        role: Role, database_url: str, tmp_path: Path) -> None:
    settings, ru = located_settings(database_url, tmp_path, auto_upgrade=False)
    with pytest.raises(SchemaOutOfDate, match="frontoffice db upgrade"):
        bootstrap(settings, role)
    assert "events" not in tables(ru)


def test_db_upgrade_upgrades_the_located_storages_too(database_url: str, tmp_path: Path,
                                                     built: list[Container]) -> None:
    settings, ru = located_settings(database_url, tmp_path, auto_upgrade=False)
    env = {"FRONTOFFICE_DATABASE_URL": database_url, "FRONTOFFICE_DATA_DIR": str(tmp_path / "data"),
           "FRONTOFFICE_AUTO_UPGRADE": "false", "FRONTOFFICE_STORAGE_LOCATIONS": settings.storage_locations}
    done = CliRunner().invoke(cli, ["db", "upgrade"], env=env)
    assert done.exit_code == 0, done.output
    assert "storage of RU: schema version" in done.output
    assert "events" in tables(ru)
    built.append(bootstrap(settings, Role.SERVER))  # now current: it starts


def test_a_located_storage_is_upgraded_when_auto_upgrade_is_on(database_url: str, tmp_path: Path,
                                                              built: list[Container]) -> None:
    settings, ru = located_settings(database_url, tmp_path, auto_upgrade=True)
    built.append(bootstrap(settings, Role.SERVER))
    assert "events" in tables(ru)


def test_the_collectors_routes_are_matched_before_the_admin_apis(database_url: str, tmp_path: Path,
                                                                built: list[Container]) -> None:
    """Routes are tried in order and nearly every request is an event batch: the admin API's
    routes tried first cost the collector a microsecond per event."""
    server = bootstrap(settings_for(database_url, tmp_path), Role.SERVER)
    built.append(server)
    paths = list(create_app(server).openapi()["paths"])  # in the order the router tries them
    first_admin = min(i for i, path in enumerate(paths) if path.startswith("/api/"))
    assert paths.index("/v1/batch") < first_admin
