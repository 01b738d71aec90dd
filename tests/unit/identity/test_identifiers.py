"""Deterministic identifiers: one comparable form per real identifier, and a reason for the rest."""

from __future__ import annotations

import dataclasses
import hashlib

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from frontoffice.normalise import (
    Invalid,
    Kind,
    Normalised,
    Reason,
    email_sha256_keys,
    normalise_anonymous_id,
    normalise_device_id,
    normalise_email,
    normalise_loyalty_id,
    normalise_marketplace_buyer_id,
    normalise_national_id,
    normalise_order_ref,
    normalise_phone,
    normalise_sha256,
    normalise_user_id,
    phone_sha256_keys,
    sha256_hex,
)
from frontoffice.normalise.email_rules import EmailRules, ProviderRule
from frontoffice.normalise.generic import DEFAULT_GENERIC_RULES


@pytest.mark.parametrize(
    ("raw", "mailbox"),
    [
        (" Anna.Schmidt@Web.DE ", "anna.schmidt@web.de"),
        ("A.B+shop@GMail.com", "ab@gmail.com"),
        ("a.b@googlemail.com", "ab@gmail.com"),
        ("anna+news@outlook.com", "anna@outlook.com"),
        ("anna.s+news@hotmail.de", "anna.s@hotmail.de"),
        ("kim@me.com", "kim@icloud.com"),
        ("Ivan-Petrov+1@ya.ru", "ivan.petrov@yandex.ru"),
        ("ivan.petrov@yandex.com", "ivan.petrov@yandex.ru"),
        ("user+tag@unknown-provider.de", "user+tag@unknown-provider.de"),
        ("yamada.taro@docomo.ne.jp", "yamada.taro@docomo.ne.jp"),
        ("minjun@naver.com", "minjun@naver.com"),
        ("wangwei@qq.com", "wangwei@qq.com"),
        ("user@пример.рф", "user@пример.рф"),
    ],
)
def test_an_email_becomes_the_mailbox_it_reaches(raw: str, mailbox: str) -> None:
    assert normalise_email(raw) == Normalised(Kind.EMAIL, mailbox)


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("", Reason.EMPTY),
        ("   ", Reason.EMPTY),
        ("no-at-sign.example.de", Reason.SYNTAX),
        ("bad@@shop.de", Reason.SYNTAX),
        ("anna@shop", Reason.SYNTAX),
        ("a b@shop.de", Reason.SYNTAX),
        ("+only-a-tag@gmail.com", Reason.SYNTAX),
        ("a***@relay.bazaar.example", Reason.MASKED),
        ("a***z@gmail.com", Reason.MASKED),
        ("kxxxxxx@relay.shopmall.com", Reason.MASKED),
        ("test@test.com", Reason.GENERIC),
        ("noreply@shop.de", Reason.GENERIC),
        ("no-reply@brand.co.jp", Reason.GENERIC),
        ("anna@example.com", Reason.GENERIC),
        ("anna@mail.example.org", Reason.GENERIC),
        ("anna@shop.test", Reason.GENERIC),
        ("unknown@gmail.com", Reason.GENERIC),
        ("t.e.s.t@gmail.com", Reason.GENERIC),
        ("n/a@shop.de", Reason.GENERIC),
    ],
)
def test_unusable_emails_say_why(raw: str, reason: Reason) -> None:
    result = normalise_email(raw)
    assert isinstance(result, Invalid)
    assert (result.kind, result.raw, result.reason) == (Kind.EMAIL, raw, reason)
    assert result.detail


def test_provider_rules_are_data_a_deployment_can_replace() -> None:
    rules = EmailRules(providers=(ProviderRule(("corp.brand.de",), tag_separator="-", ignored="_"),))
    generic = dataclasses.replace(DEFAULT_GENERIC_RULES, email_domains=frozenset({"corp.brand.de"}))
    assert normalise_email("a_b-x@corp.brand.de", rules) == Normalised(Kind.EMAIL, "ab@corp.brand.de")
    assert normalise_email("a.b+x@gmail.com", rules) == Normalised(Kind.EMAIL, "a.b+x@gmail.com")
    own_test_domain = normalise_email("anna@corp.brand.de", rules, generic)
    assert isinstance(own_test_domain, Invalid)
    assert own_test_domain.reason == Reason.GENERIC


@pytest.mark.parametrize(
    ("raw", "country", "e164"),
    [
        ("(415) 867-2309", "US", "+14158672309"),
        ("415.867.2309", "US", "+14158672309"),
        ("+1 415-867-2309", None, "+14158672309"),
        ("030 901820", "DE", "+4930901820"),
        ("0151 23456789", "DE", "+4915123456789"),
        ("+49 151 2345 6789", "US", "+4915123456789"),
        ("0049 151 23456789", None, "+4915123456789"),
        ("03-3224-9999", "JP", "+81332249999"),
        ("090-3456-7812", "JP", "+819034567812"),
        ("02-2100-2114", "KR", "+82221002114"),
        ("010 2345 6789", "KR", "+821023456789"),
        ("010 6552 9988", "CN", "+861065529988"),
        ("139-1099-8888", "CN", "+8613910998888"),
        ("8 (916) 234-56-78", "RU", "+79162345678"),
        ("+7 495 606-36-02", None, "+74956063602"),
        ("１３９ １０９９ ８８８８", "cn", "+8613910998888"),
    ],
)
def test_a_phone_becomes_e164_with_the_records_country_as_default_region(
    raw: str, country: str | None, e164: str
) -> None:
    assert normalise_phone(raw, country) == Normalised(Kind.PHONE, e164)


@pytest.mark.parametrize(
    ("raw", "country", "reason"),
    [
        ("", "DE", Reason.EMPTY),
        ("415 867 2309", None, Reason.NO_REGION),
        ("call me", "DE", Reason.UNPARSEABLE),
        ("12", "US", Reason.IMPOSSIBLE),
        ("867-2309", "US", Reason.IMPOSSIBLE),
        ("+49 1234", "DE", Reason.NOT_VALID),
        ("+1 999 867 2309", None, Reason.NOT_VALID),
        ("0000000", "US", Reason.GENERIC),
        ("1234567", "DE", Reason.GENERIC),
        ("+1 123-456-7890", None, Reason.GENERIC),
        ("(555) 555-5555", "US", Reason.GENERIC),
        ("(202) 555-0173", "US", Reason.GENERIC),
        ("090-1234-5678", "JP", Reason.GENERIC),
        ("010-0000-0000", "KR", Reason.GENERIC),
    ],
)
def test_unusable_phones_say_why(raw: str, country: str | None, reason: Reason) -> None:
    result = normalise_phone(raw, country)
    assert isinstance(result, Invalid)
    assert result.reason == reason, result


@pytest.mark.parametrize(
    ("normalise", "raw", "value"),
    [
        (normalise_user_id, "  Anna_S ", "Anna_S"),
        (normalise_user_id, "3F2504E0-4F89-11D3-9A0C-0305E82C3301", "3f2504e0-4f89-11d3-9a0c-0305e82c3301"),
        (
            normalise_anonymous_id,
            "{3F2504E0-4F89-11D3-9A0C-0305E82C3301}",
            "3f2504e0-4f89-11d3-9a0c-0305e82c3301",
        ),
        (normalise_anonymous_id, "anon-8f1c", "anon-8f1c"),
        (normalise_device_id, "6D92078A-8246-4BA4-AE5B-76104861E7DC", "6d92078a-8246-4ba4-ae5b-76104861e7dc"),
        (normalise_loyalty_id, "ab 1234-5678", "AB12345678"),
        (normalise_order_ref, " #ord-123456789 ", "ORD123456789"),
        (normalise_order_ref, "ORD 123456789", "ORD123456789"),
        (normalise_order_ref, "1001", "1001"),
        (normalise_order_ref, "3F2504E0-4F89-11D3-9A0C-0305E82C3301", "3f2504e0-4f89-11d3-9a0c-0305e82c3301"),
        (normalise_order_ref, "3f2504e0-4f89-11d3-9a0c-0305e82c3301", "3f2504e0-4f89-11d3-9a0c-0305e82c3301"),
    ],
)
def test_opaque_ids_are_trimmed_and_uuids_canonical(normalise: object, raw: str, value: str) -> None:
    result = normalise(raw)  # type: ignore[operator]
    assert isinstance(result, Normalised)
    assert result.value == value


@pytest.mark.parametrize(
    ("normalise", "raw"),
    [
        (normalise_user_id, "null"),
        (normalise_user_id, "undefined"),
        (normalise_user_id, " N/A "),
        (normalise_anonymous_id, "00000000-0000-0000-0000-000000000000"),
        (normalise_device_id, "00000000-0000-0000-0000-000000000000"),
        (normalise_loyalty_id, "0000-0000"),
        (normalise_loyalty_id, "unknown"),
        (normalise_order_ref, "n/a"),
        (normalise_order_ref, "#"),
        (normalise_order_ref, "0000-0000"),
    ],
)
def test_placeholder_ids_are_generic(normalise: object, raw: str) -> None:
    result = normalise(raw)  # type: ignore[operator]
    assert isinstance(result, Invalid)
    assert result.reason == Reason.GENERIC


def test_marketplace_buyer_ids_are_namespaced_by_marketplace() -> None:
    assert normalise_marketplace_buyer_id("Bazaar", " BA12F ") == Normalised(
        Kind.MARKETPLACE_BUYER_ID, "bazaar:BA12F"
    )
    assert normalise_marketplace_buyer_id("kaimono", "BA12F") != normalise_marketplace_buyer_id(
        "bazaar", "BA12F"
    )
    missing = normalise_marketplace_buyer_id("", "BA12F")
    assert isinstance(missing, Invalid)
    assert missing.reason == Reason.NO_NAMESPACE


@pytest.mark.parametrize(
    ("raw", "country", "value"),
    [
        ("078-05-1121", "US", "US:ssn:078051121"),
        ("86 095 742 719", "DE", "DE:steuer_id:86095742719"),
        ("1234 5678 9018", "JP", "JP:my_number:123456789018"),
        ("900101-1234567", "KR", "KR:rrn:9001011234567"),
        ("11010519491231002x", "CN", "CN:resident_id:11010519491231002X"),
        ("500100732259", "RU", "RU:inn:500100732259"),
        ("45 10 123456", "RU", "RU:passport:4510123456"),
        (" ab-123 456 ", "FR", "FR:id:AB123456"),
    ],
)
def test_national_ids_follow_their_countrys_format(raw: str, country: str, value: str) -> None:
    assert normalise_national_id(raw, country) == Normalised(Kind.NATIONAL_ID, value)


@pytest.mark.parametrize(
    ("raw", "country", "reason"),
    [
        ("666-12-3456", "US", Reason.CHECKSUM),
        ("12345", "US", Reason.FORMAT),
        ("86095742718", "DE", Reason.CHECKSUM),
        ("123456789017", "JP", Reason.CHECKSUM),
        ("901301-1234567", "KR", Reason.CHECKSUM),
        ("110105194912310021", "CN", Reason.CHECKSUM),
        ("500100732258", "RU", Reason.CHECKSUM),
        ("123-45-6789", "US", Reason.GENERIC),
        ("AB123", None, Reason.NO_REGION),
        ("", "DE", Reason.EMPTY),
    ],
)
def test_unusable_national_ids_say_why(raw: str, country: str | None, reason: Reason) -> None:
    result = normalise_national_id(raw, country)
    assert isinstance(result, Invalid)
    assert result.reason == reason, result


def test_a_received_hash_is_accepted_as_its_own_kind() -> None:
    digest = hashlib.sha256(b"anna@web.de").hexdigest()
    assert normalise_sha256(Kind.EMAIL_SHA256, f" {digest.upper()} ") == Normalised(Kind.EMAIL_SHA256, digest)
    assert normalise_sha256(Kind.PHONE_SHA256, "abc") == Invalid(Kind.PHONE_SHA256, "abc", Reason.NOT_SHA256)
    empty_hash = hashlib.sha256(b"").hexdigest()
    assert normalise_sha256(Kind.EMAIL_SHA256, empty_hash) == Invalid(
        Kind.EMAIL_SHA256, empty_hash, Reason.GENERIC
    )
    with pytest.raises(ValueError, match="not a hashed kind"):
        normalise_sha256(Kind.EMAIL, digest)


def test_hashed_and_plain_email_of_one_person_meet() -> None:
    plain_keys = {k.value for k in email_sha256_keys("Anna.Schmidt+shop@GMail.com")}
    assert sha256_hex("anna.schmidt+shop@gmail.com") in plain_keys  # hashed as ad platforms do
    assert sha256_hex("annaschmidt@gmail.com") in plain_keys  # hashed from the mailbox
    assert email_sha256_keys("a***@relay.bazaar.example") == ()


def test_hashed_and_plain_phone_of_one_person_meet() -> None:
    keys = {k.value for k in phone_sha256_keys("0151 23456789", "DE")}
    assert keys == {sha256_hex("+4915123456789"), sha256_hex("4915123456789")}


_local = st.from_regex(r"[a-z][a-z0-9]{0,10}(\.[a-z0-9]{1,5})?(\+[a-z0-9]{1,5})?", fullmatch=True)
_domain = st.sampled_from(
    ["gmail.com", "googlemail.com", "outlook.com", "web.de", "naver.com", "ya.ru", "qq.com"]
)


@given(local=_local, domain=_domain, upper=st.booleans())
@example(local="ax.xx", domain="gmail.com", upper=False)  # folds to a masked-looking "axxx"
def test_normalising_an_email_is_idempotent(local: str, domain: str, upper: bool) -> None:
    raw = f"{local}@{domain}"
    first = normalise_email(raw.upper() if upper else raw)
    if isinstance(first, Normalised):
        assert normalise_email(first.value) == first


@given(local=_local, domain=_domain)
def test_every_plain_email_meets_its_own_hash(local: str, domain: str) -> None:
    raw = f"{local}@{domain}"
    result = normalise_email(raw)
    if isinstance(result, Normalised):
        received = normalise_sha256(Kind.EMAIL_SHA256, sha256_hex(result.value))
        assert received in email_sha256_keys(raw)
        assert normalise_sha256(Kind.EMAIL_SHA256, sha256_hex(raw.lower())) in email_sha256_keys(raw)


@given(
    region=st.sampled_from(["US", "DE", "JP", "KR", "CN", "RU"]),
    national=st.integers(min_value=10**8, max_value=10**11),
)
def test_normalising_a_phone_is_idempotent(region: str, national: int) -> None:
    first = normalise_phone(str(national), region)
    if isinstance(first, Normalised):
        assert normalise_phone(first.value, None) == first
        assert normalise_phone(first.value, "US") == first
