"""Shared fixtures: every storage test runs on SQLite and on a real PostgreSQL."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from frontoffice.storage import open_store
from frontoffice.storage.sql import SqlStore
from tests.support.demo import ServingDemo, kill_demo, start_demo
from tests.support.pg import drop_copies, fresh_database, postgres_server
from tests.support.server import ServerProcess


@pytest.fixture(scope="session")
def pg_server() -> Iterator[str]:
    with postgres_server() as url:
        yield url


@pytest.fixture(scope="session")
def pg_template(pg_server: str) -> Iterator[str]:
    """One migrated database per test process, copied for every test that needs a database (a
    copy a test gave back unchanged in schema is emptied and reused: tests/support/pg.py)."""
    with fresh_database(pg_server) as url:
        migrated = open_store(url)
        migrated.upgrade()
        migrated.close()
        name = url.rsplit("/", 1)[1]
        yield name
        drop_copies(pg_server, name)


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "frontoffice.db"
    migrated = open_store(f"sqlite:///{path}")
    migrated.upgrade()
    migrated.close()  # checkpointed: the one file holds the whole schema
    return path


BACKENDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]


@pytest.fixture(params=BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A database of its own for the test, already at the current schema."""
    if request.param == "sqlite":
        shutil.copyfile(request.getfixturevalue("sqlite_template"), tmp_path / "frontoffice.db")
        yield f"sqlite:///{tmp_path / 'frontoffice.db'}"
    else:
        with fresh_database(request.getfixturevalue("pg_server"),
                            template=request.getfixturevalue("pg_template")) as url:
            yield url


@pytest.fixture(params=BACKENDS)
def empty_database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A database with no schema at all (what a first start or an upgrade test begins with)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'frontoffice.db'}"
    else:
        with fresh_database(request.getfixturevalue("pg_server")) as url:
            yield url


@pytest.fixture
def store(database_url: str) -> Iterator[SqlStore]:
    s = open_store(database_url)
    s.upgrade()
    yield s
    s.close()


@pytest.fixture
def server(database_url: str, tmp_path: Path) -> Iterator[ServerProcess]:
    proc = ServerProcess(database_url, tmp_path)
    yield proc
    proc.stop()


@pytest.fixture(scope="session")
def serving_demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServingDemo]:
    """The test worker's one `frontoffice demo run`, started as README says and serving until
    README's tour stops it (or the session ends). Tests using it carry the xdist group "demo"
    (so they share one run)."""
    demo = start_demo(tmp_path_factory.mktemp("demo"))
    yield demo
    kill_demo(demo.process)


@pytest.fixture(scope="session")
def demo_once(serving_demo: ServingDemo) -> tuple[Path, str]:
    """(The demo's data directory as it was when it began serving, what it printed until then):
    the state `make demo` leaves. Copy the directory before changing anything in it."""
    return serving_demo.snapshot, serving_demo.shown


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Under `--dist loadgroup` a test without an xdist group may run on any test worker, so a
    module's tests sharing a module-scoped fixture (a server, a trained model, an app) would
    build it on each worker: such tests are grouped by module (one worker builds it once)."""
    for item in items:
        if item.get_closest_marker("xdist_group") is not None:
            continue
        info = getattr(item, "_fixtureinfo", None)
        definitions = info.name2fixturedefs.values() if info is not None else ()
        if any(d.scope in ("module", "class") for defs in definitions for d in defs):
            item.add_marker(pytest.mark.xdist_group(item.nodeid.split("::", 1)[0]))
