"""Brings a database to the head alembic revision; adopts databases made before alembic.

Revisions live in ``frontoffice/storage/alembic/versions`` (the baseline) and in each
capability's ``migrations`` folder (``Capability.migrations``), one history, and are run
programmatically on the store's engine. A database made by the .sql migrations of earlier versions (its
``schema_migrations`` table lists all of them) is stamped at the baseline, which describes
exactly that schema, and its ``schema_migrations`` table dropped; one made by the last release of
that era (up to 0012) first gets the .sql era's later steps (``_BRIDGE``).
"""

from __future__ import annotations

import re
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

import sqlalchemy as sa

from frontoffice import capabilities
from frontoffice.errors import SchemaOutOfDate

if TYPE_CHECKING:  # alembic (with mako and pygments) is imported when a schema is checked, not by
    from alembic.config import Config  # every process that opens a store (~0.3 s each)

BASELINE = "0001_baseline"
LEGACY_MIGRATIONS = (
    "0001_event_log", "0002_identity", "0003_commerce", "0004_consent", "0005_privacy", "0006_dsr",
    "0007_destinations", "0008_identity_review", "0009_consent_merge", "0010_key_epochs",
    "0011_events_dedupe", "0012_subject_keys_appended", "0013_source_trust",
)
"""What ``schema_migrations`` lists in a database made before alembic; the baseline equals it."""
_LEGACY_TABLE = "schema_migrations"


def _locations() -> list[str]:
    """Where revisions live: the baseline's folder, and each capability's ``migrations`` folder."""
    found = [str(resources.files("frontoffice.storage") / "alembic" / "versions")]
    for capability in capabilities.every():
        if capability.migrations is not None:
            found.append(str(resources.files(capability.migrations) / "migrations"))
    return found


def _config(dialect: str, connection: sa.Connection | None = None) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", "frontoffice.storage:alembic")
    config.set_main_option("path_separator", "space")
    config.set_main_option("version_locations", " ".join(_locations()))
    config.attributes["dialect"] = dialect
    config.attributes["connection"] = connection
    return config


def revisions(dialect: str) -> list[str]:
    """Every revision, oldest first."""
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(_config(dialect))
    return [rev.revision for rev in reversed(list(script.walk_revisions()))]


# Steps of the .sql era newer than the last release made with it (0012): a database made by
# that release gets them here, before it is stamped at the baseline. Portable SQL, one text for
# both dialects.
_BRIDGE: dict[str, tuple[str, ...]] = {
    "0013_source_trust": (
        # web, app, chat and social keys ship to browsers and devices: their sources are
        # client-side; the workspace's own DSR source (nobody knows its key) is server-side
        "ALTER TABLE sources ADD COLUMN trust TEXT NOT NULL DEFAULT 'client'",
        "UPDATE sources SET trust = 'server' "
        "WHERE channel NOT IN ('web', 'app', 'social', 'chat') OR name = 'frontoffice-dsr'",
    ),
}


def _legacy(conn: sa.Connection) -> list[str] | None:
    """None for a database not made by the .sql migrations (or already stamped); else the bridge
    steps it still needs before it equals the baseline (refused when it needs more)."""
    if not sa.inspect(conn).has_table(_LEGACY_TABLE):
        return None
    applied = {row[0] for row in conn.execute(sa.text(f"SELECT name FROM {_LEGACY_TABLE}"))}
    missing = [name for name in LEGACY_MIGRATIONS if name not in applied]
    if any(name not in _BRIDGE for name in missing):
        raise SchemaOutOfDate(
            f"The database was made by an old frontoffice and misses its migrations {', '.join(missing)}. "
            "Run `frontoffice db upgrade` with a frontoffice from before alembic (commit 6b1ea6d "
            "or later, before 0001_baseline) first, then with this one."
        )
    return missing


_REVISION = re.compile(r'^revision(?:: *str)? *= *"([^"]+)"', re.M)
_DOWN = re.compile(r'^down_revision(?:: *[^=]+)? *= *(?:"([^"]+)"|None)', re.M)


def head_as_written() -> str | None:
    """The head revision read from the revision files' text (``revision = "…"``,
    ``down_revision = "…"``), without alembic; None when a file does not say both plainly or the
    history is not one line (then only alembic can tell)."""
    links: dict[str, str | None] = {}
    for folder in _locations():
        for path in sorted(Path(folder).glob("*.py")):
            if path.name == "__init__.py":
                continue
            text = path.read_text(encoding="utf-8")
            rev, down = _REVISION.search(text), _DOWN.search(text)
            if rev is None or down is None:
                return None
            links[rev[1]] = down[1]
    heads = set(links) - {down for down in links.values() if down is not None}
    return heads.pop() if len(heads) == 1 else None


def _current(engine: sa.Engine) -> str | None:
    """The revision ``alembic_version`` holds (None: no such table, or not one row)."""
    with engine.connect() as conn:
        if not sa.inspect(conn).has_table("alembic_version"):
            return None
        rows = conn.execute(sa.text("SELECT version_num FROM alembic_version")).all()
    return str(rows[0][0]) if len(rows) == 1 else None


def pending(engine: sa.Engine, dialect: str) -> list[str]:
    """The revisions ``upgrade`` would apply, oldest first (for a database made before alembic,
    the baseline is among them: it is stamped, not run). A database at the head revision is told
    from the revision files' text and its ``alembic_version`` row: every process opening a store
    checks its schema, and alembic's own answer costs ~0.35 s (importing it, reading every revision
    module)."""
    head = head_as_written()
    if head is not None and _current(engine) == head:
        return []
    from alembic.runtime.migration import MigrationContext

    order = revisions(dialect)
    with engine.connect() as conn:
        current = MigrationContext.configure(conn).get_current_revision()
        if current is None and _legacy(conn) is not None:
            return order
    return order if current is None else order[order.index(current) + 1:]


def applied(engine: sa.Engine, dialect: str) -> int:
    """How many revisions the database is at (0: empty)."""
    return len(revisions(dialect)) - len(pending(engine, dialect))


def upgrade(engine: sa.Engine, dialect: str) -> list[str]:
    """Apply every pending revision in one transaction; the revisions applied, oldest first."""
    todo = pending(engine, dialect)
    if not todo:
        return []
    from alembic import command
    from alembic.runtime.migration import MigrationContext

    with engine.execution_options(write=True).begin() as conn:
        config = _config(dialect, conn)
        bridge = _legacy(conn) if MigrationContext.configure(conn).get_current_revision() is None else None
        if bridge is not None:
            for name in bridge:
                for statement in _BRIDGE[name]:
                    conn.execute(sa.text(statement))
            command.stamp(config, BASELINE)
            conn.execute(sa.text(f"DROP TABLE {_LEGACY_TABLE}"))
        command.upgrade(config, "head")
    return todo
