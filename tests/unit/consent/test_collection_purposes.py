"""Collection, purpose by purpose: each removal names its purpose and rule; only refusals reduce at
the collector; in-band signals apply to their own event; merged consent folds every subject."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from frontoffice.consent import pack_for, state_of
from frontoffice.consent.capture import Proof
from frontoffice.consent.collection import in_band, mark_reduced, reduce_by_purpose
from frontoffice.consent.ledger import ConsentState, new_change
from frontoffice.consent.merge import merge_states

NOW = datetime(2026, 12, 1, tzinfo=UTC)
T = datetime(2026, 11, 1, tzinfo=UTC)


def order(**extra: Any) -> dict[str, Any]:
    return {"type": "track", "event": "Order Completed", "userId": "ann", "anonymousId": "a-1",
            "context": {"ip": "203.0.113.9", "device": {"advertisingId": "ad", "model": "X"}},
            "properties": {"order_id": "o-1", "coupon": "SPRING"}, **extra}


def refused(subject: str, *purposes: str, method: str = "api") -> ConsentState:
    return state_of(subject, [new_change(subject, p, "denied", source="t", at=T, method=method)
                              for p in purposes])


def test_each_refused_purpose_reports_its_own_fields_and_rule() -> None:
    state = refused("user_id:ann", "analytics", "targeted_advertising")
    event = order()
    out, why = reduce_by_purpose(event, state, pack_for("EU"), NOW)
    assert out is not None and event["properties"]["coupon"] == "SPRING"  # input untouched
    by = {r.purpose: r for r in why}
    assert by["analytics"].rule == "EU/analytics/opt_in"
    assert {"context.ip", "context.device", "anonymousId", "properties.coupon"} <= set(by["analytics"].fields)
    assert out["properties"] == {"order_id": "o-1"} and "anonymousId" not in out


def test_the_collector_does_not_reduce_for_a_grant_that_is_merely_missing() -> None:
    nothing = ConsentState("user_id:new")
    out, why = reduce_by_purpose(order(), nothing, pack_for("EU"), NOW, refusals_only=True)
    assert why == () and out == order()
    _, strict = reduce_by_purpose(order(), nothing, pack_for("EU"), NOW)
    assert strict  # the outbound rule (no grant in an opt-in region) would reduce


def test_a_non_essential_event_of_a_refusal_is_dropped_with_the_reason() -> None:
    viewed = {"type": "track", "event": "Product Viewed", "userId": "ann", "properties": {"sku": "S"}}
    out, why = reduce_by_purpose(viewed, refused("user_id:ann", "analytics"), pack_for("EU"), NOW,
                                 refusals_only=True)
    assert out is None and why[0].fields == ("<event>",) and "non-essential" in why[0].reason


def test_the_stored_event_says_what_was_removed_and_why() -> None:
    state = refused("user_id:ann", "analytics")
    out, why = reduce_by_purpose(order(context={"ip": "1.2.3.4", "frontoffice": {"x": 1}}), state,
                                 pack_for("EU"), NOW)
    assert out is not None
    mark_reduced(out, why)
    [entry] = out["context"]["frontoffice"]["reduced"]
    assert entry["purpose"] == "analytics" and "context.ip" in entry["fields"]
    assert out["context"]["frontoffice"]["x"] == 1


def test_a_refusal_in_the_event_applies_and_is_returned_to_be_logged() -> None:
    proof = Proof("user_id:ann", "source:s", T)
    context = {"consent": {"categoryPreferences": {"analytics": False}}}
    state, changes = in_band(ConsentState("user_id:ann"), context, pack_for("EU"), proof)
    assert state.status("analytics") == "denied" and [c.purpose for c in changes] == ["analytics"]


def test_gpc_applies_to_the_event_but_is_not_logged_from_the_collector() -> None:
    proof = Proof("user_id:cal", "source:s", T)
    state, changes = in_band(ConsentState("user_id:cal"), {"gpc": True}, pack_for("US-CA"), proof)
    assert state.status("targeted_advertising") == "denied" and changes == []
    out, why = reduce_by_purpose(order(userId="cal"), state, pack_for("US-CA"), NOW, refusals_only=True)
    assert out is not None and "advertisingId" not in out["context"]["device"]
    assert {r.rule for r in why} >= {"US-CA/targeted_advertising/opt_out/gpc"}


def test_merging_takes_the_most_restrictive_unless_a_newer_explicit_grant() -> None:
    old_grant = new_change("user_id:a", "analytics", "granted", source="t", at=T, method="api", explicit=True)
    refusal = new_change("email:a@x.com", "analytics", "denied", source="t",
                         at=datetime(2026, 11, 5, tzinfo=UTC), method="api")
    late_grant = new_change("anonymous_id:z", "analytics", "granted", source="t",
                            at=datetime(2026, 11, 9, tzinfo=UTC), method="api", explicit=True)
    states = [state_of(c.person_key, [c]) for c in (old_grant, refusal)]
    merged = merge_states("person_id:p", states)
    assert merged.purposes["analytics"].change is refusal and len(merged.conflicts) == 1
    states.append(state_of(late_grant.person_key, [late_grant]))
    again = merge_states("person_id:p", reversed(states))  # order of loading does not matter
    assert again.purposes["analytics"].change is late_grant
    assert again == merge_states("person_id:p", states)
