"""Storage adapters behind the ``Store`` port."""

from __future__ import annotations

from pathlib import Path

from frontoffice.errors import ConfigError
from frontoffice.settings import Settings
from frontoffice.storage.sql import SqlStore

SQLITE_URL = "sqlite:///"
POSTGRES_URLS = ("postgresql://", "postgres://")
URL_PREFIXES = (SQLITE_URL, *POSTGRES_URLS)  # the database URLs open_store accepts


def open_store(url: str, *, server: bool = False) -> SqlStore:
    """``sqlite:///path/file.db`` or ``postgresql://...``; PostgreSQL is imported lazily.

    ``server=True`` tunes for a long-running process (SQLite: checkpoints in the background).
    """
    if url.startswith(SQLITE_URL):
        from frontoffice.storage.sqlite import open_sqlite

        return open_sqlite(Path(url.removeprefix(SQLITE_URL)), background_checkpoints=server)
    if url.startswith(POSTGRES_URLS):
        from frontoffice.storage.postgres import open_postgres

        return open_postgres(url)
    raise ConfigError(
        f"Database URL {url!r} is not supported: use sqlite:///path/to/file.db "
        "or postgresql://user@host:port/dbname."
    )


def open_configured_store(settings: Settings, *, upgrade: bool | None = None,
                          server: bool = False) -> SqlStore:
    store = open_store(settings.resolved_database_url, server=server)
    store.use_master_key(settings.master_key)
    if settings.auto_upgrade if upgrade is None else upgrade:
        store.upgrade()
    else:
        store.require_current_schema()
    return store
