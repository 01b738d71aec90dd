"""Escalation: a breached SLA, or a VIP customer writing in anger, takes the ticket to a lead
(an agent configured with ``lead: true``) of its team, else any lead, the least loaded online one;
with no lead online it goes to the team's queue, tagged. Once per ticket; the reason is logged
with the assignment."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime

from frontoffice.domain.tenancy import new_id
from frontoffice.inbox.deps import Desk
from frontoffice.inbox.ports import Ticket
from frontoffice.inbox.projector import log_and_project, record
from frontoffice.inbox.routing import Agent

NEGATIVE_CONFIDENCE = 0.7  # the classifier's confidence a message is negative before a VIP escalates


def pick_lead(agents: Sequence[Agent], leads: set[str], team: str | None,
              load: Mapping[str, int]) -> tuple[Agent | None, str]:
    """The lead to escalate to and why (None: no lead online)."""
    online = [a for a in agents if a.agent_id in leads and a.presence == "online"]
    own = [a for a in online if team is not None and a.team == team]
    pool = own or online
    if not pool:
        return None, f"no lead online: left to team {team or 'unassigned'}'s queue"
    best = min(pool, key=lambda a: (load.get(a.agent_id, 0) / max(a.capacity, 1), a.agent_id))
    whose = f"lead of team {team}" if own else "a lead of another team (none of this team online)"
    held = load.get(best.agent_id, 0)
    return best, f"to {best.agent_id}, {whose}, least loaded ({held}/{best.capacity} open)"


def escalate(desk: Desk, ws: str, ticket_id: str, why: str, now: datetime) -> Ticket | None:
    """Escalate the ticket (once: None when it already was)."""
    t = desk.inbox.ticket(ws, ticket_id)
    if t is None or "escalated" in t.doc.get("tags", []):
        return None
    docs = desk.inbox.entities(ws, "agent")
    lead, where = pick_lead([Agent.of(d) for d in docs], {d["id"] for d in docs if d.get("lead")}, t.team,
                            desk.inbox.open_load(ws))
    log_and_project(desk.inbox, ws, [record(f"{ticket_id}:escalated:{new_id()}", "ticket.escalated", {
        "ticket_id": ticket_id, "agent_id": lead.agent_id if lead else None,
        "team": (lead.team if lead else None) or t.team, "reason": f"escalated: {why}; {where}",
        "at": now.isoformat()}, now)])
    return desk.inbox.ticket(ws, ticket_id)


def angry_vip(t: Ticket) -> str | None:
    """Why a VIP ticket's last message escalates it (None: it does not)."""
    said = t.doc.get("last_understanding") or {}
    if "vip" in t.doc.get("tags", []) and said.get("sentiment") == "negative" \
            and float(said.get("sentiment_confidence", 0)) >= NEGATIVE_CONFIDENCE:
        return f"negative sentiment ({said['sentiment_confidence']}) from a VIP customer"
    return None


def after_message(desk: Desk, ws: str, ticket_id: str | None, now: datetime) -> Ticket | None:
    """Escalate the ticket a message just reached if it is from an angry VIP."""
    t = desk.inbox.ticket(ws, ticket_id) if ticket_id else None
    why = angry_vip(t) if t else None
    return escalate(desk, ws, t.ticket_id, why, now) if t and why else None
