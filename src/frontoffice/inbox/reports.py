"""The lead's figures: backlog by status, SLA attainment, CSAT per agent and per channel. Pure
over the inbox's reads."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import datetime
from typing import Any

from frontoffice.inbox.model import STATUSES
from frontoffice.inbox.ports import InboxReads


def lead(inbox: InboxReads, ws: str, now: datetime) -> dict[str, Any]:
    tickets = inbox.tickets(ws, limit=100_000)
    backlog = Counter(t.status for t in tickets)
    with_clock = [t for t in tickets if t.doc.get("sla", {}).get("first_response_due")]
    met = sum(1 for t in with_clock if "first_response" not in t.doc["sla"].get("breached", [])
              and (t.doc.get("first_response_at") or now.isoformat()) <= t.doc["sla"]["first_response_due"])
    resolved = [t for t in with_clock if t.doc.get("solved_at")]
    resolved_met = sum(1 for t in resolved if "resolution" not in t.doc["sla"].get("breached", [])
                       and t.doc["solved_at"] <= t.doc["sla"]["resolution_due"])
    rounds = sum(t.doc.get("next_responses", 0) + (1 if t.doc.get("awaiting_since") else 0) for t in tickets)
    late = sum(1 for t in tickets for b in t.doc.get("sla", {}).get("breached", [])
               if b.startswith("next_response@"))
    scores: dict[str, dict[str, list[int]]] = {"agent": defaultdict(list), "channel": defaultdict(list)}
    for t in tickets:
        if rating := t.doc.get("csat"):
            scores["agent"][rating.get("agent_id") or "unassigned"].append(rating["score"])
            scores["channel"][rating["channel"]].append(rating["score"])

    def csat(groups: dict[str, list[int]]) -> dict[str, dict[str, float]]:
        return {k: {"ratings": len(v), "satisfied": round(sum(s >= 4 for s in v) / len(v), 3),
                    "average": round(sum(v) / len(v), 2)} for k, v in sorted(groups.items())}

    answered = [t for t in tickets if t.doc.get("self_service_answers")]
    return {"backlog": {s: backlog.get(s, 0) for s in STATUSES},
            "self_service": {"answered": len(answered),
                             "deflected": sum(1 for t in answered if not t.doc.get("agent_replies"))},
            "sla": {"first_response": {"tickets": len(with_clock), "met": met,
                                       "attainment": round(met / len(with_clock), 3)
                                       if with_clock else None},
                    "next_response": {"tickets": rounds, "met": rounds - late,
                                      "attainment": round((rounds - late) / rounds, 3) if rounds else None},
                    "resolution": {"tickets": len(resolved), "met": resolved_met,
                                   "attainment": round(resolved_met / len(resolved), 3)
                                   if resolved else None}},
            "csat": {"per_agent": csat(scores["agent"]), "per_channel": csat(scores["channel"])}}
