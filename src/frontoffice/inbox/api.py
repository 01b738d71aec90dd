"""The inbox's HTTP API under ``/api/v1/workspaces/{ws}/inbox``: the ticket routes
(``tickets_api``) and the desk's (``desk_api``: agents, macros, SLA, knowledge base, report), on
one router with the desk of the workspace's storage. The signed webhooks are ``webhooks_api``'s,
the chat ``chat_api``'s, the rating links ``csat_api``'s."""

from __future__ import annotations

from fastapi import APIRouter

from frontoffice.api.schemas import error_responses
from frontoffice.bootstrap import Container
from frontoffice.domain.tenancy import Workspace
from frontoffice.inbox.deps import Desk
from frontoffice.inbox.desk_api import add_desk_routes
from frontoffice.inbox.tickets_api import add_ticket_routes
from frontoffice.inbox.wiring import desk_for


def inbox_router(c: Container) -> APIRouter:
    desks = c.per_store(lambda store: desk_for(c.settings, store))

    def desk(ws: Workspace) -> Desk:
        return desks(ws.id)

    router = APIRouter(prefix="/api/v1/workspaces/{ws}/inbox", tags=["inbox"], responses=error_responses({
        400: "Invalid body.", 401: "Missing or unknown API token.",
        403: "The token lacks the scope or belongs to another workspace.",
        404: "No such ticket, agent, macro or message.",
        409: "The ticket's rules refuse it (the message says what is allowed).",
        413: "The body is over the API's limit (setting max_api_body_bytes)."}))
    add_ticket_routes(router, desk)
    add_desk_routes(router, desk)
    return router
