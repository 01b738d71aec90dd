"""Collection honours consent: events from a person who refused analytics are reduced per pack."""

from __future__ import annotations

from typing import Any

from frontoffice.consent import pack_for, reduce_event
from tests.unit.consent.support import NOW, change, state


def event(name: str = "Product Viewed", **props: object) -> dict[str, Any]:
    return {"type": "track", "event": name, "userId": "u1", "anonymousId": "anon-1",
            "properties": {"sku": "SKU-1", **props},
            "context": {"ip": "203.0.113.7", "userAgent": "Mozilla/5.0", "locale": "de-DE",
                        "device": {"id": "dev-1", "advertisingId": "ad-1"}, "page": {"path": "/sale"}}}


REFUSED = state(change("analytics", "denied"), change("targeted_advertising", "denied"))


def test_eu_drops_non_essential_events_from_a_person_who_refused_analytics() -> None:
    out, why = reduce_event(event(), REFUSED, pack_for("EU"), NOW)
    assert out is None and why.dropped == ("<event>",)
    assert "EU requires opt-in for analytics; the person denied it" in why.reason


def test_eu_keeps_an_essential_event_reduced_to_essential_fields() -> None:
    original = event("Order Completed", order_id="o-1", total=99.0, coupon="SPRING")
    out, why = reduce_event(original, REFUSED, pack_for("EU"), NOW)
    assert out is not None
    assert out["properties"] == {"order_id": "o-1", "total": 99.0}
    assert out["context"] == {"locale": "de-DE", "page": {"path": "/sale"}}
    assert "anonymousId" not in out and out["userId"] == "u1"
    assert {"context.ip", "context.userAgent", "context.device", "anonymousId", "properties.coupon"} <= set(
        why.dropped)
    assert original["context"]["ip"] == "203.0.113.7"  # the input is not modified


def test_california_keeps_the_event_but_strips_ad_identifiers_after_an_opt_out() -> None:
    out, why = reduce_event(event(), REFUSED, pack_for("US-CA"), NOW)
    assert out is not None and out["properties"]["sku"] == "SKU-1"
    assert "advertisingId" not in out["context"]["device"] and "ip" not in out["context"]
    assert "context.device.advertisingId" in why.dropped


def test_an_event_from_a_person_who_consented_is_unchanged() -> None:
    ok = state(change("analytics", "granted"), change("targeted_advertising", "granted"),
               change("sale_or_sharing", "granted"))
    out, why = reduce_event(event(), ok, pack_for("EU"), NOW)
    assert out == event() and why.dropped == ()


def test_identify_calls_are_kept_but_stripped() -> None:
    identify = {"type": "identify", "userId": "u1", "traits": {"email": "a@example.com"},
                "context": {"ip": "203.0.113.7"}}
    out, _ = reduce_event(identify, REFUSED, pack_for("CN"), NOW)
    assert out == {"type": "identify", "userId": "u1", "traits": {"email": "a@example.com"}, "context": {}}


def test_no_pack_or_no_state_drops_the_event() -> None:
    assert reduce_event(event(), None, pack_for("EU"), NOW)[0] is None
    assert reduce_event(event(), REFUSED, None, NOW)[0] is None


def test_unknown_region_uses_the_strictest_reduction() -> None:
    out, _ = reduce_event(event("Order Completed", order_id="o-1"), state(), pack_for(None), NOW)
    assert out is not None and "ip" not in out["context"] and out["properties"] == {"order_id": "o-1"}
