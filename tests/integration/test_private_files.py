"""Files holding customer data are readable by their owner only (0600), whatever the umask:
the SQLite database with its -wal and -shm (the main one and every located storage, all opened
by ``open_store``), event exports, people exports and DSR exports."""

from __future__ import annotations

import os
import re
import sqlite3
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from frontoffice.bulk.exporter import export_events
from frontoffice.cli.main import cli
from frontoffice.outbound.exports import catch_up_people, export_people
from frontoffice.storage import open_store
from frontoffice.tenancy import service as tenancy
from tests.integration.identity_support import Brand
from tests.integration.test_dsr_world import identify

ESSENTIAL = "essential"


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture(autouse=True)
def usual_umask() -> Iterator[None]:
    """The common umask 022, under which a file opened the usual way is world-readable (0644)."""
    before = os.umask(0o022)
    yield
    os.umask(before)


def _database_with_people(db: Path) -> None:
    store = open_store(f"sqlite:///{db}")
    try:
        store.upgrade()
        ws = tenancy.create_workspace(store, "acme", "EU")
        # a server-side source: only those prove an email (a public app key's claim is ignored)
        accounts, _ = tenancy.create_source(store, ws.id, "accounts", "web", trust="server")
        Brand(store, ws.id, {"accounts": accounts.id}).send("accounts", identify(
            "a1", user="ann", email="ann@mailbox.org", emailVerified=True, lastName="Meier",
            address={"country": "DE"}))
    finally:
        store.close()


def test_a_new_sqlite_database_and_its_wal_and_shm_are_private(tmp_path: Path) -> None:
    db = tmp_path / "data" / "fo.db"
    store = open_store(f"sqlite:///{db}")
    try:
        store.upgrade()
        tenancy.create_workspace(store, "acme", "EU")
        files = [db, Path(f"{db}-wal"), Path(f"{db}-shm")]
        assert {f.name: mode(f) for f in files} == {f.name: 0o600 for f in files}
    finally:
        store.close()


def test_an_older_world_readable_database_is_made_private_when_opened(tmp_path: Path) -> None:
    db = tmp_path / "old.db"
    conn = sqlite3.connect(db)  # as an older frontoffice left it: 0644 with its WAL
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("CREATE TABLE t (a)")
    wal, shm = Path(f"{db}-wal"), Path(f"{db}-shm")
    assert mode(db) == mode(wal) == 0o644
    store = open_store(f"sqlite:///{db}")
    try:
        store.upgrade()
        assert (mode(db), mode(wal), mode(shm)) == (0o600, 0o600, 0o600)
    finally:
        store.close()
        conn.close()


@pytest.mark.parametrize("fmt", ["ndjson", "parquet"])
def test_an_event_export_is_private_even_over_a_world_readable_file(tmp_path: Path, fmt: str) -> None:
    db = tmp_path / "fo.db"
    _database_with_people(db)
    out = tmp_path / f"log.{fmt}"
    out.write_bytes(b"an older export")
    out.chmod(0o644)
    store = open_store(f"sqlite:///{db}")
    try:
        ws = store.workspaces()[0].id
        catch_up_people(store, ws)
        report = export_events(store, ws, out, purpose=ESSENTIAL)
    finally:
        store.close()
    assert report.count == 1 and mode(out) == 0o600


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_a_people_export_is_private(tmp_path: Path, fmt: str) -> None:
    db = tmp_path / "fo.db"
    _database_with_people(db)
    store = open_store(f"sqlite:///{db}")
    try:
        ws = store.workspaces()[0].id
        catch_up_people(store, ws)
        done = export_people(store, ws, tmp_path / "people", fmt, ESSENTIAL)
    finally:
        store.close()
    assert done.people == 1
    assert {p.name: mode(p) for p in done.paths.values()} == {p.name: 0o600 for p in done.paths.values()}


def test_a_dsr_access_export_is_private(tmp_path: Path) -> None:
    db = tmp_path / "fo.db"
    _database_with_people(db)

    def run(*args: str) -> str:
        result = CliRunner().invoke(cli, ["--database-url", f"sqlite:///{db}", *args])
        assert result.exit_code == 0, result.output
        return result.output

    opened = run("dsr", "open", "access", "-i", "email:ann@mailbox.org", "-w", "acme")
    found = re.search(r"(dsr_[0-9a-f]+) access", opened)
    assert found, opened
    rid = found.group(1)
    code = re.search(r"code: (\w+)", run("dsr", "outbox", rid, "-w", "acme"))
    assert code
    run("dsr", "verify", rid, code.group(1), "-w", "acme")
    run("dsr", "execute", rid, "--out", str(tmp_path / "dsr"), "-w", "acme")
    written = sorted((tmp_path / "dsr").iterdir())
    assert [p.suffix for p in written] == [".html", ".json"]
    assert all(mode(p) == 0o600 for p in written)
