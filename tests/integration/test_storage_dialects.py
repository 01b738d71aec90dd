"""Backend differences live in the dialect objects (storage/sqlite.py, storage/postgres.py).

The rest of frontoffice asks the store what it needs (a row lock, whether deleted rows linger,
the ingest lock file, the tables, the scrub procedure) instead of testing the backend's name.
"""

from __future__ import annotations

import re
from pathlib import Path

import sqlalchemy as sa

from frontoffice.storage import core
from frontoffice.storage.sql import SqlStore
from frontoffice.storage.tables import schema

SRC = Path(__file__).resolve().parents[2] / "src" / "frontoffice"
NAME_CHECK = re.compile(r"""dialect\s*[!=]=|startswith\(\s*["'](sqlite|postgres)""")


def test_no_module_outside_storage_tests_which_database_it_runs_on() -> None:
    offenders = [f"{path.relative_to(SRC)}:{n}: {line.strip()}"
                 for path in sorted(SRC.rglob("*.py"))
                 if "storage" not in path.relative_to(SRC).parts and path.name != "columns.py"
                 for n, line in enumerate(path.read_text().splitlines(), 1) if NAME_CHECK.search(line)]
    assert offenders == []


def test_each_backend_says_what_its_deleted_rows_and_appends_need(store: SqlStore) -> None:
    if store.dialect == "sqlite":
        assert store.secure_delete and store.row_lock == ""
        assert store.ingest_lock is not None and store.ingest_lock.name.endswith(".db.ingest-lock")
    else:
        assert not store.secure_delete and store.row_lock == " FOR UPDATE"
        assert store.ingest_lock is None


def test_the_store_lists_its_tables_and_scrubs_those_that_exist(store: SqlStore) -> None:
    assert {"events", "workspaces", "privacy_subject_keys"} <= store.table_names()
    done = store.scrub(["events", "no_such_table"])
    assert done.steps
    assert not any("no_such_table" in step for step in done.steps)


def test_a_statement_run_for_many_rows_through_the_driver_writes_what_sqlalchemy_would(
        store: SqlStore) -> None:
    t = schema(store.dialect).tables
    history, facts = t["segments_history"], t["segments_facts"]
    rows = [{"workspace_id": "w", "person_id": f"p{i}", "segment": "s", "version": 1, "change": "entered",
             "at": "2026-12-07T00:00:00Z", "cause": "c", "why": "w"} for i in range(3)]
    kept = [{"workspace_id": "w", "person_id": "p0", "key": key, "value": "1"}
            for key in ("predicted:x", "predicted%x", "trait:y")]
    with store.begin() as conn:
        core.execute_many(conn, history.insert(), rows)  # the id is the table's own
        core.execute_many(conn, facts.insert(), kept)
        core.execute_many(conn, facts.delete().where(  # a bound name per row beside a fixed pattern
            facts.c.person_id == sa.bindparam("who"), facts.c.key.startswith("predicted%", autoescape=True)),
            [{"who": "p0"}, {"who": "p1"}])
        ids = conn.execute(sa.select(history.c.id).order_by(history.c.id)).scalars().all()
        left = conn.execute(sa.select(facts.c.key).order_by(facts.c.key)).scalars().all()
    assert len(set(ids)) == 3 and all(isinstance(i, int) for i in ids)
    assert left == ["predicted:x", "trait:y"]
