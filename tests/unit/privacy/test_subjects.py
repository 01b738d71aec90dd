"""Whose key seals a record, and which identifiers the suppression list is checked against."""

from __future__ import annotations

from dataclasses import replace

import orjson

from frontoffice.domain.events import EventRecord
from frontoffice.vault.subjects import canonical, identifiers_of, subject_of

BASE = EventRecord(message_id="m", family="tracking", type="track", event="x", user_id=None,
                   anonymous_id=None, previous_id=None, group_id=None, timestamp="t",
                   original_timestamp=None, sent_at=None, received_at="t", payload=b"{}")


def test_user_id_wins_over_anonymous_id() -> None:
    assert subject_of(replace(BASE, user_id=" U1 ", anonymous_id="a")) == "user_id:U1"
    assert subject_of(replace(BASE, anonymous_id="a")) == "anonymous_id:a"


def test_a_commerce_order_belongs_to_its_customer_and_stock_to_nobody() -> None:
    order = replace(BASE, family="commerce", type="order.upserted",
                    payload=orjson.dumps({"customer": {"email": "Ann@X.com", "phone": "+49 1"}}))
    assert subject_of(order) == "email:ann@x.com"
    stock = replace(BASE, family="commerce", type="inventory.adjusted", payload=b'{"sku":"A"}')
    assert subject_of(stock) is None


def test_a_consent_change_belongs_to_its_subject() -> None:
    change = replace(BASE, family="consent", payload=orjson.dumps({"subject": "email:Ann@X.com"}))
    assert subject_of(change) == "email:ann@x.com"


def test_identifiers_include_traits_and_canonical_phones() -> None:
    record = replace(BASE, anonymous_id="a1", payload=orjson.dumps(
        {"traits": {"email": " Ann@X.com", "phone": "+49 (151) 4037"},
         "context": {"traits": {"email": "b@x.io"}}}))
    assert identifiers_of(record) == {"anonymous_id:a1", "email:ann@x.com", "phone:491514037", "email:b@x.io"}
    assert canonical("phone", "no digits") is None


def test_the_order_a_record_quotes_is_an_identifier_in_the_graphs_form() -> None:
    def quoting(properties: object) -> set[str]:
        return identifiers_of(replace(BASE, payload=orjson.dumps({"properties": properties})))

    assert quoting({"order_id": " #ord-4711 "}) == {"order_ref:ORD4711"}
    assert quoting({"orderId": 4711}) == {"order_ref:4711"}
    for nothing in ({"order_id": "n/a"}, {"order_id": True}, {"order_id": {"id": 1}}, {"order_id": " "},
                    "not an object"):
        assert quoting(nothing) == set(), nothing
