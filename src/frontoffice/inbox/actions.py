"""Order actions from a ticket, through commerce's port (``ports.Customers``), each for one of the
ticket's customer's orders and each recorded: a ``ticket.action`` event in the log and a note
on the conversation. Start a return, check stock, resend, cancel (the rules: ``order_policy``)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from frontoffice.domain.tenancy import new_id
from frontoffice.errors import InvalidInput
from frontoffice.inbox import order_policy
from frontoffice.inbox.deps import Desk
from frontoffice.inbox.model import InboxError
from frontoffice.inbox.ports import CustomerContext, Ticket
from frontoffice.inbox.projector import log_and_project, record
from frontoffice.inbox.service import note, ticket


def _customers_order(desk: Desk, ws: str, t: Ticket, order_id: str,
                     doing: str) -> tuple[dict[str, Any], CustomerContext]:
    context = desk.customers.context(ws, t.person_id, t.doc.get("keys", []))
    found = next((o for o in context.orders if o["order_id"] == order_id), None)
    if found is None:
        raise InboxError(f"Order {order_id!r} is not this customer's; {doing} only their orders.")
    return found, context


def _recorded(desk: Desk, ws: str, t: Ticket, action: str, order_id: str, result: Mapping[str, Any],
              text: str, agent: str, now: datetime) -> None:
    log_and_project(desk.inbox, ws, [record(f"{t.ticket_id}:action:{new_id()}", "ticket.action", {
        "ticket_id": t.ticket_id, "action": action, "order_id": order_id, "result": dict(result),
        "by": agent, "at": now.isoformat()}, now)])
    note(desk, ws, t.ticket_id, agent, text, now)


def start_return(desk: Desk, ws: str, ticket_id: str, order_id: str, lines: Sequence[Mapping[str, Any]],
                 reason: str, agent: str, now: datetime) -> dict[str, Any]:
    """Open a return (RMA) through commerce for lines of one of the customer's orders."""
    t = ticket(desk, ws, ticket_id)
    _customers_order(desk, ws, t, order_id, "start returns for")
    rma = desk.customers.start_return(ws, order_id, lines, reason, "rma_" + new_id())
    _recorded(desk, ws, t, "return", order_id, rma,
              f"Return {rma['return_id']} started for order {order_id}: {reason}", agent, now)
    return rma


def _stock(desk: Desk, ws: str, order: Mapping[str, Any]) -> dict[str, int]:
    return {line["sku"]: desk.customers.available(ws, line["sku"], order.get("channel", "web"))
            for line in order.get("lines", [])}


def check_stock(desk: Desk, ws: str, ticket_id: str, order_id: str, agent: str,
                now: datetime) -> dict[str, int]:
    """Units available to ship of each SKU of one of the customer's orders."""
    t = ticket(desk, ws, ticket_id)
    order, _ = _customers_order(desk, ws, t, order_id, "check stock for")
    found = _stock(desk, ws, order)
    _recorded(desk, ws, t, "stock", order_id, found, f"Stock for order {order_id}: " +
              ", ".join(f"{sku} {units} available" for sku, units in sorted(found.items())), agent, now)
    return found


def resend(desk: Desk, ws: str, ticket_id: str, order_id: str, agent: str, now: datetime) -> dict[str, Any]:
    """Ship a failed or late delivery again (within ``order_policy``); commerce gets the shipment."""
    t = ticket(desk, ws, ticket_id)
    order, context = _customers_order(desk, ws, t, order_id, "resend")
    plan = order_policy.resend_plan(order, context.shipments, _stock(desk, ws, order), now)
    if isinstance(plan, str):
        raise InboxError(plan)
    shipment = desk.customers.ship_again(ws, plan)
    _recorded(desk, ws, t, "resend", order_id, shipment,
              f"Order {order_id} resent as shipment {plan.shipment_id} ({plan.why})", agent, now)
    return shipment


def cancel(desk: Desk, ws: str, ticket_id: str, order_id: str, reason: str, agent: str,
           now: datetime) -> dict[str, Any]:
    """Cancel an order that has not shipped (within ``order_policy``); commerce records it."""
    t = ticket(desk, ws, ticket_id)
    order, _ = _customers_order(desk, ws, t, order_id, "cancel")
    if refusal := order_policy.cancel_refusal(order):
        raise InboxError(refusal)
    try:
        cancelled = desk.customers.cancel_order(ws, order, reason)
    except InvalidInput as exc:  # commerce's own state machine refused it
        raise InboxError(f"Commerce refused to cancel order {order_id}: {exc}") from None
    _recorded(desk, ws, t, "cancel", order_id, cancelled, f"Order {order_id} cancelled: {reason}", agent, now)
    return cancelled
