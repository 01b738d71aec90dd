"""The console's store in SQLAlchemy Core (named columns): users, sessions, sign-in attempts,
audit rows."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from frontoffice.console.roles import Role
from frontoffice.console.tables import console_schema
from frontoffice.domain.events import iso
from frontoffice.domain.tenancy import Status
from frontoffice.errors import AlreadyExists
from frontoffice.storage.sql import SqlStore


@dataclass(frozen=True, slots=True)
class User:
    user_id: str
    workspace_id: str
    login: str
    display_name: str
    role: Role
    locale: str | None
    status: Status
    created_at: str
    created_by: str


@dataclass(frozen=True, slots=True)
class Session:
    user: User
    csrf: str
    last_seen_at: datetime


@dataclass(frozen=True, slots=True)
class AuditRow:
    id: int
    user_id: str
    action: str
    target: str
    at: str


def _user(r: sa.Row[Any]) -> User:
    return User(r.user_id, r.workspace_id, r.login, r.display_name, Role(r.role), r.locale,
                Status(r.status), r.created_at, r.created_by)


class ConsoleStore:
    def __init__(self, store: SqlStore) -> None:
        self._engine = store.engine
        tables = console_schema().tables
        self._users = tables["console_users"]
        self._sessions = tables["console_sessions"]
        self._logins = tables["console_logins"]
        self._audit = tables["console_audit"]

    # -- users ---------------------------------------------------------------------------
    def add_user(self, user: User, password_hash: str) -> None:
        try:
            with self._engine.begin() as conn:
                conn.execute(self._users.insert().values(
                    user_id=user.user_id, workspace_id=user.workspace_id, login=user.login,
                    display_name=user.display_name, role=user.role.value,
                    password_hash=password_hash, locale=user.locale, status=user.status.value,
                    created_at=user.created_at, created_by=user.created_by))
        except sa.exc.IntegrityError as exc:
            raise AlreadyExists(f"A user {user.login!r} already exists; pick another login.") from exc

    def user(self, login_or_id: str) -> tuple[User, str] | None:
        """The user and their password hash."""
        u = self._users.c
        with self._engine.connect() as conn:
            row = conn.execute(sa.select(self._users).where(
                sa.or_(u.login == login_or_id, u.user_id == login_or_id))).first()
        return None if row is None else (_user(row), row.password_hash)

    def users(self, workspace_id: str, text: str = "", offset: int = 0,
              limit: int = 50) -> tuple[list[User], int]:
        u = self._users.c
        where = [u.workspace_id == workspace_id]
        if text:
            where.append(sa.or_(u.login.contains(text, autoescape=True),
                                u.display_name.contains(text, autoescape=True)))
        with self._engine.connect() as conn:
            rows = conn.execute(sa.select(self._users).where(*where).order_by(u.login)
                                .offset(offset).limit(limit)).all()
            total = conn.execute(sa.select(sa.func.count()).select_from(self._users)
                                 .where(*where)).scalar_one()
        return [_user(r) for r in rows], int(total)

    def set_user(self, user_id: str, **values: str | None) -> None:
        with self._engine.begin() as conn:
            conn.execute(self._users.update().where(self._users.c.user_id == user_id).values(**values))

    # -- sessions ------------------------------------------------------------------------
    def add_session(self, session_hash: str, user_id: str, csrf: str, at: datetime) -> None:
        with self._engine.begin() as conn:
            conn.execute(self._sessions.insert().values(
                session_hash=session_hash, user_id=user_id, csrf=csrf, created_at=iso(at),
                last_seen_at=iso(at), revoked_at=None))

    def session(self, session_hash: str) -> Session | None:
        """A session not revoked, with its user (whatever the user's status)."""
        s, u = self._sessions.c, self._users.c
        with self._engine.connect() as conn:
            row = conn.execute(
                sa.select(self._users, s.csrf, s.last_seen_at)
                .join(self._sessions, s.user_id == u.user_id)
                .where(s.session_hash == session_hash, s.revoked_at.is_(None))).first()
        if row is None:
            return None
        return Session(_user(row), row.csrf, datetime.fromisoformat(row.last_seen_at))

    def touch_session(self, session_hash: str, at: datetime) -> None:
        with self._engine.begin() as conn:
            conn.execute(self._sessions.update().where(self._sessions.c.session_hash == session_hash)
                         .values(last_seen_at=iso(at)))

    def revoke_sessions(self, at: datetime, *, session_hash: str | None = None,
                        user_id: str | None = None) -> None:
        s = self._sessions.c
        which = s.session_hash == session_hash if session_hash is not None else s.user_id == user_id
        with self._engine.begin() as conn:
            conn.execute(self._sessions.update().where(which, s.revoked_at.is_(None))
                         .values(revoked_at=iso(at)))

    # -- sign-in attempts ----------------------------------------------------------------
    def add_login(self, login: str, ip: str, at: datetime, ok: bool) -> None:
        with self._engine.begin() as conn:
            conn.execute(self._logins.insert().values(login=login, ip=ip, at=iso(at), ok=int(ok)))

    def failures_since(self, since: datetime, *, login: str | None = None,
                       ip: str | None = None) -> list[str]:
        """Times of failed attempts since ``since`` for the login (or the address), oldest first."""
        c = self._logins.c
        which = c.login == login if login is not None else c.ip == ip
        with self._engine.connect() as conn:
            rows = conn.execute(sa.select(c.at).where(which, c.ok == 0, c.at >= iso(since))
                                .order_by(c.at)).all()
        return [r.at for r in rows]

    # -- audit ---------------------------------------------------------------------------
    def audit(self, workspace_id: str, user_id: str, action: str, target: str, at: datetime) -> None:
        with self._engine.begin() as conn:
            conn.execute(self._audit.insert().values(workspace_id=workspace_id, user_id=user_id,
                                                     action=action, target=target, at=iso(at)))

    def audit_rows(self, workspace_id: str, offset: int = 0, limit: int = 50,
                   actions: Sequence[str] = ()) -> tuple[list[AuditRow], int]:
        a = self._audit.c
        where = [a.workspace_id == workspace_id]
        if actions:
            where.append(a.action.in_(actions))
        with self._engine.connect() as conn:
            rows = conn.execute(sa.select(self._audit).where(*where).order_by(a.id.desc())
                                .offset(offset).limit(limit)).all()
            total = conn.execute(sa.select(sa.func.count()).select_from(self._audit)
                                 .where(*where)).scalar_one()
        return [AuditRow(r.id, r.user_id, r.action, r.target, r.at) for r in rows], int(total)
