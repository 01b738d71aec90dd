"""Collection honours consent: `reduce_for_consent` on a batch, per subject and region."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from frontoffice.consent import pack_for, state_of
from frontoffice.consent.collection import reduce_for_consent
from frontoffice.consent.ledger import new_change

NOW = datetime(2026, 12, 1, tzinfo=UTC)


def track(user: str, **extra: Any) -> dict[str, Any]:
    return {"type": "track", "event": "Viewed", "userId": user, "properties": {"sku": "S-1"},
            "context": {"ip": "203.0.113.9"}, **extra}


def test_an_eu_visitor_without_analytics_consent_keeps_only_essential_events() -> None:
    events = [track("ann"), {"type": "identify", "userId": "ann", "traits": {"email": "a@b.c"}}]
    kept, reduced = reduce_for_consent(events, {}, pack_for("EU"), NOW)
    assert [e["type"] for e in kept] == ["identify"]
    assert reduced[0].index == 0 and reduced[0].reduction.dropped == ("<event>",)
    assert events[0]["properties"] == {"sku": "S-1"}  # inputs untouched


def test_a_granted_analytics_consent_keeps_the_event_whole() -> None:
    grant = new_change("user_id:ann", "analytics", "granted", source="api",
                       at=datetime(2026, 11, 1, tzinfo=UTC), method="api")
    states = {"user_id:ann": state_of("user_id:ann", [grant])}
    packs = {"user_id:ann": pack_for("EU"), "user_id:cal": pack_for("US-CA")}
    kept, _ = reduce_for_consent([track("ann"), track("cal")], states,
                                 lambda s: packs.get(s or "", pack_for(None)), NOW)
    assert [e["userId"] for e in kept] == ["ann", "cal"]
    assert kept[0]["properties"] == {"sku": "S-1"}
