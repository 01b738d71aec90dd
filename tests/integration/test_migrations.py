"""Alembic migrations: an empty database reaches head, a database made by the .sql migrations
of earlier versions (tests/fixtures/legacy_migrations) is adopted in place, data intact."""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from frontoffice.errors import SchemaOutOfDate
from frontoffice.storage import open_store
from frontoffice.storage.migrate import head_as_written, revisions
from frontoffice.storage.port import AppendBatch
from frontoffice.tenancy import service as tenancy
from tests.integration.test_storage import record
from tests.support.legacy import schema_of, store_made_by_sql_migrations
from tests.support.pg import fresh_database

# tables the revisions after the baseline add (the baseline is the .sql migrations' schema)
AFTER_BASELINE = frozenset({"console_audit", "console_logins", "console_sessions", "console_users",
                            "decisions_actions", "decisions_cursor", "decisions_log", "identity_training",
                            "decisions_models", "decisions_outcomes",
                            "inbox_blobs", "inbox_cursor", "inbox_entities", "inbox_messages",
                            "inbox_models", "inbox_secrets", "inbox_threads", "inbox_tickets",
                            "insights_cursor", "insights_daily", "insights_flags", "insights_hourly",
                            "insights_refs",
                            "segments_cursor", "segments_definitions", "segments_due", "segments_events",
                            "segments_facts", "segments_firings", "segments_history", "segments_members",
                            "segments_values", "message_deliveries",
                            "segments_moment_cursors", "segments_moment_due"})


def at_baseline(schema: Any) -> Any:
    kept = {**schema, "tables": {name: table for name, table in schema["tables"].items()
                                 if name not in AFTER_BASELINE}}
    if "autoincrement" in schema:
        kept["autoincrement"] = [name for name in schema["autoincrement"] if name not in AFTER_BASELINE]
    return kept


@pytest.fixture
def head_schema(empty_database_url: str, request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Any]:
    """The schema alembic builds on an empty database of the same backend (the test template)."""
    if empty_database_url.startswith("sqlite"):
        shutil.copyfile(request.getfixturevalue("sqlite_template"), tmp_path / "head.db")
        yield schema_of(f"sqlite:///{tmp_path / 'head.db'}")
    else:
        with fresh_database(request.getfixturevalue("pg_server"),
                            template=request.getfixturevalue("pg_template")) as url:
            yield schema_of(url)


def test_the_baseline_is_the_schema_the_sql_migrations_made(
        empty_database_url: str, head_schema: Any) -> None:
    """Tables, columns and their types, keys, indexes, defaults and the append-only triggers."""
    store_made_by_sql_migrations(empty_database_url).close()
    made_by_sql = schema_of(empty_database_url)
    assert len(made_by_sql["tables"]) == 44
    assert made_by_sql == at_baseline(head_schema)


def test_a_database_made_by_the_sql_migrations_is_upgraded_in_place_with_its_data(
        empty_database_url: str, head_schema: Any) -> None:
    old = store_made_by_sql_migrations(empty_database_url)
    ws = tenancy.create_workspace(old, "acme", "EU")
    src, _ = tenancy.create_source(old, ws.id, "web", "web")
    old.append([AppendBatch(ws.id, src.id, [record("m1", "cus_1"), record("m2", "cus_2")])])
    events = [(e.seq, e.record.message_id, e.record.user_id) for e in old.events(ws.id)]
    old.close()

    upgraded = open_store(empty_database_url)
    try:
        every = revisions(upgraded.dialect)
        assert every[0] == "0001_baseline"
        assert upgraded.pending_migrations() == every
        assert upgraded.schema_version() == 0
        assert upgraded.upgrade() == every
        assert upgraded.pending_migrations() == [] and upgraded.schema_version() == len(every)
        assert [(e.seq, e.record.message_id, e.record.user_id) for e in upgraded.events(ws.id)] == events
        assert [s.id for s in upgraded.sources(ws.id)] == [src.id]
        with upgraded.engine.connect() as conn:
            assert not sa.inspect(conn).has_table("schema_migrations")
    finally:
        upgraded.close()
    assert schema_of(empty_database_url) == head_schema


def test_an_empty_database_is_built_to_head(empty_database_url: str, head_schema: Any) -> None:
    store = open_store(empty_database_url)
    try:
        assert store.schema_version() == 0
        assert store.upgrade() == revisions(store.dialect)
        assert store.upgrade() == []
    finally:
        store.close()
    assert schema_of(empty_database_url) == head_schema


def test_a_database_the_sql_migrations_left_behind_is_refused_with_the_next_step(
        empty_database_url: str) -> None:
    store_made_by_sql_migrations(empty_database_url, before="0012").close()
    old = open_store(empty_database_url)
    try:  # 0012 predates the last release made by the .sql migrations: only 0013 is bridged
        with pytest.raises(SchemaOutOfDate, match=r"misses its migrations 0012_subject_keys_appended, "
                                                  r"0013_source_trust\. Run `frontoffice db upgrade`"):
            old.upgrade()
        with pytest.raises(SchemaOutOfDate):
            old.require_current_schema()
    finally:
        old.close()


def test_each_store_has_one_engine_made_from_its_url_on_first_use(empty_database_url: str) -> None:
    store = open_store(empty_database_url)
    try:
        assert store._engine is None  # nothing connects before the store is used
        engine = store.engine
        assert engine is store.engine
        assert engine.url.drivername in ("sqlite+pysqlite", "postgresql+psycopg")
        assert engine.url.database == sa.make_url(empty_database_url).database
    finally:
        store.close()
    assert store._engine is None


def test_the_head_read_from_the_revision_files_is_alembic_s() -> None:
    """The shortcut an up-to-date database takes must name the revision alembic would end at."""
    assert head_as_written() == revisions("sqlite")[-1] == revisions("postgresql")[-1]


def test_opening_an_up_to_date_database_does_not_load_alembic_and_a_database_behind_is_upgraded(
        empty_database_url: str) -> None:
    """Every process that opens a store checks its schema: at head, that costs one read of
    ``alembic_version`` and no alembic (~0.35 s a process before); behind, alembic upgrades it."""
    store = open_store(empty_database_url)
    assert store.upgrade() == revisions(store.dialect)
    with store.engine.begin() as conn:  # one revision behind
        conn.execute(sa.text("UPDATE alembic_version SET version_num = :v"),
                     {"v": revisions(store.dialect)[-2]})
    assert store.pending_migrations() == revisions(store.dialect)[-1:]
    store.close()
    code = ("import sys; from frontoffice.storage import open_store; "
            f"s = open_store({empty_database_url!r}); print(s.upgrade(), s.upgrade(), "
            "'alembic' in sys.modules, s.pending_migrations()); s.close()")
    first = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert first.stdout.strip() == f"{revisions('sqlite')[-1:]} [] True []", first.stdout
    again = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert again.stdout.strip() == "[] [] False []", again.stdout
