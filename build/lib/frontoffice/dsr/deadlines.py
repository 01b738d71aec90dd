"""Due dates from a region pack's DSR rule. Pure.

Calendar days are added as they are; business days skip Saturdays and Sundays (public holidays
are not modelled: a pack that needs them would list them, and none does yet). An extension is
counted from the original due date in the same unit, once, and only where the pack allows one.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from frontoffice.consent.packs import Dsr
from frontoffice.dsr.model import DsrError


def add_days(start: datetime, days: int, business: bool) -> datetime:
    if not business:
        return start + timedelta(days=days)
    current, left = start, days
    while left > 0:
        current += timedelta(days=1)
        if current.weekday() < 5:
            left -= 1
    return current


def due_date(opened_at: datetime, rule: Dsr) -> datetime:
    return add_days(opened_at, rule.deadline_days, rule.business_days)


def extended_due_date(due_at: datetime, rule: Dsr, region: str, reason: str,
                      already_extended: bool) -> datetime:
    if not reason.strip():
        raise DsrError("An extension needs a reason (it is recorded and told to the person).")
    if already_extended:
        raise DsrError("This request was already extended once; the law allows one extension.")
    if rule.extension_days <= 0:
        raise DsrError(f"The {region} pack allows no extension of the DSR deadline ({rule.note}).")
    return add_days(due_at, rule.extension_days, rule.business_days)
