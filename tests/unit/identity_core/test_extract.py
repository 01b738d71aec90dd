"""What one event of the log tells identity resolution."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from frontoffice.domain.events import Limits, StoredEvent, normalise_batch
from frontoffice.identity.extract import extract
from frontoffice.identity.model import IdentityRecord
from tests.unit.identity_core.support import ident


def record(event: dict[str, Any], source: str = "src1") -> IdentityRecord:
    [accepted], _ = normalise_batch([{"messageId": "m1", "timestamp": "2026-01-01T00:00:00Z", **event}],
                                    batch={}, forced_type=None, source_id=source,
                                    received_at=datetime.now(UTC), limits=Limits(32_000, 32))
    return extract(StoredEvent(7, "ws", source, accepted))


def test_an_identify_call_yields_normalised_identifiers_and_attributes() -> None:
    rec = record({"type": "identify", "userId": "cus_1", "anonymousId": "a-1",
                  "traits": {"email": " Anna.Mueller@GMX.de ", "phone": "0170 1234567", "name": "Anna Müller",
                             "birthday": "03.05.1990",
                             "address": {"street": "Hauptstr. 1", "city": "Köln", "postalCode": "50667",
                                         "country": "de"}},
                  "context": {"device": {"id": "ABCDEF12-0000-4000-8000-000000000001"}}})
    assert rec.record_id == "src1:m1"
    assert set(rec.identifiers) == {ident("user_id:cus_1"), ident("anonymous_id:a-1"),
                                    ident("email:anna.mueller@gmx.de"), ident("phone:+491701234567"),
                                    ident("device_id:abcdef12-0000-4000-8000-000000000001")}
    a = rec.attributes
    assert (a.given_name, a.family_name, a.birth_date, a.postcode, a.country) == (
        "Anna", "Müller", "1990-05-03", "50667", "DE")
    traits = {t.name: t.value for t in rec.traits}
    assert traits["email"] == "anna.mueller@gmx.de" and traits["birthDate"] == "1990-05-03"
    assert all(t.record_id == "src1:m1" and t.source_id == "src1" for t in rec.traits)


def test_garbage_identifiers_are_kept_as_traits_with_a_reason_but_never_as_identifiers() -> None:
    rec = record({"type": "identify", "anonymousId": "a-1",
                  "traits": {"email": "test@test.com", "phone": "0000000", "nationalId": "n/a"}})
    assert rec.identifiers == (ident("anonymous_id:a-1"),)
    assert {r.kind.value for r in rec.rejected} == {"email", "phone", "national_id"}
    assert any(t.name == "invalid_email" and "generic" in str(t.value) for t in rec.traits)


def test_a_user_id_that_is_the_loyalty_card_counts_as_a_loyalty_id() -> None:
    rec = record({"type": "identify", "userId": "LY 1234-5678", "anonymousId": "R-1",
                  "traits": {"loyaltyId": "LY12345678"}})
    assert ident("loyalty_id:LY12345678") in rec.identifiers
    assert not any(i.kind.value == "user_id" for i in rec.identifiers)


def test_alias_ties_the_previous_anonymous_id_to_the_user() -> None:
    rec = record({"type": "alias", "userId": "cus_1", "previousId": "anon-9"})
    assert set(rec.identifiers) == {ident("user_id:cus_1"), ident("anonymous_id:anon-9")}


def test_a_marketplace_buyer_id_is_namespaced_by_its_marketplace_and_an_email_sender_is_an_email() -> None:
    rec = record({"type": "identify", "anonymousId": "bazaar:B1",
                  "traits": {"marketplace": "Bazaar", "marketplaceBuyerId": "B1"}})
    assert ident("marketplace_buyer:bazaar:B1") in rec.identifiers
    mail = record({"type": "track", "event": "Message Received", "anonymousId": "ivan@mail.ru"})
    assert ident("email:ivan@mail.ru") in mail.identifiers


def test_an_order_quoted_by_a_call_or_message_is_the_same_order_ref_as_its_checkout() -> None:
    checkout = record({"type": "track", "event": "Order Completed", "userId": "cus_1",
                       "properties": {"order_id": "ORD-123456789", "total": 10}})
    call = record({"type": "track", "event": "Call Completed", "anonymousId": "call_1",
                   "properties": {"orderId": "#ord 123456789"}})
    assert ident("order_ref:ORD123456789") in checkout.identifiers
    assert ident("order_ref:ORD123456789") in call.identifiers
    nothing = record({"type": "track", "event": "Call Completed", "anonymousId": "call_2",
                      "properties": {"order_id": "unknown"}})
    assert nothing.identifiers == (ident("anonymous_id:call_2"),)
    assert [r.kind.value for r in nothing.rejected] == ["order_ref"]
