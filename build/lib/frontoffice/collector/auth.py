"""Write-key authentication in every form the Segment and RudderStack clients use.

Accepted: ``Authorization: Basic base64(writeKey:)`` (with or without the colon), a
``writeKey`` in the JSON body with no header (segment-analytics-python >= 2.3), and a Bearer
token together with the body's write key (Segment's OAuth mode: the bearer is issued by an
authorisation server frontoffice does not run, so the write key is what identifies the source).
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable
from dataclasses import dataclass

from frontoffice.cache import TtlLookup
from frontoffice.domain.tenancy import Source, Status, Workspace, hash_secret


@dataclass(frozen=True, slots=True)
class AuthFailure:
    message: str


def write_key_from(authorization: str | None, body_key: object) -> str | AuthFailure:
    header_key: str | None = None
    if authorization:
        scheme, _, value = authorization.strip().partition(" ")
        if scheme.lower() == "basic":
            try:
                decoded = base64.b64decode(value.strip(), validate=True).decode("utf-8")
            except (binascii.Error, UnicodeDecodeError):
                return AuthFailure("Authorization header is not valid Basic credentials.")
            header_key = decoded.split(":", 1)[0]
        elif scheme.lower() != "bearer":
            return AuthFailure(f"Authorization scheme {scheme!r} is not supported; use Basic.")
    if body_key is not None and not isinstance(body_key, str):
        return AuthFailure("writeKey in the body must be a string.")
    if header_key and body_key and header_key != body_key:
        return AuthFailure("The write key in the Authorization header and the body differ.")
    key = header_key or body_key
    if not key:
        return AuthFailure(
            "No write key: send Authorization: Basic base64(writeKey:) or writeKey in the body."
        )
    return key


class KeyCache:
    """Write key -> (source, workspace), cached for a few seconds per process."""

    def __init__(self, lookup: Callable[[str], tuple[Source, Workspace] | None],
                 ttl_seconds: float) -> None:
        self._cache: TtlLookup[str, tuple[Source, Workspace] | None] = TtlLookup(
            lookup, ttl_seconds, max_entries=100_000)

    def resolve(self, write_key: str) -> tuple[Source, Workspace] | AuthFailure:
        found = self._cache.get(hash_secret(write_key))
        if found is None:
            return AuthFailure("Unknown write key.")
        source, workspace = found
        if source.status is not Status.ACTIVE:
            return AuthFailure(f"Source {source.name!r} is disabled.")
        if workspace.status is not Status.ACTIVE:
            return AuthFailure(f"Workspace {workspace.name!r} is disabled.")
        return source, workspace

    def invalidate(self) -> None:
        self._cache.invalidate()
