"""The database itself: which alembic revision its schema is at."""

from __future__ import annotations

from frontoffice.capability import Capability

CAPABILITY = Capability(name="storage", tables=("alembic_version",))
