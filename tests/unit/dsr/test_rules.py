"""The pure DSR rules: deadlines per pack, masking, tokens, request details."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from frontoffice.consent.packs import load_packs
from frontoffice.dsr.deadlines import add_days, due_date, extended_due_date
from frontoffice.dsr.masking import keyed_hash, mask
from frontoffice.dsr.model import DsrError, Kind, VerificationFailed
from frontoffice.dsr.options import DEFAULT_OBJECTION, restricted_purposes, validate_details
from frontoffice.dsr.tokens import StoredToken, check, new_token, token_hash

FRIDAY = datetime(2026, 11, 27, 17, 0, tzinfo=UTC)


def test_business_days_skip_the_weekend() -> None:
    assert add_days(FRIDAY, 1, business=True) == FRIDAY + timedelta(days=3)  # Monday
    assert add_days(FRIDAY, 5, business=True) == FRIDAY + timedelta(days=7)
    assert add_days(FRIDAY, 1, business=False) == FRIDAY + timedelta(days=1)


def test_each_pack_sets_its_own_deadline() -> None:
    packs = load_packs()
    assert due_date(FRIDAY, packs["EU"].dsr) == FRIDAY + timedelta(days=30)
    assert due_date(FRIDAY, packs["RU"].dsr) == FRIDAY + timedelta(days=14)  # 10 working days
    assert due_date(FRIDAY, packs["KR"].dsr) == FRIDAY + timedelta(days=10)
    assert due_date(FRIDAY, packs["STRICTEST"].dsr) == FRIDAY + timedelta(days=10)


def test_an_extension_needs_a_reason_a_pack_that_allows_it_and_happens_once() -> None:
    eu, kr, ru = (load_packs()[r].dsr for r in ("EU", "KR", "RU"))
    assert extended_due_date(FRIDAY, eu, "EU", "complex", False) == FRIDAY + timedelta(days=60)
    assert extended_due_date(FRIDAY, ru, "RU", "reasoned notice sent", False) == FRIDAY + timedelta(days=7)
    with pytest.raises(DsrError, match="no extension"):
        extended_due_date(FRIDAY, kr, "KR", "busy", False)
    with pytest.raises(DsrError, match="already extended"):
        extended_due_date(FRIDAY, eu, "EU", "again", True)
    with pytest.raises(DsrError, match="needs a reason"):
        extended_due_date(FRIDAY, eu, "EU", "  ", False)


def test_masks_keep_too_little_to_identify_anyone() -> None:
    assert mask("email", "ann.meier@mailbox.org") == "a***@m***.org"
    assert mask("phone", "+4915123456789") == "+49*********89"
    assert mask("user_id", "cus_123") == "cu***"
    assert keyed_hash("email", "a@b.de", b"s" * 32) != keyed_hash("email", "a@b.de", b"t" * 32)


def _stored(token: str, *, attempts: int = 0, used: bool = False) -> StoredToken:
    return StoredToken(token_hash("dsr_1", token), FRIDAY + timedelta(minutes=30), attempts,
                       FRIDAY if used else None)


def test_a_token_is_checked_for_use_attempts_expiry_and_value_in_that_order() -> None:
    token = new_token()
    assert len(token) == 10 and token != new_token()
    check(_stored(token), "dsr_1", token.lower(), FRIDAY, 5)  # case and spacing do not matter
    for stored, now, why in ((None, FRIDAY, "No token"), (_stored(token, used=True), FRIDAY, "already used"),
                             (_stored(token, attempts=5), FRIDAY, "Too many"),
                             (_stored(token), FRIDAY + timedelta(hours=1), "expired"),
                             (_stored(token), FRIDAY, "Wrong token; 4")):
        given = token if why != "Wrong token; 4" else "XXXXXXXXXX"
        with pytest.raises(VerificationFailed, match=why):
            check(stored, "dsr_1", given, now, 5)
    with pytest.raises(VerificationFailed, match="Wrong token"):
        check(_stored(token), "dsr_2", token, FRIDAY, 5)  # a token belongs to its request


def test_request_details_are_checked_per_kind() -> None:
    assert validate_details(Kind.RECTIFICATION, {"traits": {"lastName": "Maier"}}) == {
        "traits": {"lastName": "Maier"}}
    with pytest.raises(DsrError, match="rectifiable"):
        validate_details(Kind.RECTIFICATION, {"traits": {"loyaltyTier": "gold"}})
    with pytest.raises(DsrError, match="'address' must be"):
        validate_details(Kind.RECTIFICATION, {"traits": {"address": {"planet": "Mars"}}})
    assert validate_details(Kind.OBJECTION, {}) == {"purposes": sorted(DEFAULT_OBJECTION)}
    with pytest.raises(DsrError, match="Cannot object to essential"):
        validate_details(Kind.OBJECTION, {"purposes": ["essential"]})
    with pytest.raises(DsrError, match="takes no details"):
        validate_details(Kind.ERASURE, {"traits": {"lastName": "x"}})
    assert "essential" not in restricted_purposes() and "marketing_email" in restricted_purposes()
