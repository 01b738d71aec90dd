"""Small builders for ledger-based tests."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from frontoffice.consent import ConsentChange, ConsentState, new_change, state_of

NOW = datetime(2026, 11, 22, 12, tzinfo=UTC)
SALT = b"workspace-salt-0123456789abcdef"
CHANNEL_FOR = {
    "essential": "web", "analytics": "web", "personalisation": "web", "marketing_email": "email",
    "marketing_sms": "sms", "marketing_push": "push", "targeted_advertising": "ads",
    "sale_or_sharing": "export", "profiling": "decision", "cross_border_transfer": "export",
    "sensitive_data": "web",
}


def change(purpose: str, status: str, *, days_ago: float = 1, method: str = "api", explicit: bool = False,
           person: str = "p1") -> ConsentChange:
    return new_change(person, purpose, status, source="test", at=NOW - timedelta(days=days_ago),
                      method=method, explicit=explicit)


def state(*changes: ConsentChange, person: str = "p1") -> ConsentState:
    return state_of(person, changes)
