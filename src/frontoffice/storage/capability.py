"""The database itself: which migrations are applied."""

from __future__ import annotations

from frontoffice.capability import Capability

CAPABILITY = Capability(name="storage", tables=("schema_migrations",))
