"""What agents do with a ticket: reply (by hand or with a macro), note, change status, priority,
tags and team, assign (routing says why), merge, split, rate, start a return (the SLA clock
moves with the priority, the team and pauses: ``slas``). Each use case checks the rules
(``model``), logs ``inbox`` events and applies them."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from frontoffice.domain.tenancy import new_id
from frontoffice.errors import NotFound
from frontoffice.inbox import csat, macros, mail, slas
from frontoffice.inbox.deps import Desk
from frontoffice.inbox.intake import customer_of
from frontoffice.inbox.model import InboxError, check_move, check_priority
from frontoffice.inbox.ports import CustomerContext, Message, Ticket
from frontoffice.inbox.projector import log_and_project, record
from frontoffice.inbox.routing import Agent, Need, route


@dataclass(frozen=True, slots=True)
class TicketView:
    ticket: Ticket
    messages: list[Message]
    customer: CustomerContext


def ticket(desk: Desk, ws: str, ticket_id: str) -> Ticket:
    found = desk.inbox.ticket(ws, ticket_id)
    if found is None:
        raise NotFound(f"No ticket {ticket_id!r}; list them with `frontoffice service tickets`.")
    return found


def view(desk: Desk, ws: str, ticket_id: str) -> TicketView:
    """The ticket, its conversation, and the customer beside it (orders, shipments, returns,
    next best actions, consent)."""
    t = ticket(desk, ws, ticket_id)
    context = desk.customers.context(ws, t.person_id, t.doc.get("keys", []))
    if t.person_id:
        context = replace(context, next_best_actions=desk.actions.for_person(ws, t.person_id),
                          consent=desk.consent.for_person(ws, t.person_id))
    return TicketView(t, desk.inbox.messages(ws, ticket_id), context)


def update(desk: Desk, ws: str, ticket_id: str, changes: Mapping[str, Any], by: str,
           now: datetime) -> Ticket:
    t = ticket(desk, ws, ticket_id)
    allowed = {"status", "priority", "team", "tags_add", "tags_remove"}
    if unknown := set(changes) - allowed:
        raise InboxError(f"Cannot change {', '.join(sorted(unknown))}; "
                         f"change only {', '.join(sorted(allowed))}.")
    if t.status == "closed":
        raise InboxError("A closed ticket is final; open a new one.")
    wanted = {k: v for k, v in changes.items() if v not in (None, [])}
    if "priority" in wanted:
        check_priority(wanted["priority"])
    if {"priority", "team"} & set(wanted):  # another policy or another team's calendar
        t = replace(t, doc={**t.doc, "sla": slas.retarget(desk, ws, t, wanted.get("priority", t.priority),
                                                          wanted.get("team", t.team))})
        wanted["sla"] = t.doc["sla"]
    if "status" in wanted:
        check_move(t.status, wanted["status"])
        if (clock := slas.paused(desk, ws, t, wanted["status"], now)) is not None:
            wanted["sla"] = clock
    log_and_project(desk.inbox, ws, [record(f"{ticket_id}:updated:{new_id()}", "ticket.updated", {
        "ticket_id": ticket_id, "changes": wanted, "by": by, "at": now.isoformat()}, now)])
    if wanted.get("status") == "solved":
        csat.ask(desk, ws, ticket(desk, ws, ticket_id), now)
    return ticket(desk, ws, ticket_id)


def about(t: Ticket) -> dict[str, str]:
    """The ticket's customer, as its events carry it: the log seals them under the customer's
    key, so erasing the person shreds the agents' replies and notes with their messages."""
    requester = t.doc.get("requester") or {}
    return customer_of(requester.get("kind", ""), requester.get("value", ""))


def note(desk: Desk, ws: str, ticket_id: str, author: str, text: str, now: datetime) -> Ticket:
    t = ticket(desk, ws, ticket_id)
    note_id = f"note:{new_id()}"
    log_and_project(desk.inbox, ws, [record(f"{ticket_id}:{note_id}", "note.added", {
        "ticket_id": ticket_id, "message_id": note_id, "author": author, "text": text,
        "at": now.isoformat(), "internal": True, "customer": about(t)}, now)])
    return ticket(desk, ws, ticket_id)


def macro_values(desk: Desk, ws: str, t: Ticket, agent: str) -> dict[str, dict[str, Any]]:
    context = desk.customers.context(ws, t.person_id, t.doc.get("keys", []))
    orders = {o["order_id"]: o for o in context.orders}
    mentioned = [orders[i] for i in t.doc.get("orders", []) if i in orders] or context.orders[-1:]
    order = mentioned[0] if mentioned else {}
    name = t.doc["requester"].get("name") or context.golden.get("given_name") or ""
    agent_doc = desk.inbox.entity(ws, "agent", agent) or {}
    return {"customer": {"name": name, "email": t.doc["requester"].get("value")},
            "ticket": {"id": t.ticket_id, "subject": t.doc.get("subject")},
            "order": {"id": order.get("order_id"), "status": order.get("status")},
            "agent": {"name": agent_doc.get("name", agent)}}


def reply(desk: Desk, ws: str, ticket_id: str, agent: str, now: datetime, text: str | None = None,
          macro: str | None = None, status: str | None = None) -> Ticket:
    """Send a reply to the requester (e-mail through the relay), threaded on their last mail."""
    t = ticket(desk, ws, ticket_id)
    if t.status == "closed":
        raise InboxError("A closed ticket is final; open a new one to write to the customer.")
    changes: dict[str, Any] = {}
    if macro is not None:
        saved = desk.inbox.entity(ws, "macro", macro)
        if saved is None:
            raise NotFound(f"No macro {macro!r}; save one with PUT /inbox/v1/macros/{macro}.")
        text = macros.render(macros.body_for(saved, t.doc.get("language")), macro_values(desk, ws, t, agent))
        changes = {k: v for k, v in saved.get("actions", {}).items() if k in ("status", "tags_add")}
    if not text or not text.strip():
        raise InboxError("A reply needs text or a macro.")
    status = status or changes.get("status")
    if status:
        check_move(t.status, status)
    received = [m for m in desk.inbox.messages(ws, ticket_id) if m.kind == "received"]
    last = received[-1].doc if received else {}
    header_id = None
    if t.channel == "email":
        message = mail.compose(
            sender=desk.address, to=t.doc["requester"]["value"], subject=t.doc.get("subject", ""),
            text=text, token=ticket_id, at=now, in_reply_to=last.get("header_id"),
            references=(*last.get("references", []), *([last["header_id"]] if last.get("header_id") else [])),
            domain=desk.address.partition("@")[2] or "frontoffice.invalid")
        if desk.mailer is None:
            raise InboxError("No SMTP relay is configured (setting inbox_smtp_relay); set it to send e-mail.")
        desk.mailer.send(message)
        header_id = str(message["Message-ID"])
    sent_id = header_id or f"out:{new_id()}"
    records = [record(f"{ticket_id}:out:{sent_id}", "message.sent", {
        "ticket_id": ticket_id, "message_id": sent_id, "header_id": header_id, "author": agent,
        "text": text, "macro": macro, "at": now.isoformat(), "customer": about(t),
        "thread_keys": [f"mid:{header_id}"] if header_id else []}, now)]
    log_and_project(desk.inbox, ws, records)
    extra = {"tags_add": changes.get("tags_add", [])}
    if status or extra["tags_add"]:
        return update(desk, ws, ticket_id, {"status": status, **extra}, agent, now)
    return ticket(desk, ws, ticket_id)


def assign(desk: Desk, ws: str, ticket_id: str, now: datetime, agent_id: str | None = None,
           by: str = "router") -> Ticket:
    """Give the ticket to ``agent_id``, or to whom routing picks (the reason is logged)."""
    t = ticket(desk, ws, ticket_id)
    agents = [Agent.of(d) for d in desk.inbox.entities(ws, "agent")]
    if agent_id is not None:
        chosen = next((a for a in agents if a.agent_id == agent_id), None)
        if chosen is None:
            raise NotFound(f"No agent {agent_id!r}; add one with PUT /inbox/v1/agents/{agent_id}.")
        agent, team, reason = agent_id, chosen.team, f"assigned by {by}"
    else:
        u = t.doc.get("understanding", {})
        vip = "vip" in t.doc.get("tags", [])
        choice = route(Need(u.get("language", "en"), u.get("category", "other"), t.channel, vip),
                       [a for a in agents if a.agent_id != t.assignee], desk.inbox.open_load(ws))
        if choice.agent_id is None:
            raise InboxError(choice.reason)
        agent, team = choice.agent_id, choice.team
        reason = choice.reason if by == "router" else f"{by}; {choice.reason}"
    moved = {"sla": slas.retarget(desk, ws, t, t.priority, team)} if team and team != t.team else {}
    log_and_project(desk.inbox, ws, [record(f"{ticket_id}:assigned:{new_id()}", "ticket.assigned", {
        "ticket_id": ticket_id, "agent_id": agent, "team": team, "reason": reason,
        "at": now.isoformat(), **moved}, now)])
    return ticket(desk, ws, ticket_id)


def merge(desk: Desk, ws: str, source_id: str, into: str, now: datetime) -> Ticket:
    source, target = ticket(desk, ws, source_id), ticket(desk, ws, into)
    if source_id == into or source.status == "closed" or target.status == "closed":
        raise InboxError("Merge two different tickets that are not closed.")
    log_and_project(desk.inbox, ws, [record(f"{source_id}:merged:{into}", "ticket.merged", {
        "ticket_id": source_id, "into": into, "at": now.isoformat()}, now)])
    return ticket(desk, ws, into)


def split(desk: Desk, ws: str, ticket_id: str, message_ids: Sequence[str], now: datetime) -> Ticket:
    t = ticket(desk, ws, ticket_id)
    own = {m.message_id: m for m in desk.inbox.messages(ws, ticket_id)}
    if not message_ids or any(i not in own for i in message_ids) or len(set(message_ids)) == len(own):
        raise InboxError("Split off some, not all, of the ticket's own messages (their message ids).")
    new_ticket = "T" + new_id()
    subject = own[message_ids[0]].doc.get("subject") or t.doc.get("subject", "")
    log_and_project(desk.inbox, ws, [record(f"{ticket_id}:split:{new_ticket}", "ticket.split", {
        "ticket_id": ticket_id, "new_ticket_id": new_ticket, "message_ids": list(message_ids),
        "subject": subject, "at": now.isoformat(),
        "sla": slas.clock(desk, ws, t.priority, t.channel, t.person_id, t.team, now)}, now)])
    return ticket(desk, ws, new_ticket)


def rate(desk: Desk, ws: str, ticket_id: str, score: int, comment: str, now: datetime) -> Ticket:
    """CSAT after a solve: one rating per ticket (a second replaces the first), 1 to 5."""
    t = ticket(desk, ws, ticket_id)
    if t.status not in ("solved", "closed"):
        raise InboxError("Ratings are asked for after a solve; this ticket is still " + t.status + ".")
    if not 1 <= score <= 5:
        raise InboxError("A rating is 1 (bad) to 5 (good).")
    log_and_project(desk.inbox, ws, [record(f"{ticket_id}:rated:{new_id()}", "ticket.rated", {
        "ticket_id": ticket_id, "score": score, "comment": comment, "at": now.isoformat()}, now)])
    return ticket(desk, ws, ticket_id)


def rate_by_link(desk: Desk, ws: str, token: str, score: int, now: datetime) -> Ticket:
    """A rating from the link of a CSAT e-mail (its token names the ticket)."""
    found = desk.inbox.thread(ws, [f"csat:{token}"])
    if found is None:
        raise NotFound("This rating link is unknown or no longer valid.")
    return rate(desk, ws, found, score, "", now)
