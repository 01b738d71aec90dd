"""The ports and configuration every inbox use case takes, bundled once per process."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from frontoffice.inbox.ports import Consent, Customers, Inbox, Mailer, NextBestActions, Segments, Understand
from frontoffice.inbox.sla import Calendar


@dataclass(frozen=True, slots=True)
class Desk:
    inbox: Inbox
    customers: Customers
    understand: Understand
    segments: Segments
    actions: NextBestActions
    consent: Consent
    mailer: Mailer | None
    calendar: Calendar
    address: str  # the support address replies come from
    max_attachment_bytes: int
    vip_segment: str
    public_url: str = "http://127.0.0.1:8000"  # the base of links customers follow (CSAT)
    embed: Callable[[Sequence[str]], Any] | None = None  # sentence vectors (knowledge base search)
    vectors: dict[str, Any] = field(default_factory=dict)  # an article's vector by its text's hash
