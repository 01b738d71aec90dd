"""The inbox API's ticket routes: the queue, a ticket with the customer beside it, messages from
the API's channels (chat, call-centre notes, marketplaces, social), replies, notes, changes,
assignment, merge and split, ratings, and the order actions taken from a ticket (start a return,
check stock, resend, cancel: each through commerce, each recorded on the ticket)."""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated, Any

from fastapi import APIRouter, Query
from starlette.concurrency import run_in_threadpool

from frontoffice.domain.events import now
from frontoffice.domain.tenancy import new_id
from frontoffice.inbox import actions, intake, kb, service
from frontoffice.inbox.schemas_api import (
    DeskOf,
    InboxAssignIn,
    InboxCancelIn,
    InboxChangeIn,
    InboxMessageIn,
    InboxNoteIn,
    InboxRatingIn,
    InboxReplyIn,
    InboxResendIn,
    InboxReturnIn,
    Reader,
    Writer,
    ticket_json,
)


def add_ticket_routes(router: APIRouter, desk: DeskOf) -> None:
    @router.get("/tickets")
    def list_tickets(workspace: Reader, status: Annotated[list[str] | None, Query()] = None,
                     assignee: str | None = None, limit: Annotated[int, Query(ge=1, le=1000)] = 200
                     ) -> dict[str, Any]:
        """The queue: tickets by last change, newest first."""
        found = desk(workspace).inbox.tickets(workspace.id, status or (), assignee, None, limit)
        return {"tickets": [ticket_json(t) for t in found]}

    @router.get("/tickets/{ticket_id}")
    def get_ticket(workspace: Reader, ticket_id: str) -> dict[str, Any]:
        """The ticket, its conversation and notes, the customer's orders, shipments, returns, consent
        and next best actions, and the knowledge base articles closest to the first message."""
        d = desk(workspace)
        v = service.view(d, workspace.id, ticket_id)
        first = next((m.doc.get("stripped") or m.doc.get("text", "") for m in v.messages
                      if m.kind == "received"), "")
        return {"ticket": ticket_json(v.ticket), "messages": [asdict(m) for m in v.messages],
                "customer": asdict(v.customer), "suggested_articles": kb.search(d, workspace.id, first)}

    @router.post("/messages", status_code=201)
    async def post_message(workspace: Writer, body: InboxMessageIn) -> dict[str, Any]:
        """A message from chat, phone (call-centre notes), a marketplace, a social network or
        another system."""
        item = intake.Incoming(body.channel, body.message_id or f"api:{new_id()}", body.sender_kind,
                               body.sender, body.sender_name, body.subject, body.text,
                               (), body.ticket_id)
        receipt = await run_in_threadpool(intake.receive, desk(workspace), workspace.id, item, now())
        return asdict(receipt)

    @router.post("/tickets/{ticket_id}/replies")
    def post_reply(workspace: Writer, ticket_id: str, body: InboxReplyIn) -> dict[str, Any]:
        return ticket_json(service.reply(desk(workspace), workspace.id, ticket_id, body.agent, now(),
                                         body.text, body.macro, body.status))

    @router.post("/tickets/{ticket_id}/notes")
    def post_note(workspace: Writer, ticket_id: str, body: InboxNoteIn) -> dict[str, Any]:
        return ticket_json(service.note(desk(workspace), workspace.id, ticket_id, body.author, body.text,
                                        now()))

    @router.patch("/tickets/{ticket_id}")
    def patch_ticket(workspace: Writer, ticket_id: str, body: InboxChangeIn) -> dict[str, Any]:
        changes = body.model_dump(exclude={"by"}, exclude_none=True)
        return ticket_json(service.update(desk(workspace), workspace.id, ticket_id, changes, body.by, now()))

    @router.post("/tickets/{ticket_id}/assign")
    def post_assign(workspace: Writer, ticket_id: str, body: InboxAssignIn) -> dict[str, Any]:
        return ticket_json(service.assign(desk(workspace), workspace.id, ticket_id, now(), body.agent_id,
                                          body.by))

    @router.post("/tickets/{ticket_id}/merge/{into}")
    def post_merge(workspace: Writer, ticket_id: str, into: str) -> dict[str, Any]:
        return ticket_json(service.merge(desk(workspace), workspace.id, ticket_id, into, now()))

    @router.post("/tickets/{ticket_id}/split")
    def post_split(workspace: Writer, ticket_id: str, message_ids: list[str]) -> dict[str, Any]:
        return ticket_json(service.split(desk(workspace), workspace.id, ticket_id, message_ids, now()))

    @router.post("/tickets/{ticket_id}/rating")
    def post_rating(workspace: Writer, ticket_id: str, body: InboxRatingIn) -> dict[str, Any]:
        """CSAT after a solve: 1 (bad) to 5 (good), logged as ``ticket.rated``."""
        return ticket_json(service.rate(desk(workspace), workspace.id, ticket_id, body.score,
                                        body.comment, now()))

    @router.post("/tickets/{ticket_id}/returns", status_code=201)
    def post_return(workspace: Writer, ticket_id: str, body: InboxReturnIn) -> dict[str, Any]:
        """Start a return (RMA) through commerce for lines of the customer's order."""
        return actions.start_return(desk(workspace), workspace.id, ticket_id, body.order_id, body.lines,
                                    body.reason, body.agent, now())

    @router.get("/tickets/{ticket_id}/orders/{order_id}/stock")
    def get_stock(workspace: Writer, ticket_id: str, order_id: str, agent: str = "api") -> dict[str, Any]:
        """Units available to ship of each SKU of the customer's order (noted on the ticket)."""
        return {"available": actions.check_stock(desk(workspace), workspace.id, ticket_id, order_id, agent,
                                                 now())}

    @router.post("/tickets/{ticket_id}/orders/{order_id}/resend", status_code=201)
    def post_resend(workspace: Writer, ticket_id: str, order_id: str, body: InboxResendIn) -> dict[str, Any]:
        """Ship the customer's order again when its delivery failed or is late and every line is
        in stock (once per order); the new shipment goes to commerce."""
        return actions.resend(desk(workspace), workspace.id, ticket_id, order_id, body.agent, now())

    @router.post("/tickets/{ticket_id}/orders/{order_id}/cancel")
    def post_cancel(workspace: Writer, ticket_id: str, order_id: str, body: InboxCancelIn) -> dict[str, Any]:
        """Cancel the customer's order while it has not shipped (commerce records the cancellation)."""
        return actions.cancel(desk(workspace), workspace.id, ticket_id, order_id, body.reason, body.agent,
                              now())
