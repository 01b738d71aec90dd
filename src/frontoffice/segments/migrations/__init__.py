"""Segments' alembic revision (after the console's)."""
