"""The whole schema: every capability's tables, declared once in its own ``tables`` module.

A capability names the module that declares its tables (``Capability.schema``, a function
``define(metadata, dialect)``); ``schema(dialect)`` is all of them together, what the database
holds at the head revision. The few differences between SQLite and PostgreSQL are spelled where a
table is declared (``types``). One-column primary keys are nullable on SQLite because the .sql
migrations before alembic wrote them without ``NOT NULL`` (PostgreSQL implies it; SQLite does
not), and a database those made must equal one the baseline makes.
"""

from __future__ import annotations

import importlib
from functools import cache

import sqlalchemy as sa

from frontoffice import capabilities


@cache
def schema(dialect: str) -> sa.MetaData:
    """The tables of every capability for ``dialect`` ("sqlite" or "postgres"); built once, never
    changed (Core statements take their tables from it). A capability registered at run time
    after the first call is not in it."""
    metadata = sa.MetaData()
    for capability in capabilities.every():
        if capability.schema is not None:
            importlib.import_module(capability.schema).define(metadata, dialect)
    return metadata


def create(bind: sa.Connection, dialect: str, *names: str) -> None:
    """Create these tables as they are declared now: for the revision that adds a capability's
    new tables (a later change to them needs a revision of its own)."""
    metadata = schema(dialect)
    metadata.create_all(bind, tables=[metadata.tables[name] for name in names])
