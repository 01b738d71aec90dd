"""Console users: create, disable, sign in (throttled), sessions with an idle timeout.

Passwords are hashed with argon2id (argon2-cffi's defaults, rehashed when they change). A
session is a 256-bit random token in an HttpOnly cookie; the database keeps only its SHA-256,
so a leaked table opens no session, and signing out or disabling a user revokes the row at once.
Each session carries its CSRF token, which every form and htmx request sends back.
"""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from frontoffice.console.roles import Role, grantable
from frontoffice.console.store import ConsoleStore, Session, User
from frontoffice.domain.events import iso
from frontoffice.domain.tenancy import Status, check_name, hash_secret, new_id
from frontoffice.errors import FrontofficeError, InvalidInput, NotFound
from frontoffice.settings import Settings

_HASHER = PasswordHasher()
MIN_PASSWORD = 12


@cache
def _dummy() -> str:
    """A hash to verify against when the login is unknown (same time as a known one); made on the
    first sign-in, not at import: hashing costs ~0.3 s, which every CLI command would pay."""
    return _HASHER.hash("not a password of anyone")


class SignInRefused(FrontofficeError):
    """Wrong login or password, or a disabled user: one answer for all, so logins cannot be probed."""

    code = "sign_in_refused"
    status = 401


class Throttled(FrontofficeError):
    code = "throttled"
    status = 429

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


@dataclass(frozen=True, slots=True)
class Opened:
    token: str  # the cookie's value; only its hash is stored
    session: Session


def hash_password(password: str) -> str:
    if len(password) < MIN_PASSWORD:
        raise InvalidInput(f"A console password needs at least {MIN_PASSWORD} characters; this one "
                           f"has {len(password)}.")
    return _HASHER.hash(password)


def create_user(store: ConsoleStore, workspace_id: str, login: str, role: Role, password: str, *,
                display_name: str = "", locale: str | None = None, by: str, at: datetime,
                granter: Role | None = None) -> User:
    """A new active user. ``granter``: the role of the console user creating it (None: the CLI,
    an operator of the instance), who may only give a role whose scopes they hold."""
    check_name("login", login)
    if granter is not None and not grantable(granter, role):
        raise InvalidInput(f"A {granter.value} cannot create a {role.value}: that role holds scopes "
                           "yours does not.")
    user = User(new_id(), workspace_id, login, display_name or login, role, locale, Status.ACTIVE,
                iso(at), by)
    store.add_user(user, hash_password(password))
    return user


def disable_user(store: ConsoleStore, login_or_id: str, at: datetime) -> User:
    found = store.user(login_or_id)
    if found is None:
        raise NotFound(f"No console user {login_or_id!r}; `frontoffice user list -w WORKSPACE` lists them.")
    user = found[0]
    store.set_user(user.user_id, status=Status.DISABLED.value)
    store.revoke_sessions(at, user_id=user.user_id)
    return replace(user, status=Status.DISABLED)


def _check_throttle(store: ConsoleStore, settings: Settings, login: str, ip: str, at: datetime) -> None:
    window = timedelta(minutes=settings.console_login_window_minutes)
    checks = ((store.failures_since(at - window, login=login), settings.console_login_failures,
               "for this login"),
              (store.failures_since(at - window, ip=ip), settings.console_login_failures_per_ip,
               "from your address"))
    for failures, limit, where in checks:
        if len(failures) >= limit:
            oldest = datetime.fromisoformat(failures[-limit])
            wait = max(1, int((oldest + window - at).total_seconds()) + 1)
            raise Throttled(f"Too many failed sign-ins {where} ({len(failures)} in the last "
                            f"{settings.console_login_window_minutes} minutes). Try again in "
                            f"{(wait + 59) // 60} minute(s), or ask an admin to reset your password.",
                            wait)


def sign_in(store: ConsoleStore, settings: Settings, login: str, password: str, ip: str,
            at: datetime) -> Opened:
    _check_throttle(store, settings, login, ip, at)
    found = store.user(login) if login else None
    try:
        _HASHER.verify(found[1] if found else _dummy(), password)
        ok = found is not None and found[0].status is Status.ACTIVE and found[0].login == login
    except (VerificationError, InvalidHashError):
        ok = False
    store.add_login(login, ip, at, ok)
    if not ok or found is None:
        raise SignInRefused("Wrong login or password (or the user is disabled).")
    user, stored = found
    if _HASHER.check_needs_rehash(stored):
        store.set_user(user.user_id, password_hash=_HASHER.hash(password))
    token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    store.add_session(hash_secret(token), user.user_id, csrf, at)
    return Opened(token, Session(user, csrf, at))


def current(store: ConsoleStore, settings: Settings, token: str | None, at: datetime) -> Session | None:
    """The session of the cookie, if it is live: not revoked, not idle too long, its user active.
    An idle session is revoked here."""
    if not token:
        return None
    key = hash_secret(token)
    session = store.session(key)
    if session is None or session.user.status is not Status.ACTIVE:
        return None
    if at - session.last_seen_at > timedelta(minutes=settings.console_idle_minutes):
        store.revoke_sessions(at, session_hash=key)
        return None
    if (at - session.last_seen_at).total_seconds() > 30:  # one write a half-minute, not per page
        store.touch_session(key, at)
    return session


def sign_out(store: ConsoleStore, token: str | None, at: datetime) -> None:
    if token:
        store.revoke_sessions(at, session_hash=hash_secret(token))


def csrf_ok(expected: str, sent: str | None) -> bool:
    return bool(sent) and hmac.compare_digest(expected.encode(), (sent or "").encode())
