"""The decisions capability's alembic revisions."""
