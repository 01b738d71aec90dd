"""Backend differences live in the dialect objects (storage/sqlite.py, storage/postgres.py).

The rest of frontoffice asks the store what it needs (a row lock, whether deleted rows linger,
the ingest lock file, the tables, the scrub procedure) instead of testing the backend's name.
"""

from __future__ import annotations

import re
from pathlib import Path

from frontoffice.storage.sql import SqlStore

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
