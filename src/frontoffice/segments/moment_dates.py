"""When a date moment comes for one person: their birthday (the golden record's birth date) or the
anniversary of their first purchase, at the moment's hour in the person's own time zone. Each
person gets their own instant, which the worker's timer wakes for (no daily batch). A 29 February
is kept on 28 February in the years without one. Pure."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import UTC, date, datetime

from frontoffice.segments.moments import zone


@dataclass(frozen=True, slots=True)
class Due:
    at: int  # epoch ms
    occurrence: str  # what comes due: ``birthday 2027-05-17``


def parse_day(value: str | None) -> date | None:
    """A birth date as the golden record holds it (``1990-05-17``, or an ISO timestamp)."""
    if not value:
        return None
    try:
        return date.fromisoformat(value.strip()[:10])
    except ValueError:
        return None


def local_day(epoch_ms: int, tz: str | None) -> date:
    return datetime.fromtimestamp(epoch_ms / 1000, UTC).astimezone(zone(tz)).date()


def _on(year: int, month: int, day: int) -> date:
    return date(year, month, min(day, calendar.monthrange(year, month)[1]))


def next_due(kind: str, origin: date, hour: int, tz: str | None, now_ms: int,
             after: date | None = None) -> Due:
    """The next occurrence of ``origin``'s day (from the year after ``origin`` for an anniversary)
    at ``hour`` local time, later than ``after`` (the occurrence already handled). An occurrence
    whose day is today where the person lives is due now even when its hour has passed."""
    today = local_day(now_ms, tz)
    first = origin.year + 1 if kind == "first_purchase_anniversary" else origin.year
    year = max(first, today.year, (after.year + 1) if after else first)
    day = _on(year, origin.month, origin.day)
    while day < today or (after is not None and day <= after):
        year += 1
        day = _on(year, origin.month, origin.day)
    local = datetime(day.year, day.month, day.day, hour, tzinfo=zone(tz))
    at = int(local.timestamp() * 1000)
    return Due(max(at, now_ms), f"{kind} {day.isoformat()}")
