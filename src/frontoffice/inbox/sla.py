"""Service levels on business hours: targets (first response, next response, resolution) counted
only in a calendar's working hours (its time zone, weekdays, the public holidays of its country
and region from the ``holidays`` package), paused while a ticket waits on the customer. Pure."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import cache
from zoneinfo import ZoneInfo

import holidays


@dataclass(frozen=True, slots=True)
class Targets:
    """Business hours to the first response, to each next response, and to the resolution."""

    first_response: float
    next_response: float
    resolution: float


# when no configured policy matches: per priority
BUILT_IN: dict[str, Targets] = {
    "urgent": Targets(1, 1, 8), "high": Targets(4, 4, 24), "normal": Targets(8, 8, 40),
    "low": Targets(24, 24, 80)}


@dataclass(frozen=True, slots=True)
class Calendar:
    timezone: str
    country: str  # holidays of this country ("" for none)
    opens: time
    closes: time
    weekdays: frozenset[int] = frozenset(range(5))  # Monday = 0
    subdivision: str = ""  # the region's own holidays too (``BY``: Bavaria)

    @classmethod
    def parse(cls, timezone: str, country: str, hours: str, weekdays: frozenset[int] = frozenset(range(5)),
              subdivision: str = "") -> Calendar:
        start, _, end = hours.partition("-")
        return cls(timezone, country, time.fromisoformat(start.strip()), time.fromisoformat(end.strip()),
                   weekdays, subdivision)


@cache
def _holidays(country: str, subdivision: str, year: int) -> holidays.HolidayBase:
    return holidays.country_holidays(country, subdiv=subdivision or None, years=year)


def is_working_day(cal: Calendar, day: date) -> bool:
    return day.weekday() in cal.weekdays and not (
        cal.country and day in _holidays(cal.country, cal.subdivision, day.year))


def add_business_seconds(cal: Calendar, start: datetime, seconds: float) -> datetime:
    """The moment ``seconds`` of working time after ``start`` (UTC in, UTC out)."""
    zone = ZoneInfo(cal.timezone)
    at = start.astimezone(zone)
    left = seconds
    for _ in range(3660):  # ten years of days at most
        day = at.date()
        opens = datetime.combine(day, cal.opens, zone)
        closes = datetime.combine(day, cal.closes, zone)
        if is_working_day(cal, day) and at < closes:
            begin = max(at, opens)
            span = (closes - begin).total_seconds()
            if left <= span:
                return (begin + timedelta(seconds=left)).astimezone(start.tzinfo)
            left -= span
        at = datetime.combine(day + timedelta(days=1), time(0), zone)
    raise ValueError("The calendar has no working hours; give it weekdays and opening hours.")


def business_seconds_between(cal: Calendar, start: datetime, end: datetime) -> float:
    """Working seconds from ``start`` to ``end`` (0 when ``end`` is not after ``start``)."""
    zone = ZoneInfo(cal.timezone)
    at, stop, total = start.astimezone(zone), end.astimezone(zone), 0.0
    while at < stop:
        day = at.date()
        if is_working_day(cal, day):
            begin = max(at, datetime.combine(day, cal.opens, zone))
            finish = min(stop, datetime.combine(day, cal.closes, zone))
            total += max((finish - begin).total_seconds(), 0.0)
        at = datetime.combine(day + timedelta(days=1), time(0), zone)
    return total


WARN_AT = 0.75  # a warning when this share of a target's business time is spent


def dues(cal: Calendar, targets: Targets, opened: datetime, paused_seconds: float) -> dict[str, str]:
    """When the first response and the resolution are due, after ``paused_seconds`` of pauses,
    and when to warn that they soon will be."""

    def at(seconds: float) -> str:
        return add_business_seconds(cal, opened, seconds).isoformat()

    first, resolve = targets.first_response * 3600, targets.resolution * 3600
    return {"first_response_due": at(first), "first_response_warn": at(WARN_AT * first),
            "resolution_due": at(resolve + paused_seconds),
            "resolution_warn": at(WARN_AT * resolve + paused_seconds)}


def next_response_dues(cal: Calendar, targets: Targets, since: datetime) -> tuple[datetime, datetime]:
    """(warning, due) of the answer to a customer who wrote at ``since`` after the first response."""
    hours = targets.next_response * 3600
    return add_business_seconds(cal, since, WARN_AT * hours), add_business_seconds(cal, since, hours)
