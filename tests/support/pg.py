"""A real PostgreSQL for the tests: the one `make test` started, or one started here."""

from __future__ import annotations

import os
import secrets
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parents[2]

# Copies of a template this test process made and gave back clean, ready for the next test.
_clean: dict[tuple[str, str], list[str]] = {}
_fingerprints: dict[tuple[str, str], str] = {}

# Everything a test could change in a database beside its rows: tables, columns, defaults,
# constraints, indexes, triggers (and whether they are enabled), functions, schemas, extensions,
# the database's settings, and which migration it is at. A copy that differs is dropped, not reused.
FINGERPRINT = """
SELECT md5(string_agg(item, E'\\n' ORDER BY item)) FROM (
  SELECT 'rel ' || c.relname || ' ' || c.relkind::text || ' ' || c.relpersistence::text || ' '
         || coalesce(string_agg(a.attname || ' ' || format_type(a.atttypid, a.atttypmod) || ' '
                                || a.attnotnull::text || ' ' || coalesce(pg_get_expr(d.adbin, d.adrelid), ''),
                                ', ' ORDER BY a.attnum), '') AS item
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
    LEFT JOIN pg_attrdef d ON d.adrelid = c.oid AND d.adnum = a.attnum
   WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')
   GROUP BY c.oid, c.relname, c.relkind, c.relpersistence
  UNION ALL SELECT 'index ' || pg_get_indexdef(i.indexrelid) FROM pg_index i
    JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_namespace n ON n.oid = c.relnamespace
   WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')
  UNION ALL SELECT 'constraint ' || conrelid::regclass || ' ' || conname || ' '
         || pg_get_constraintdef(oid) FROM pg_constraint
   WHERE connamespace NOT IN ('pg_catalog'::regnamespace, 'information_schema'::regnamespace)
  UNION ALL SELECT 'trigger ' || tgrelid::regclass || ' ' || tgname || ' ' || tgenabled::text
         || ' ' || pg_get_triggerdef(oid) FROM pg_trigger WHERE NOT tgisinternal
  UNION ALL SELECT 'function ' || p.oid::regprocedure || ' ' || md5(p.prosrc) FROM pg_proc p
   WHERE p.pronamespace NOT IN ('pg_catalog'::regnamespace, 'information_schema'::regnamespace)
  UNION ALL SELECT 'schema ' || nspname FROM pg_namespace
  UNION ALL SELECT 'extension ' || extname || ' ' || extversion FROM pg_extension
  UNION ALL SELECT 'setting ' || array_to_string(setconfig, ',') FROM pg_db_role_setting
   WHERE setdatabase = (SELECT oid FROM pg_database WHERE datname = current_database())
  UNION ALL SELECT 'sequence ' || s.seqrelid::regclass || ' ' || s.seqstart::text || ' '
         || s.seqincrement::text FROM pg_sequence s
  UNION ALL SELECT 'migration ' || version_num FROM alembic_version
) AS everything
"""


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
    """A new database, empty or a copy of ``template``.

    A copy (``CREATE DATABASE … TEMPLATE``: ~0.3 s of the server's CPU, against ~2 s to create
    one and run every migration) is given back at the end: when its schema is still the
    template's, its rows are deleted and its sequences restarted (a few milliseconds) and the
    next test of this process gets it, as indistinguishable from a new copy as SQL can tell;
    otherwise it is dropped."""
    if template is None:
        name = _create(server_url, "")
        try:
            yield database_url_of(server_url, name)
        finally:
            _drop(server_url, name)
        return
    key = (server_url, template)
    if key not in _fingerprints:
        with psycopg.connect(database_url_of(server_url, template), autocommit=True) as conn:
            _fingerprints[key] = _fingerprint(conn)
    pool = _clean.setdefault(key, [])
    name = pool.pop() if pool else _create(server_url, f' TEMPLATE "{template}"')
    url = database_url_of(server_url, name)
    try:
        yield url
    finally:
        if _clean_up(server_url, url, _fingerprints[key]):
            pool.append(name)
        else:
            _drop(server_url, name)


def drop_copies(server_url: str, template: str) -> None:
    """Drop the clean copies of ``template`` kept for reuse (at the end of the session)."""
    for name in _clean.pop((server_url, template), []):
        _drop(server_url, name)
    _fingerprints.pop((server_url, template), None)


def _create(server_url: str, copy: str) -> str:
    name = "t_" + secrets.token_hex(6)
    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"{copy}{_strategy(conn)}')
    return name


def _drop(server_url: str, name: str) -> None:
    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _fingerprint(conn: psycopg.Connection[tuple[object, ...]]) -> str:
    row = conn.execute(FINGERPRINT).fetchone()
    assert row is not None
    return str(row[0])


def _clean_up(server_url: str, url: str, template_fingerprint: str) -> bool:
    """Bring a used copy back to the template's state; False when it cannot be (drop it)."""
    name = url.rsplit("/", 1)[1]
    try:
        with psycopg.connect(server_url, autocommit=True) as conn:
            # what DROP DATABASE … WITH (FORCE) would do: end the sessions still connected
            conn.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                         "WHERE datname = %s AND pid <> pg_backend_pid()", (name,))
            deadline = time.monotonic() + 10
            while conn.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = %s",
                               (name,)).fetchone() != (0,):
                if time.monotonic() > deadline:
                    return False
                time.sleep(0.01)
            prepared = conn.execute("SELECT count(*) FROM pg_prepared_xacts WHERE database = %s",
                                    (name,)).fetchone()
            if prepared != (0,):
                return False
        with psycopg.connect(url, autocommit=True) as conn:
            if _fingerprint(conn) != template_fingerprint:
                return False
            # one round trip; the append-only triggers (no change, no truncate) are the template's
            # too, so they stay, set aside for this transaction only
            conn.execute("BEGIN; SET LOCAL session_replication_role = replica; "
                         + "".join(f"DELETE FROM {table}; " for table in _tables(conn))
                         + "".join(f"ALTER SEQUENCE {seq} RESTART; " for seq in _sequences(conn))
                         + "COMMIT")
        return True
    except psycopg.Error:
        return False


def _tables(conn: psycopg.Connection[tuple[object, ...]]) -> list[str]:
    return [str(row[0]) for row in conn.execute(
        "SELECT format('%I.%I', schemaname, tablename) FROM pg_tables WHERE schemaname "
        "NOT IN ('pg_catalog', 'information_schema') AND tablename <> 'alembic_version'")]


def _sequences(conn: psycopg.Connection[tuple[object, ...]]) -> list[str]:
    return [str(row[0]) for row in conn.execute(
        "SELECT format('%I.%I', schemaname, sequencename) FROM pg_sequences "
        "WHERE schemaname NOT IN ('pg_catalog', 'information_schema')")]


def _strategy(conn: psycopg.Connection[tuple[object, ...]]) -> str:
    """Copying the template's files beats logging each of its pages in the WAL, unless every copy
    has to be synced to disk (a durable server: a checkpoint per copy)."""
    row = conn.execute("SELECT current_setting('fsync')").fetchone()
    return " STRATEGY FILE_COPY" if row is not None and row[0] == "off" else ""
