"""The demo's console users: one per role, with a printed password (demo data only)."""

from __future__ import annotations

from frontoffice.console.roles import Role
from frontoffice.console.store import ConsoleStore
from frontoffice.console.users import create_user
from frontoffice.domain.events import now
from frontoffice.storage.sql import SqlStore

DEMO_PASSWORD = "demo-password-1"


def demo_login(role: Role) -> str:
    return f"demo-{role.value.replace('_', '-')}"


def ensure_demo_users(store: SqlStore, workspace_id: str) -> list[tuple[str, str, str]]:
    """``(role, login, password)`` of each demo user, created once (a rerun keeps them)."""
    users = ConsoleStore(store)
    for role in Role:
        if users.user(demo_login(role)) is None:
            locale = {Role.AGENT: "ja", Role.PRIVACY_OFFICER: "de"}.get(role)
            create_user(users, workspace_id, demo_login(role), role, DEMO_PASSWORD, locale=locale,
                        by="demo", at=now())
    return [(role.value, demo_login(role), DEMO_PASSWORD) for role in Role]
