"""Alembic revisions, oldest first; each written once for SQLite and PostgreSQL."""
