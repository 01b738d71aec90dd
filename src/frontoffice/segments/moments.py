"""Moments: when a person enters a segment, an event happens or a date comes (a birthday, the
anniversary of their first purchase), act — send a message (e-mail, SMS, push), call a webhook
destination, open a service task, or offer next-best-action's choice — within a frequency cap,
outside quiet hours in the person's time zone, and through the consent gate. Pure rules: each
decision carries its rule and reason; ``moments_service`` runs them.

``{"name": "tier_up", "entered": "big_spenders", "send": {"channel": "email", "template": "tier_up",
"purpose": "marketing_email"}, "cap": {"max": 1, "days": 365}, "quiet_hours": {"from": 21, "to": 8}}``
``{"name": "rated", "event": {"event": "Rating Given", "where": {"score": "5"}}, "task": {...}}``
``{"name": "birthday", "date": {"kind": "birthday", "hour": 9}, "send": {...}}``
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from frontoffice.segments.model import DAY_MS, Filter, InvalidDefinition, check_name, known_keys, parse_filter

CHANNELS = ("email", "sms", "push")
TRIGGERS = ("entered", "event", "date")
ACTIONS = ("send", "webhook", "task", "offer")
DATES = ("birthday", "first_purchase_anniversary")
OFFER_CHANNELS = ("email", "sms", "push", "web", "app")


@dataclass(frozen=True, slots=True)
class Trigger:
    kind: str  # entered | event | date
    segment: str | None = None  # entered
    event: Filter | None = None  # event
    date: str | None = None  # date: birthday | first_purchase_anniversary
    hour: int = 9  # date: the local hour it fires at
    since_seq: int = -1  # event: only events after this log position (set when saved; -1: unset)

    def as_dict(self) -> dict[str, Any]:
        if self.kind == "entered":
            return {"entered": self.segment}
        if self.kind == "event" and self.event is not None:
            found = self.event.as_dict()
            return {"event": found | ({"since_seq": self.since_seq} if self.since_seq >= 0 else {})}
        return {"date": {"kind": self.date, "hour": self.hour}}


@dataclass(frozen=True, slots=True)
class Action:
    """What a firing does, and the purpose and channel the consent gate checks for it."""

    kind: str  # send | webhook | task | offer
    purpose: str
    channel: str  # send: email | sms | push; webhook: webhook; task: service; offer: decision
    template: str | None = None  # send, task
    destination: str | None = None  # webhook
    placement: str = "moment"  # offer: the placement next-best-action decides for
    offer_channel: str = "email"  # offer: the channel the offer will be made on

    def as_dict(self) -> dict[str, Any]:
        if self.kind == "send":
            return {"send": {"channel": self.channel, "template": self.template, "purpose": self.purpose}}
        if self.kind == "webhook":
            return {"webhook": {"destination": self.destination}}
        if self.kind == "task":
            return {"task": {"template": self.template, "purpose": self.purpose}}
        return {"offer": {"channel": self.offer_channel, "placement": self.placement,
                          "purpose": self.purpose}}


@dataclass(frozen=True, slots=True)
class Moment:
    name: str
    trigger: Trigger
    action: Action
    cap_max: int = 1
    cap_days: int = 30
    quiet_from: int | None = None
    quiet_to: int | None = None

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"name": self.name, **self.trigger.as_dict(), **self.action.as_dict(),
                               "cap": {"max": self.cap_max, "days": self.cap_days}}
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


def _one_of(doc: dict[str, Any], keys: tuple[str, ...], what: str) -> str:
    found = [k for k in keys if k in doc]
    if len(found) != 1:
        raise InvalidDefinition("$", f"a moment has exactly one {what}: one of {', '.join(keys)} "
                                     f"(got {', '.join(found) or 'none'}).")
    return found[0]


def _purpose(value: Any, path: str) -> str:
    if not isinstance(value, str) or not value:
        raise InvalidDefinition(path, "name the consent purpose the action serves (marketing_email…).")
    return value


def _obj(doc: dict[str, Any], key: str, keys: set[str], example: str) -> dict[str, Any]:
    found = doc.get(key)
    if not isinstance(found, dict):
        raise InvalidDefinition(f"$.{key}", f"{key} is {example}.")
    known_keys(found, f"$.{key}", keys)
    return found


def parse_trigger(doc: dict[str, Any]) -> Trigger:
    kind = _one_of(doc, TRIGGERS, "trigger")
    if kind == "entered":
        return Trigger("entered", segment=check_name(doc.get("entered"), "$.entered", "segment"))
    if kind == "event":
        found = _obj(doc, "event", {"event", "where", "since_seq"},
                     '{"event": NAME, "where": {PROPERTY: VALUE}}')
        since = _int(found.get("since_seq", -1), "$.event.since_seq", -1, 2**62)
        return Trigger("event", event=parse_filter(found, "$.event"), since_seq=since)
    found = _obj(doc, "date", {"kind", "hour"}, '{"kind": "birthday", "hour": 9}')
    if found.get("kind") not in DATES:
        raise InvalidDefinition("$.date.kind", f"a date is one of {', '.join(DATES)}.")
    return Trigger("date", date=found["kind"], hour=_int(found.get("hour", 9), "$.date.hour", 0, 23))


def parse_action(doc: dict[str, Any]) -> Action:
    kind = _one_of(doc, ACTIONS, "action")
    if kind == "send":
        send = _obj(doc, "send", {"channel", "template", "purpose"},
                    '{"channel": "email", "template": ..., "purpose": ...}')
        if send.get("channel") not in CHANNELS:
            raise InvalidDefinition("$.send.channel", f"a channel is one of {', '.join(CHANNELS)}.")
        return Action("send", _purpose(send.get("purpose"), "$.send.purpose"), send["channel"],
                      template=check_name(send.get("template"), "$.send.template", "template"))
    if kind == "webhook":
        hook = _obj(doc, "webhook", {"destination"}, '{"destination": NAME} (a webhook destination)')
        destination = hook.get("destination")
        if not isinstance(destination, str) or not destination:
            raise InvalidDefinition("$.webhook.destination", "name a destination "
                                                             "(`frontoffice destinations list`).")
        return Action("webhook", "", "webhook", destination=destination)
    if kind == "task":
        task = _obj(doc, "task", {"template", "purpose"}, '{"template": ..., "purpose": "essential"}')
        return Action("task", _purpose(task.get("purpose", "essential"), "$.task.purpose"), "service",
                      template=check_name(task.get("template"), "$.task.template", "template"))
    offer = _obj(doc, "offer", {"channel", "placement", "purpose"},
                 '{"channel": "email", "placement": "moment", "purpose": "personalisation"}')
    if offer.get("channel", "email") not in OFFER_CHANNELS:
        raise InvalidDefinition("$.offer.channel", f"an offer's channel is one of "
                                                   f"{', '.join(OFFER_CHANNELS)}.")
    return Action("offer", _purpose(offer.get("purpose", "personalisation"), "$.offer.purpose"), "decision",
                  placement=check_name(offer.get("placement", "moment"), "$.offer.placement", "placement"),
                  offer_channel=offer.get("channel", "email"))


def parse_moment(doc: Any) -> Moment:
    if not isinstance(doc, dict):
        raise InvalidDefinition("$", 'a moment is {"name": ..., "entered": SEGMENT, "send": {...}}.')
    known_keys(doc, "$", {"name", *TRIGGERS, *ACTIONS, "cap", "quiet_hours", "description"})
    name = check_name(doc.get("name"), "$.name", "moment")
    trigger, action = parse_trigger(doc), parse_action(doc)
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
    return Moment(name, trigger, action, cap_max, cap_days, quiet_from, quiet_to)


def zone(tz: str | None) -> ZoneInfo:
    try:
        return ZoneInfo(tz) if tz else ZoneInfo("UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def quiet_until(m: Moment, now_ms: int, tz: str | None) -> int | None:
    """The end of the quiet hours (epoch ms) when ``now`` falls in them in ``tz``; else None."""
    if m.quiet_from is None or m.quiet_to is None or m.quiet_from == m.quiet_to:
        return None
    local = datetime.fromtimestamp(now_ms / 1000, UTC).astimezone(zone(tz))
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
                                                   f"{zone(tz).key}; trying again at the end", resume)
    return None
