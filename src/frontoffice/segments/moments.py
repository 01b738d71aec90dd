"""Moments: when a person enters a segment, act (send a message through the consent gate) —
within a frequency cap and outside quiet hours in the person's time zone. Pure rules: each
decision carries its rule and reason; ``moments_service`` runs them.

``{"name": "tier_up", "entered": "big_spenders", "send": {"channel": "email", "template": "tier_up",
"purpose": "marketing_email"}, "cap": {"max": 1, "days": 365}, "quiet_hours": {"from": 21, "to": 8}}``
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from frontoffice.segments.model import DAY_MS, InvalidDefinition, check_name, known_keys

CHANNELS = ("email", "sms", "push")


@dataclass(frozen=True, slots=True)
class Moment:
    name: str
    entered: str
    channel: str
    template: str
    purpose: str
    cap_max: int = 1
    cap_days: int = 30
    quiet_from: int | None = None
    quiet_to: int | None = None

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "name": self.name, "entered": self.entered, "cap": {"max": self.cap_max, "days": self.cap_days},
            "send": {"channel": self.channel, "template": self.template, "purpose": self.purpose}}
        if self.quiet_from is not None:
            out["quiet_hours"] = {"from": self.quiet_from, "to": self.quiet_to}
        return out


@dataclass(frozen=True, slots=True)
class Decision:
    decision: str  # fired | refused | deferred
    rule: str
    reason: str
    resume_at: int | None = None  # deferred: when to try again (epoch ms)


def _int(value: Any, path: str, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise InvalidDefinition(path, f"a whole number from {low} to {high} (got {value!r}).")
    return value


def parse_moment(doc: Any) -> Moment:
    if not isinstance(doc, dict):
        raise InvalidDefinition("$", 'a moment is {"name": ..., "entered": SEGMENT, "send": {...}}.')
    known_keys(doc, "$", {"name", "entered", "send", "cap", "quiet_hours", "description"})
    name = check_name(doc.get("name"), "$.name", "moment")
    entered = check_name(doc.get("entered"), "$.entered", "segment")
    send = doc.get("send")
    if not isinstance(send, dict):
        raise InvalidDefinition("$.send", 'send is {"channel": "email", "template": ..., "purpose": ...}.')
    known_keys(send, "$.send", {"channel", "template", "purpose"})
    if send.get("channel") not in CHANNELS:
        raise InvalidDefinition("$.send.channel", f"a channel is one of {', '.join(CHANNELS)}.")
    template = check_name(send.get("template"), "$.send.template", "template")
    purpose = send.get("purpose")
    if not isinstance(purpose, str) or not purpose:
        raise InvalidDefinition("$.send.purpose", "name the consent purpose the message serves "
                                                  "(marketing_email…).")
    cap = doc.get("cap", {"max": 1, "days": 30})
    if not isinstance(cap, dict):
        raise InvalidDefinition("$.cap", 'cap is {"max": N, "days": D}: at most N firings in D days.')
    known_keys(cap, "$.cap", {"max", "days"})
    quiet = doc.get("quiet_hours")
    quiet_from = quiet_to = None
    if quiet is not None:
        if not isinstance(quiet, dict):
            raise InvalidDefinition("$.quiet_hours", 'quiet hours are {"from": 21, "to": 8} in local hours.')
        known_keys(quiet, "$.quiet_hours", {"from", "to"})
        quiet_from = _int(quiet.get("from"), "$.quiet_hours.from", 0, 23)
        quiet_to = _int(quiet.get("to"), "$.quiet_hours.to", 0, 23)
    cap_max = _int(cap.get("max", 1), "$.cap.max", 1, 1000)
    cap_days = _int(cap.get("days", 30), "$.cap.days", 1, 3650)
    return Moment(name, entered, send["channel"], template, purpose, cap_max, cap_days, quiet_from, quiet_to)


def _zone(tz: str | None) -> ZoneInfo:
    try:
        return ZoneInfo(tz) if tz else ZoneInfo("UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def quiet_until(m: Moment, now_ms: int, tz: str | None) -> int | None:
    """The end of the quiet hours (epoch ms) when ``now`` falls in them in ``tz``; else None."""
    if m.quiet_from is None or m.quiet_to is None or m.quiet_from == m.quiet_to:
        return None
    local = datetime.fromtimestamp(now_ms / 1000, UTC).astimezone(_zone(tz))
    hour = local.hour
    inside = (m.quiet_from <= hour < m.quiet_to) if m.quiet_from < m.quiet_to else \
        (hour >= m.quiet_from or hour < m.quiet_to)
    if not inside:
        return None
    end = local.replace(hour=m.quiet_to, minute=0, second=0, microsecond=0)
    if end <= local:
        end += timedelta(days=1)
    return int(end.timestamp() * 1000)


def precheck(m: Moment, now_ms: int, fired_at: list[int], tz: str | None) -> Decision | None:
    """The cap and quiet hours; None when the moment may go on to the consent gate."""
    recent = [t for t in fired_at if t > now_ms - m.cap_days * DAY_MS]
    if len(recent) >= m.cap_max:
        return Decision("refused", "frequency-cap",
                        f"fired {len(recent)} time(s) in the last {m.cap_days} days; the cap is {m.cap_max}")
    resume = quiet_until(m, now_ms, tz)
    if resume is not None:
        return Decision("deferred", "quiet-hours", f"quiet hours {m.quiet_from}:00-{m.quiet_to}:00 in "
                                                   f"{_zone(tz).key}; trying again at the end", resume)
    return None
