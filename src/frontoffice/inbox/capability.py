"""The service inbox (issue 19): tickets event-sourced in the log, e-mail in and out, offline
understanding in six languages, routing, SLA and CSAT; ``frontoffice service``, ``/inbox/v1``
and the console's agent workspace and lead view."""

from __future__ import annotations

from typing import TYPE_CHECKING

from frontoffice.capability import Capability, ConsolePage, Purge
from frontoffice.domain.tenancy import Scope
from frontoffice.inbox.tables import TABLES

if TYPE_CHECKING:
    from fastapi import APIRouter

    from frontoffice.bootstrap import Container, Hubs
    from frontoffice.console.kit import ConsoleKit
    from frontoffice.privacy.purge import Erasing
    from frontoffice.projection.contract import Projection
    from frontoffice.storage.sql import SqlStore


def _routers(c: Container) -> list[APIRouter]:
    from frontoffice.inbox.api import inbox_router
    from frontoffice.inbox.chat_api import chat_router
    from frontoffice.inbox.csat_api import csat_router
    from frontoffice.inbox.webhooks_api import marketplace_router, social_router

    return [inbox_router(c), chat_router(c), marketplace_router(c), social_router(c), csat_router(c)]


def _projections(hubs: Hubs, store: SqlStore) -> list[Projection]:
    from frontoffice.inbox.wiring import desk_for
    from frontoffice.inbox.worker import InboxProjection

    return [InboxProjection(store, lambda: desk_for(hubs.settings, store))]


def _purge(erasing: Erasing) -> None:
    """The erased person's tickets and their messages."""
    import sqlalchemy as sa

    ws, people = erasing.workspace_id, list(erasing.person.person_ids)
    tickets, messages = erasing.table("inbox_tickets"), erasing.table("inbox_messages")
    ids = [r.ticket_id for r in erasing.conn.execute(sa.select(tickets.c.ticket_id).where(
        tickets.c.workspace_id == ws, tickets.c.person_id.in_(people)))]
    if not ids:
        return
    gone = erasing.conn.execute(messages.delete().where(messages.c.workspace_id == ws,
                                                         messages.c.ticket_id.in_(ids)))
    erasing.count("inbox_messages", max(gone.rowcount, 0))
    gone = erasing.conn.execute(tickets.delete().where(tickets.c.workspace_id == ws,
                                                        tickets.c.ticket_id.in_(ids)))
    erasing.count("inbox_tickets", max(gone.rowcount, 0))


def _workspace(kit: ConsoleKit) -> APIRouter:
    from frontoffice.inbox.console_pages import workspace_router

    return workspace_router(kit)


def _lead(kit: ConsoleKit) -> APIRouter:
    from frontoffice.inbox.console_pages import lead_router

    return lead_router(kit)


CAPABILITY = Capability(
    name="inbox",
    tables=TABLES,
    schema="frontoffice.inbox.tables",
    migrations="frontoffice.inbox",
    routers=_routers,
    commands={"service": "frontoffice.inbox.cli:service"},
    projections=_projections,
    purge=Purge(tables=("inbox_messages", "inbox_tickets"), run=_purge),
    console_pages=(
        ConsolePage("/inbox", "Service inbox", Scope.EVENTS_READ, _workspace),
        ConsolePage("/inbox-lead", "Service lead view", Scope.EVENTS_READ, _lead),
    ),
)
