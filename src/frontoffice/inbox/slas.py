"""SLA use cases: the desk's policies and calendars (event-sourced like agents), a ticket's clock
(which policy, which calendar, when each target is due), its pause while pending on the
customer, and the sweep that logs warnings and breaches (a breach escalates the ticket)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import holidays

from frontoffice.domain.tenancy import new_id
from frontoffice.errors import InvalidInput
from frontoffice.inbox import escalation
from frontoffice.inbox.deps import Desk
from frontoffice.inbox.model import ACTIVE, PRIORITIES
from frontoffice.inbox.ports import Ticket
from frontoffice.inbox.projector import log_and_project, record
from frontoffice.inbox.sla import (
    BUILT_IN,
    Calendar,
    Targets,
    business_seconds_between,
    dues,
    next_response_dues,
)
from frontoffice.inbox.sla_policy import Policy, calendar_for, calendar_named, calendar_of, choose

CHANNELS = ("email", "chat", "phone", "marketplace", "social", "api")


def save_policy(desk: Desk, ws: str, policy_id: str, doc: Mapping[str, Any], now: datetime) -> dict[str, Any]:
    """A policy's targets (business hours) for tickets of a priority, channel and segment."""
    policy = {"priority": None, "channel": None, "segment": None, **doc, "id": policy_id}
    if policy["priority"] not in (None, *PRIORITIES):
        raise InvalidInput(f"Priority is one of {', '.join(PRIORITIES)} (or unset: every priority).")
    if policy["channel"] not in (None, *CHANNELS):
        raise InvalidInput(f"Channel is one of {', '.join(CHANNELS)} (or unset: every channel).")
    for target in ("first_response_hours", "next_response_hours", "resolution_hours"):
        if not isinstance(policy.get(target), (int, float)) or policy[target] <= 0:
            raise InvalidInput(f"{target} is the business hours the target allows: a number above 0.")
    log_and_project(desk.inbox, ws, [record(f"sla_policy:{policy_id}:{new_id()}", "sla_policy.saved",
                                            policy, now)])
    return policy


def save_calendar(desk: Desk, ws: str, calendar_id: str, doc: Mapping[str, Any],
                  now: datetime) -> dict[str, Any]:
    """A business-hours calendar for the teams it names (time zone, hours, weekdays, holidays of
    a country and optionally its region)."""
    cal = {"country": None, "subdivision": None, "weekdays": [0, 1, 2, 3, 4], "teams": [], **doc,
           "id": calendar_id}
    try:
        ZoneInfo(str(cal.get("timezone")))
    except (ZoneInfoNotFoundError, ValueError, OSError):  # OSError: a name too long, a folder
        raise InvalidInput(f"Unknown time zone {cal.get('timezone')!r}; use an IANA name such as "
                         "Europe/Berlin.") from None
    if cal["country"]:
        try:
            holidays.country_holidays(cal["country"], subdiv=cal["subdivision"] or None)
        except NotImplementedError as exc:
            raise InvalidInput(f"No public holidays for {cal['country']!r}/{cal['subdivision']!r}: {exc}; "
                             "use an ISO 3166 country code and one of its subdivisions.") from None
    if not cal["weekdays"] or not set(cal["weekdays"]) <= set(range(7)):
        raise InvalidInput("Weekdays are the working days, 0 (Monday) to 6 (Sunday), at least one.")
    try:
        parsed = calendar_of(cal)
    except (KeyError, ValueError):
        raise InvalidInput("Hours are the working hours of a day, HH:MM-HH:MM (09:00-17:00).") from None
    if parsed.opens >= parsed.closes:
        raise InvalidInput("Working hours close after they open (09:00-17:00).")
    log_and_project(desk.inbox, ws, [record(f"calendar:{calendar_id}:{new_id()}", "calendar.saved", cal,
                                            now)])
    return cal


def _policies(desk: Desk, ws: str) -> list[Policy]:
    return [Policy.of(d) for d in desk.inbox.entities(ws, "sla_policy")]


def clock(desk: Desk, ws: str, priority: str, channel: str, person_id: str | None, team: str | None,
          opened: datetime, paused_seconds: float = 0) -> dict[str, Any]:
    """The SLA of a ticket: its policy, calendar, targets and due times."""

    def member(segment: str) -> bool:
        return person_id is not None and desk.segments.member(ws, person_id, segment)

    policy = choose(_policies(desk, ws), priority, channel, member)
    cal_id, cal = calendar_for(desk.inbox.entities(ws, "calendar"), team, desk.calendar)
    return {"policy": policy.policy_id, "calendar": cal_id, "targets": asdict(policy.targets),
            **dues(cal, policy.targets, opened, paused_seconds), "paused_seconds": paused_seconds}


def retarget(desk: Desk, ws: str, t: Ticket, priority: str, team: str | None) -> dict[str, Any]:
    """The clock again after the priority or the team changed: the new policy and calendar from
    the ticket's start, keeping its pauses, warnings and breaches."""
    old = t.doc.get("sla", {})
    opened = datetime.fromisoformat(t.doc["created_at"])
    fresh = clock(desk, ws, priority, t.channel, t.person_id, team, opened,
                  float(old.get("paused_seconds", 0)))
    return {**old, **fresh}


def _calendar(desk: Desk, ws: str, clock_doc: Mapping[str, Any]) -> Calendar:
    return calendar_named(desk.inbox.entities(ws, "calendar"), clock_doc.get("calendar"), desk.calendar)


def _targets(t: Ticket) -> Targets:
    found = t.doc.get("sla", {}).get("targets")
    return Targets(**found) if found else BUILT_IN[t.priority]


def paused(desk: Desk, ws: str, t: Ticket, to: str, now: datetime) -> dict[str, Any] | None:
    """The clock after moving to ``to``: a pause starts on pending, and on leaving it the
    resolution target moves by the business time it lasted (None: unchanged)."""
    old = dict(t.doc.get("sla", {}))
    if to == "pending" and t.status != "pending":
        return {**old, "paused_since": now.isoformat()}
    if t.status == "pending" and to != "pending" and old.get("paused_since"):
        cal = _calendar(desk, ws, old)
        spent = float(old.get("paused_seconds", 0)) + business_seconds_between(
            cal, datetime.fromisoformat(old["paused_since"]), now)
        moved = dues(cal, _targets(t), datetime.fromisoformat(t.doc["created_at"]), spent)
        return {**old, "resolution_due": moved["resolution_due"], "resolution_warn": moved["resolution_warn"],
                "paused_since": None, "paused_seconds": spent}
    return None


def _late(desk: Desk, ws: str, t: Ticket, now: datetime) -> dict[str, list[tuple[str, str | None]]]:
    """The targets of one ticket past their warning and due times: (target, since)."""
    sla = t.doc.get("sla", {})
    due: dict[tuple[str, str | None], tuple[str, str]] = {
        ("resolution", None): (sla.get("resolution_warn", ""), sla.get("resolution_due", ""))}
    if "first_response_at" not in t.doc:
        due[("first_response", None)] = (sla.get("first_response_warn", ""),
                                         sla.get("first_response_due", ""))
    if since := t.doc.get("awaiting_since"):
        warn, at = next_response_dues(_calendar(desk, ws, sla), _targets(t), datetime.fromisoformat(since))
        due[("next_response", since)] = (warn.isoformat(), at.isoformat())
    found: dict[str, list[tuple[str, str | None]]] = {"warned": [], "breached": []}
    for kind, index in (("warned", 0), ("breached", 1)):
        done = set(sla.get(kind, []))
        found[kind] = [(target, since) for (target, since), times in due.items()
                       if times[index] and datetime.fromisoformat(times[index]) < now
                       and (f"{target}@{since}" if since else target) not in done]
    return found


def sweep(desk: Desk, ws: str, now: datetime) -> list[tuple[str, str]]:
    """Log a warning for each active ticket past a target's warning time and a breach for each
    past its due time (once per target and next-response round; none while pending on the
    customer), escalate each breached ticket; the breaches."""
    records, breaches = [], []
    for t in desk.inbox.tickets(ws, statuses=ACTIVE, limit=100_000):
        if t.doc.get("sla", {}).get("paused_since"):
            continue
        for kind, late in _late(desk, ws, t, now).items():
            for target, since in late:
                key = f"{target}@{since}" if since else target
                records.append(record(f"{t.ticket_id}:{kind}:{key}", f"sla.{kind}", {
                    "ticket_id": t.ticket_id, "target": target, "since": since, "at": now.isoformat()}, now))
                if kind == "breached":
                    breaches.append((t.ticket_id, target))
    log_and_project(desk.inbox, ws, records)
    for ticket_id, target in breaches:
        escalation.escalate(desk, ws, ticket_id, f"{target.replace('_', ' ')} SLA breached", now)
    return breaches
