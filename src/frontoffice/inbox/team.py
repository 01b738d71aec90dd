"""The desk's configuration, event-sourced like the tickets: agents (skills, capacity, presence),
macros, and the labels agents correct (the classifier retrains on them)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from frontoffice.domain.tenancy import new_id
from frontoffice.errors import NotFound
from frontoffice.inbox import service
from frontoffice.inbox.deps import Desk
from frontoffice.inbox.model import InboxError
from frontoffice.inbox.nlp.labels import CATEGORIES, LANGUAGES, SENTIMENTS
from frontoffice.inbox.projector import log_and_project, record

PRESENCE = ("online", "away", "offline")


def configure_agent(desk: Desk, ws: str, agent_id: str, doc: Mapping[str, Any],
                    now: datetime) -> dict[str, Any]:
    agent = {"name": agent_id, "team": None, "languages": [], "categories": [], "channels": [],
             "vip": False, "lead": False, "capacity": 10, "presence": "online",
             **(desk.inbox.entity(ws, "agent", agent_id) or {}), **doc, "id": agent_id}
    if bad := set(agent["languages"]) - set(LANGUAGES):
        raise InboxError(f"Unknown languages {sorted(bad)}; use {', '.join(LANGUAGES)}.")
    if bad := set(agent["categories"]) - set(CATEGORIES):
        raise InboxError(f"Unknown categories {sorted(bad)}; use {', '.join(CATEGORIES)}.")
    if agent["presence"] not in PRESENCE:
        raise InboxError(f"Presence is one of {', '.join(PRESENCE)}.")
    if int(agent["capacity"]) < 0:
        raise InboxError("Capacity is the most open tickets the agent holds: 0 or more.")
    before = desk.inbox.entity(ws, "agent", agent_id) or {}
    log_and_project(desk.inbox, ws, [record(f"agent:{agent_id}:{new_id()}", "agent.configured",
                                            agent, now)])
    if agent["presence"] != "online" and before.get("presence", "online") == "online":
        reroute(desk, ws, agent_id, agent["presence"], now)
    return agent


def reroute(desk: Desk, ws: str, agent_id: str, presence: str, now: datetime) -> list[str]:
    """Give an absent agent's new and open tickets to whom routing picks now (pending and on-hold
    ones wait for them); a ticket nobody else can take stays, tagged ``unrouted``."""
    moved = []
    for t in desk.inbox.tickets(ws, statuses=("new", "open"), assignee=agent_id, limit=10_000):
        try:
            service.assign(desk, ws, t.ticket_id, now, by=f"re-routing: {agent_id} is {presence}")
            moved.append(t.ticket_id)
        except InboxError:
            service.update(desk, ws, t.ticket_id, {"tags_add": ["unrouted"]}, "router", now)
    return moved


def save_macro(desk: Desk, ws: str, name: str, bodies: Mapping[str, str],
               actions: Mapping[str, Any], now: datetime) -> dict[str, Any]:
    if not bodies:
        raise InboxError("A macro needs its text in at least one language (bodies: {\"en\": …}).")
    macro = {"id": name, "bodies": dict(bodies), "actions": dict(actions)}
    log_and_project(desk.inbox, ws, [record(f"macro:{name}:{new_id()}", "macro.saved", macro, now)])
    return macro


def correct(desk: Desk, ws: str, message_id: str, by: str, now: datetime, category: str | None = None,
            sentiment: str | None = None, language: str | None = None) -> dict[str, Any]:
    """An agent's correction of what the classifier said about a received message."""
    found = desk.inbox.message(ws, message_id)
    if found is None or found.kind != "received":
        raise NotFound(f"No received message {message_id!r} to correct.")
    understood = desk.inbox.ticket(ws, found.ticket_id)
    guess = (understood.doc.get("understanding", {}) if understood else {})
    label = {"id": message_id, "text": found.doc.get("stripped") or found.doc.get("text", ""), "by": by,
             "category": category or guess.get("category"), "sentiment": sentiment or guess.get("sentiment"),
             "language": language or guess.get("language")}
    if label["category"] not in CATEGORIES or label["sentiment"] not in SENTIMENTS:
        raise InboxError(f"Category is one of {', '.join(CATEGORIES)}; "
                         f"sentiment one of {', '.join(SENTIMENTS)}.")
    log_and_project(desk.inbox, ws, [record(f"label:{message_id}:{new_id()}", "label.corrected", label, now)])
    return label


def labels(desk: Desk, ws: str) -> Sequence[dict[str, Any]]:
    return desk.inbox.entities(ws, "label")
