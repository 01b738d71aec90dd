"""Creating, listing and disabling workspaces, sources and API tokens."""

from __future__ import annotations

from datetime import UTC, datetime

from frontoffice.domain.tenancy import (
    TOKEN_PREFIX,
    WRITE_KEY_PREFIX,
    ApiToken,
    Source,
    Status,
    Workspace,
    check_name,
    check_write_key,
    hash_secret,
    hint,
    new_id,
    new_secret,
    parse_channel,
    parse_scopes,
    parse_trust,
)
from frontoffice.errors import AlreadyExists, InvalidInput, NotFound
from frontoffice.storage.port import Store

REGIONS = ("EU", "US", "US-CA", "BR", "JP", "KR", "CN", "RU", "GLOBAL")


def _now() -> datetime:
    return datetime.now(UTC)


def require_workspace(store: Store, id_or_name: str) -> Workspace:
    workspace = store.workspace(id_or_name)
    if workspace is None:
        raise NotFound(
            f"No workspace {id_or_name!r}. List them with `frontoffice workspace list` or create "
            f"one with `frontoffice workspace create {id_or_name}`."
        )
    return workspace


def create_workspace(store: Store, name: str, region: str = "GLOBAL") -> Workspace:
    check_name("Workspace", name)
    region = region.upper()
    if region not in REGIONS:
        raise InvalidInput(f"Unknown region {region!r}; use one of: {', '.join(REGIONS)}.")
    if store.workspace(name) is not None:
        raise AlreadyExists(f"Workspace {name!r} already exists.")
    workspace = Workspace(new_id(), name, region, Status.ACTIVE, _now())
    store.add_workspace(workspace)
    return workspace


def ensure_workspace(store: Store, name: str, region: str = "GLOBAL") -> Workspace:
    return store.workspace(name) or create_workspace(store, name, region)


def create_source(
    store: Store, workspace_id: str, name: str, channel: str, write_key: str | None = None,
    trust: str | None = None,
) -> tuple[Source, str]:
    """Returns the source and its write key; the key is stored hashed and shown only once.

    ``write_key`` lets a brand keep the key its SDKs already use (moving from Segment). ``trust``
    ('client' or 'server') defaults to the channel's: web, app, chat and social keys are public.
    """
    check_name("Source", name)
    parsed = parse_channel(channel)
    level = parse_trust(trust, parsed)
    if store.source(workspace_id, name) is not None:
        raise AlreadyExists(f"Source {name!r} already exists in this workspace.")
    secret = new_secret(WRITE_KEY_PREFIX) if write_key is None else check_write_key(write_key)
    if store.source_for_key(hash_secret(secret)) is not None:
        # the same answer whichever workspace holds it: a refusal must not tell who is a tenant
        raise InvalidInput("This write key cannot be used; choose another one, or omit write_key "
                           "to get a generated one.")
    source = Source(new_id(), workspace_id, name, parsed, hint(secret), Status.ACTIVE, _now(), level)
    store.add_source(source, hash_secret(secret))
    return source, secret


def create_token(
    store: Store, workspace_id: str | None, name: str, scopes: list[str],
    secret: str | None = None,
) -> tuple[ApiToken, str]:
    """``secret`` fixes the token's value (the demo's well-known reader token)."""
    check_name("Token", name)
    parsed = parse_scopes(scopes, instance=workspace_id is None)
    if secret is not None and len(secret) < 16:
        raise InvalidInput("An API token must be at least 16 characters long.")
    secret = secret or new_secret(TOKEN_PREFIX)
    token = ApiToken(new_id(), workspace_id, name, parsed, hint(secret), Status.ACTIVE, _now())
    store.add_token(token, hash_secret(secret))
    return token, secret


def require_source(store: Store, workspace_id: str, id_or_name: str) -> Source:
    source = None if "\x00" in id_or_name else store.source(workspace_id, id_or_name)
    if source is None:
        raise NotFound(
            f"No source {id_or_name!r} in this workspace; list them with `frontoffice source list`."
        )
    return source


def disable_source(store: Store, workspace_id: str, id_or_name: str) -> Source:
    source = require_source(store, workspace_id, id_or_name)
    store.set_source_status(workspace_id, source.id, Status.DISABLED)
    return source


def disable_token(store: Store, workspace_id: str | None, token_id: str) -> None:
    matches = [t for t in store.tokens(workspace_id) if token_id in {t.id, t.name}]
    if not matches:
        raise NotFound(f"No API token {token_id!r}; list them with `frontoffice token list`.")
    store.set_token_status(matches[0].id, Status.DISABLED)
