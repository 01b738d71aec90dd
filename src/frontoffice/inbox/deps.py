"""The ports and configuration every inbox use case takes, bundled once per process."""

from __future__ import annotations

from dataclasses import dataclass

from frontoffice.inbox.ports import Customers, Inbox, Mailer, NextBestActions, Segments, Understand
from frontoffice.inbox.sla import Calendar


@dataclass(frozen=True, slots=True)
class Desk:
    inbox: Inbox
    customers: Customers
    understand: Understand
    segments: Segments
    actions: NextBestActions
    mailer: Mailer | None
    calendar: Calendar
    address: str  # the support address replies come from
    max_attachment_bytes: int
    vip_segment: str
