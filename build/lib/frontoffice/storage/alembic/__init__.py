"""The alembic environment of frontoffice's schema, run by ``frontoffice.storage.migrate``."""
