"""The ticket as a fold of its events: the rules of its states, and how each ``inbox`` event of
the log changes the projection. Pure: ``apply`` only calls the ``Writes`` port it is given.

Replaying the log in order ends in the same rows as applying each event when it was logged, so
the tables can always be rebuilt from the log (the log is the source of truth)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from frontoffice.errors import FrontofficeError
from frontoffice.inbox.ports import Message, Ticket, Writes

STATUSES = ("new", "open", "pending", "on_hold", "solved", "closed")
PRIORITIES = ("low", "normal", "high", "urgent")
ACTIVE = ("new", "open", "pending", "on_hold")
_MOVES: dict[str, tuple[str, ...]] = {
    "new": ("open", "pending", "on_hold", "solved"),
    "open": ("pending", "on_hold", "solved"),
    "pending": ("open", "on_hold", "solved"),
    "on_hold": ("open", "pending", "solved"),
    "solved": ("open", "closed"),
    "closed": (),
}


class InboxError(FrontofficeError):
    """A ticket operation the rules refuse; the message says what is allowed instead."""

    code = "inbox_refused"
    status = 409


def check_move(current: str, to: str) -> None:
    if to not in STATUSES:
        raise InboxError(f"Unknown status {to!r}; use one of {', '.join(STATUSES)}.")
    if to != current and to not in _MOVES[current]:
        allowed = ", ".join(_MOVES[current]) or "nothing (a closed ticket is final: open a new one)"
        raise InboxError(f"A {current} ticket cannot become {to}; it can become {allowed}.")


def check_priority(priority: str) -> None:
    if priority not in PRIORITIES:
        raise InboxError(f"Unknown priority {priority!r}; use one of {', '.join(PRIORITIES)}.")


def _touch(t: Ticket, at: str, **doc: Any) -> Ticket:
    return replace(t, updated_at=max(t.updated_at, at), doc={**t.doc, **doc})


def _open(data: Mapping[str, Any]) -> Ticket:
    doc = {"subject": data.get("subject", ""), "requester": data.get("requester", {}),
           "tags": sorted(data.get("tags", [])), "created_at": data["at"], "sla": data.get("sla", {}),
           "assignments": [], "merged_from": [], "orders": [], "keys": data.get("keys", [])}
    return Ticket(data["ticket_id"], "new", data.get("priority", "normal"), data["channel"], None,
                  data.get("team"), data.get("person_id"), data["at"], doc)


def _updated(t: Ticket, data: Mapping[str, Any]) -> Ticket:
    changes, at = data["changes"], data["at"]
    tags = (set(t.doc["tags"]) | set(changes.get("tags_add", []))) - set(changes.get("tags_remove", []))
    doc: dict[str, Any] = {"tags": sorted(tags)}
    if "sla" in changes:
        doc["sla"] = changes["sla"]
    status = changes.get("status", t.status)
    if status == "solved" and t.status != "solved":
        doc["solved_at"] = at
    return replace(_touch(t, at, **doc), status=status, priority=changes.get("priority", t.priority),
                   team=changes.get("team", t.team))


def _message(t: Ticket, tx: Writes, ws: str, kind: str, data: Mapping[str, Any]) -> Ticket:
    tx.put_message(ws, Message(data["message_id"], t.ticket_id, kind, data["at"], dict(data)))
    for key in data.get("thread_keys", []):
        tx.put_thread(ws, key, t.ticket_id)
    orders = sorted(set(t.doc["orders"]) | set(data.get("orders", [])))
    if kind == "received":
        status = "open" if t.status in ("pending", "solved") and not data.get("auto") else t.status
        # after the first response, a customer's message starts a next-response round
        awaiting = t.doc.get("awaiting_since") or (data["at"] if "first_response_at" in t.doc else None)
        sla = {"sla": data["sla"]} if "sla" in data else {}  # a pause on the customer ended
        return replace(_touch(t, data["at"], orders=orders, last_customer_at=data["at"],
                              awaiting_since=awaiting, **sla), status=status)
    if kind == "sent" and data.get("author") == "self-service":  # not an agent's response
        answers = t.doc.get("self_service_answers", 0) + 1
        return _touch(t, data["at"], orders=orders, self_service_answers=answers)
    if kind == "sent":
        rounds = t.doc.get("next_responses", 0) + (1 if t.doc.get("awaiting_since") else 0)
        return _touch(t, data["at"], orders=orders, agent_replies=t.doc.get("agent_replies", 0) + 1,
                      first_response_at=t.doc.get("first_response_at", data["at"]),
                      awaiting_since=None, next_responses=rounds)
    return _touch(t, data["at"], orders=orders)


def apply(tx: Writes, ws: str, etype: str, data: Mapping[str, Any]) -> None:
    """Apply one ``inbox`` event; an event about a ticket the projection lacks changes nothing."""
    if etype in ("agent.configured", "macro.saved", "label.corrected", "article.saved", "sla_policy.saved",
                 "calendar.saved"):
        tx.put_entity(ws, etype.partition(".")[0], data["id"], data)
        return
    if etype == "ticket.opened":
        tx.put_ticket(ws, _open(data))
        return
    t = tx.ticket(ws, data["ticket_id"]) if "ticket_id" in data else None
    if t is None:  # e.g. mail.automatic: kept in the log, no ticket
        return
    at = data["at"]
    if etype == "message.received":
        t = _message(t, tx, ws, "received", data)
    elif etype == "message.sent":
        t = _message(t, tx, ws, "sent", data)
    elif etype == "note.added":
        t = _message(t, tx, ws, "note", data)
    elif etype == "ticket.updated":
        t = _updated(t, data)
    elif etype == "ticket.assigned":
        entry = {"agent_id": data["agent_id"], "reason": data["reason"], "at": at}
        sla = {"sla": data["sla"]} if "sla" in data else {}
        t = replace(_touch(t, at, assignments=[*t.doc["assignments"], entry], **sla),
                    assignee=data["agent_id"], team=data.get("team") or t.team)
    elif etype == "ticket.escalated":
        entry = {"agent_id": data["agent_id"], "reason": data["reason"], "at": at}
        t = replace(_touch(t, at, assignments=[*t.doc["assignments"], entry],
                           tags=sorted({*t.doc["tags"], "escalated"})),
                    assignee=data["agent_id"] or t.assignee, team=data.get("team") or t.team)
    elif etype == "ticket.classified":  # the first message says what the ticket is about
        first = t.doc.get("understanding", data["understanding"])
        t = _touch(t, at, understanding=first, language=first["language"],
                   last_understanding=data["understanding"])
    elif etype == "csat.requested":
        for key in data["thread_keys"]:
            tx.put_thread(ws, key, t.ticket_id)
        t = _touch(t, at, csat_token=data["token"], csat_requested_at=at)
    elif etype == "ticket.action":  # an order action taken from the ticket, through commerce
        entry = {k: data[k] for k in ("action", "order_id", "result", "by")} | {"at": at}
        t = _touch(t, at, actions=[*t.doc.get("actions", []), entry])
    elif etype == "ticket.linked":
        t = replace(_touch(t, at), person_id=data["person_id"])
    elif etype == "ticket.merged":
        _merge(tx, ws, t, data)
        return
    elif etype == "ticket.split":
        _split(tx, ws, t, data)
        return
    elif etype == "ticket.rated":
        t = _touch(t, at, csat={"score": data["score"], "comment": data.get("comment", ""), "at": at,
                                "agent_id": t.assignee, "channel": t.channel})
    elif etype in ("sla.breached", "sla.warned"):
        sla, kind = dict(t.doc.get("sla", {})), etype.partition(".")[2]
        key = f"{data['target']}@{data['since']}" if data.get("since") else data["target"]
        sla[kind] = sorted({*sla.get(kind, []), key})
        t = _touch(t, at, sla=sla)
    tx.put_ticket(ws, t)


def _merge(tx: Writes, ws: str, source: Ticket, data: Mapping[str, Any]) -> None:
    target = tx.ticket(ws, data["into"])
    if target is None:
        return
    at = data["at"]
    moved = [m.message_id for m in tx.messages(ws, source.ticket_id)]
    tx.move_messages(ws, moved, target.ticket_id)
    tags = sorted(set(target.doc["tags"]) | set(source.doc["tags"]))
    orders = sorted(set(target.doc["orders"]) | set(source.doc["orders"]))
    tx.put_ticket(ws, _touch(target, at, tags=tags, orders=orders,
                             merged_from=[*target.doc["merged_from"], source.ticket_id]))
    tx.put_ticket(ws, replace(_touch(source, at, merged_into=target.ticket_id), status="closed"))


def _split(tx: Writes, ws: str, source: Ticket, data: Mapping[str, Any]) -> None:
    at = data["at"]
    opened = _open({**data, "ticket_id": data["new_ticket_id"], "channel": source.channel,
                    "person_id": source.person_id, "priority": source.priority,
                    "requester": source.doc["requester"], "keys": source.doc.get("keys", [])})
    tx.put_ticket(ws, replace(_touch(opened, at, split_from=source.ticket_id), status="open"))
    tx.move_messages(ws, data["message_ids"], data["new_ticket_id"])
    tx.put_ticket(ws, _touch(source, at))
