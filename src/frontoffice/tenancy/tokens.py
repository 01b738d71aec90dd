"""Admin API token authentication (``Authorization: Bearer fo_at_...``) and scope checks."""

from __future__ import annotations

from collections.abc import Callable

from frontoffice.cache import TtlLookup
from frontoffice.domain.tenancy import ApiToken, Scope, hash_secret
from frontoffice.errors import FrontofficeError


class ApiAuthError(FrontofficeError):
    """A refused token or scope; the status (401, 403, 404) is chosen where it is raised."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message


class TokenCache:
    def __init__(self, lookup: Callable[[str], ApiToken | None], ttl_seconds: float) -> None:
        self._cache: TtlLookup[str, ApiToken | None] = TtlLookup(lookup, ttl_seconds,
                                                                 max_entries=10_000)

    def token(self, secret: str) -> ApiToken | None:
        return self._cache.get(hash_secret(secret))

    def invalidate(self) -> None:
        self._cache.invalidate()

    def authenticate(self, authorization: str | None) -> ApiToken:
        return _known(self.token(_secret(authorization)))

    def remembered(self, authorization: str | None) -> ApiToken | None:
        """``authenticate`` answered from memory (raising as it does), or None when that would
        read the database: what an event loop may ask without a thread. A revoked token is
        refused as soon as ``authenticate`` would refuse it (``invalidate`` empties the cache)."""
        hit = self._cache.peek(hash_secret(_secret(authorization)))
        return None if hit is None else _known(hit[0])


def _secret(authorization: str | None) -> str:
    scheme, _, secret = (authorization or "").strip().partition(" ")
    if scheme.lower() != "bearer" or not secret.strip():
        raise ApiAuthError(401, "unauthorized",
                           "Send an API token as 'Authorization: Bearer <token>'; create one "
                           "with `frontoffice token create`.")
    return secret.strip()


def _known(token: ApiToken | None) -> ApiToken:
    if token is None:
        raise ApiAuthError(401, "unauthorized", "Unknown API token.")
    return token


def check_scope(token: ApiToken, scope: Scope, workspace_id: str | None) -> ApiToken:
    """``token`` if it is active and holds ``scope`` on ``workspace_id`` (None: the instance)."""
    if not token.allows(scope, workspace_id):
        if scope in token.scopes and token.workspace_id not in (None, workspace_id):
            raise ApiAuthError(403, "forbidden", "This token belongs to another workspace.")
        raise ApiAuthError(403, "forbidden",
                           f"This token is disabled or lacks the '{scope.value}' scope.")
    return token
