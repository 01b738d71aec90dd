"""A real PostgreSQL for the tests: the one `make test` started, or one started here."""

from __future__ import annotations

import os
import secrets
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parents[2]


@contextmanager
def postgres_server() -> Iterator[str]:
    url = os.environ.get("FRONTOFFICE_TEST_PG_URL")
    if url:
        yield url
        return
    folder = tempfile.mkdtemp(prefix="frontoffice-pg-")
    script = str(ROOT / "scripts" / "pg_test_server")
    started = subprocess.run([script, "start", folder], capture_output=True, text=True, check=False)
    if started.returncode != 0:
        raise RuntimeError(f"could not start PostgreSQL: {started.stderr}")
    try:
        yield started.stdout.strip()
    finally:
        subprocess.run([script, "stop", folder], check=False)


def database_url_of(server_url: str, name: str) -> str:
    return f"{server_url.rsplit('/', 1)[0]}/{name}"


@contextmanager
def fresh_database(server_url: str, template: str | None = None) -> Iterator[str]:
    """A new database, empty or a copy of ``template`` (``CREATE DATABASE … TEMPLATE``: a
    migrated copy in ~0.1 s, against ~2 s to create one and run every migration)."""
    name = "t_" + secrets.token_hex(6)
    copy = f' TEMPLATE "{template}"' if template else ""
    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"{copy}{_strategy(conn)}')
    try:
        yield database_url_of(server_url, name)
    finally:
        with psycopg.connect(server_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _strategy(conn: psycopg.Connection[tuple[object, ...]]) -> str:
    """Copying the template's files beats logging each of its pages in the WAL, unless every copy
    has to be synced to disk (a durable server: a checkpoint per copy)."""
    row = conn.execute("SELECT current_setting('fsync')").fetchone()
    return " STRATEGY FILE_COPY" if row is not None and row[0] == "off" else ""
