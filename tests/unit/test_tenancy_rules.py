"""Scope and write-key rules of the tenancy domain, without a database."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from frontoffice.demo.tenant import SOURCES, write_key
from frontoffice.domain.tenancy import (
    WRITE_KEY_PREFIX,
    ApiToken,
    Scope,
    Status,
    check_write_key,
    new_secret,
    ungrantable,
)
from frontoffice.errors import InvalidInput

scopes = st.frozensets(st.sampled_from(list(Scope)))


def _token(held: frozenset[Scope]) -> ApiToken:
    return ApiToken("t1", "w1", "granter", held, "fo_at_…", Status.ACTIVE, datetime.now(UTC))


@given(held=scopes, requested=scopes)
def test_a_token_may_grant_exactly_the_scopes_it_holds(held: frozenset[Scope],
                                                       requested: frozenset[Scope]) -> None:
    refused = ungrantable(_token(held), requested)
    assert refused == requested - held


def test_generated_and_demo_write_keys_are_in_the_documented_format() -> None:
    for key in [new_secret(WRITE_KEY_PREFIX) for _ in range(100)] + [write_key(s) for s in SOURCES]:
        assert check_write_key(key) == key


@given(st.text(min_size=16, max_size=40).filter(lambda k: any(c.isspace() or c == ":" for c in k)))
def test_a_write_key_with_whitespace_or_a_colon_is_refused(key: str) -> None:
    with pytest.raises(InvalidInput, match="A write key must be"):
        check_write_key(key)
