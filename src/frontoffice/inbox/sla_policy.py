"""Which SLA targets and which business-hours calendar a ticket runs on. Pure.

A policy names the targets for tickets of a priority, a channel and a segment (each optional: an
unset one matches everything); the most specific matching policy wins (ties: the policy id), and
with none the built-in targets of the priority apply. A calendar serves the teams it names; a
ticket of another team (or none) runs on the default calendar (settings ``inbox_timezone``,
``inbox_holidays_country``, ``inbox_business_hours``)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from frontoffice.inbox.sla import BUILT_IN, Calendar, Targets

DEFAULT_CALENDAR = "default"


@dataclass(frozen=True, slots=True)
class Policy:
    policy_id: str
    priority: str | None
    channel: str | None
    segment: str | None
    targets: Targets

    @classmethod
    def of(cls, doc: Mapping[str, Any]) -> Policy:
        return cls(doc["id"], doc.get("priority"), doc.get("channel"), doc.get("segment"),
                   Targets(float(doc["first_response_hours"]), float(doc["next_response_hours"]),
                           float(doc["resolution_hours"])))

    @property
    def specificity(self) -> int:
        return sum(v is not None for v in (self.priority, self.channel, self.segment))


def built_in(priority: str) -> Policy:
    return Policy(f"built-in:{priority}", priority, None, None, BUILT_IN[priority])


def choose(policies: Sequence[Policy], priority: str, channel: str,
           member: Callable[[str], bool]) -> Policy:
    """The most specific policy matching the ticket (``member(segment)``: is its customer in it)."""
    matching = [p for p in policies if p.priority in (None, priority) and p.channel in (None, channel)
                and (p.segment is None or member(p.segment))]
    if not matching:
        return built_in(priority)
    return min(matching, key=lambda p: (-p.specificity, p.policy_id))


def calendar_of(doc: Mapping[str, Any]) -> Calendar:
    return Calendar.parse(doc["timezone"], doc.get("country") or "", doc["hours"],
                          frozenset(doc.get("weekdays", range(5))), doc.get("subdivision") or "")


def calendar_for(calendars: Sequence[Mapping[str, Any]], team: str | None,
                 default: Calendar) -> tuple[str, Calendar]:
    """(calendar id, calendar) of a team: the first calendar (by id) naming it, else the default."""
    for doc in calendars:
        if team is not None and team in doc.get("teams", []):
            return str(doc["id"]), calendar_of(doc)
    return DEFAULT_CALENDAR, default


def calendar_named(calendars: Sequence[Mapping[str, Any]], calendar_id: str | None,
                   default: Calendar) -> Calendar:
    found = next((d for d in calendars if d["id"] == calendar_id), None)
    return calendar_of(found) if found else default
