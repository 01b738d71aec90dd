"""The inbox in the console: the agent workspace (the queue; a conversation with the customer's
orders, shipments, returns, consent and next best actions beside it; reply by hand or with a
macro; start a return, resend or cancel an order) and the lead view (backlog, SLA attainment,
CSAT per agent and channel)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from frontoffice.console.kit import ConsoleKit, Posted, Viewer
from frontoffice.domain.events import now
from frontoffice.domain.tenancy import Scope
from frontoffice.inbox import actions, kb, reports, service
from frontoffice.inbox.deps import Desk
from frontoffice.inbox.model import STATUSES, InboxError
from frontoffice.inbox.wiring import desk_for


def _desk(kit: ConsoleKit, viewer: Viewer) -> Desk:
    return desk_for(kit.container.settings, kit.data(viewer))


def workspace_router(kit: ConsoleKit) -> APIRouter:
    router = APIRouter(prefix="/inbox")
    # The console's agent role holds events:read, not events:write: replying and starting a return
    # need the role that reads the inbox (an inbox:write scope for the roles is the lead's call).
    reader, form = kit.viewer(Scope.EVENTS_READ), kit.posted(Scope.EVENTS_READ)

    @router.get("", response_class=HTMLResponse)
    def queue(request: Request, status: str = "", viewer: Viewer = reader) -> HTMLResponse:
        statuses = (status,) if status in STATUSES else ("new", "open", "pending", "on_hold")
        found = _desk(kit, viewer).inbox.tickets(viewer.workspace.id, statuses)
        return kit.render(request, viewer, "inbox_queue.html", tickets=found, chosen=status,
                          statuses=STATUSES)

    def page(request: Request, viewer: Viewer, ticket_id: str, error: str = "") -> HTMLResponse:
        desk = _desk(kit, viewer)
        view = service.view(desk, viewer.workspace.id, ticket_id)
        first = next((m.doc.get("stripped") or m.doc.get("text", "") for m in view.messages
                      if m.kind == "received"), "")
        articles = kb.search(desk, viewer.workspace.id, first) if first else []
        return kit.render(request, viewer, "inbox_ticket.html", view=view, error=error, articles=articles,
                          macros=desk.inbox.entities(viewer.workspace.id, "macro"),
                          status=400 if error else 200)

    @router.get("/{ticket_id}", response_class=HTMLResponse)
    def ticket(request: Request, ticket_id: str, viewer: Viewer = reader) -> HTMLResponse:
        return page(request, viewer, ticket_id)

    @router.post("/{ticket_id}/reply", response_class=HTMLResponse)
    def reply(request: Request, ticket_id: str, posted: Posted = form) -> Response:
        viewer, fields = posted.viewer, posted.form
        try:
            service.reply(_desk(kit, viewer), viewer.workspace.id, ticket_id, viewer.session.user.login,
                          now(), fields.get("text") or None, fields.get("macro") or None,
                          fields.get("status") or None)
        except InboxError as exc:
            return page(request, viewer, ticket_id, str(exc))
        kit.audit(viewer, "inbox.reply", ticket_id)
        return RedirectResponse(f"{kit.base(viewer)}/inbox/{ticket_id}", status_code=303)

    @router.post("/{ticket_id}/return", response_class=HTMLResponse)
    def start_return(request: Request, ticket_id: str, posted: Posted = form) -> Response:
        viewer, fields = posted.viewer, posted.form
        try:
            line = int(fields.get("line_no", "1") or 1)
            actions.start_return(_desk(kit, viewer), viewer.workspace.id, ticket_id,
                                 fields.get("order_id", ""), [{"line_no": line, "qty": 1}],
                                 fields.get("reason", "") or "customer request",
                                 viewer.session.user.login, now())
        except (InboxError, ValueError) as exc:
            return page(request, viewer, ticket_id, str(exc))
        kit.audit(viewer, "inbox.return", ticket_id)
        return RedirectResponse(f"{kit.base(viewer)}/inbox/{ticket_id}", status_code=303)

    @router.post("/{ticket_id}/order-action", response_class=HTMLResponse)
    def order_action(request: Request, ticket_id: str, posted: Posted = form) -> Response:
        """Resend or cancel one of the customer's orders (within policy; refusals say why)."""
        viewer, fields = posted.viewer, posted.form
        action, order_id = fields.get("action", ""), fields.get("order_id", "")
        desk, login = _desk(kit, viewer), viewer.session.user.login
        try:
            if action == "resend":
                actions.resend(desk, viewer.workspace.id, ticket_id, order_id, login, now())
            elif action == "cancel":
                actions.cancel(desk, viewer.workspace.id, ticket_id, order_id,
                               fields.get("reason", "") or "customer request", login, now())
            else:
                raise InboxError("Choose an action: resend or cancel.")
        except InboxError as exc:
            return page(request, viewer, ticket_id, str(exc))
        kit.audit(viewer, f"inbox.{action}", ticket_id)
        return RedirectResponse(f"{kit.base(viewer)}/inbox/{ticket_id}", status_code=303)

    return router


def lead_router(kit: ConsoleKit) -> APIRouter:
    router = APIRouter()
    reader = kit.viewer(Scope.EVENTS_READ)

    @router.get("/inbox-lead", response_class=HTMLResponse)
    def lead(request: Request, viewer: Viewer = reader) -> HTMLResponse:
        figures = reports.lead(_desk(kit, viewer).inbox, viewer.workspace.id, now())
        return kit.render(request, viewer, "inbox_lead.html", figures=figures)

    return router
