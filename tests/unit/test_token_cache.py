"""API tokens answered from memory: the event loop asks the cache first (``remembered``) and
looks a token up in a thread only when the cache cannot answer; revoking one is seen at once."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from frontoffice.domain.tenancy import ApiToken, Scope, Status, hash_secret
from frontoffice.tenancy.tokens import ApiAuthError, TokenCache

ANN = ApiToken("tok_1", "ws1", "ann", frozenset({Scope.OUTBOUND_WRITE}), "fo_at_ann…",
               Status.ACTIVE, datetime(2026, 3, 1, tzinfo=UTC))


class Registry:
    """The database's tokens by secret hash, counting the lookups."""

    def __init__(self) -> None:
        self.tokens = {hash_secret("fo_at_ann"): ANN}
        self.lookups = 0

    def __call__(self, hashed: str) -> ApiToken | None:
        self.lookups += 1
        return self.tokens.get(hashed)


def test_a_token_is_answered_from_memory_only_once_looked_up_and_never_after_its_revocation() -> None:
    registry = Registry()
    cache = TokenCache(registry, ttl_seconds=60)
    assert cache.remembered("Bearer fo_at_ann") is None  # never looked up: a thread must ask
    assert registry.lookups == 0
    assert cache.authenticate("Bearer fo_at_ann") == ANN
    assert cache.remembered("Bearer fo_at_ann") == ANN
    assert registry.lookups == 1
    registry.tokens.clear()  # revoked (disabled or deleted) ...
    cache.invalidate()  # ... as the tokens API does
    assert cache.remembered("Bearer fo_at_ann") is None
    with pytest.raises(ApiAuthError, match="Unknown API token"):
        cache.authenticate("Bearer fo_at_ann")
    with pytest.raises(ApiAuthError, match="Unknown API token"):  # the miss is remembered too
        cache.remembered("Bearer fo_at_ann")


def test_a_token_the_cache_holds_past_its_ttl_is_looked_up_again() -> None:
    registry = Registry()
    cache = TokenCache(registry, ttl_seconds=0)
    cache.authenticate("Bearer fo_at_ann")
    assert cache.remembered("Bearer fo_at_ann") is None


def test_a_malformed_authorization_header_is_refused_without_a_lookup() -> None:
    registry = Registry()
    cache = TokenCache(registry, ttl_seconds=60)
    for header in (None, "", "Basic fo_at_ann", "Bearer  "):
        with pytest.raises(ApiAuthError, match="Send an API token"):
            cache.remembered(header)
    assert registry.lookups == 0
