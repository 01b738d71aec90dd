"""The inbox's port for other capabilities: open a service task (a ticket on the ``task`` channel
with the task's text as an internal note), once per key: about a person (segments' moments: "a
third good rating → a personal thank-you from an agent") or about no customer, in a team's queue
(insights' flags: "supplier A's returns of P1 tripled since Tuesday"). It is written to the log
and projected like every other ticket."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from frontoffice.inbox.projector import log_and_project, record
from frontoffice.inbox.store import InboxStore
from frontoffice.storage.sql import SqlStore


class InboxTasks:
    def __init__(self, store: SqlStore) -> None:
        self._inbox = InboxStore(store)

    def open(self, ws: str, person_id: str, key: str, subject: str, text: str, now: datetime) -> str:
        """Open the task for ``key`` (again: nothing new); its ticket id."""
        return self._open(ws, key, text, now, {
            "subject": subject, "person_id": person_id,
            "requester": {"kind": "person_id", "value": person_id, "name": ""},
            "keys": [f"person_id:{person_id}"], "tags": ["moment"]})

    def open_for_team(self, ws: str, key: str, team: str, subject: str, text: str,
                      tags: Sequence[str], now: datetime) -> str:
        """Open the task for ``key`` about no customer in ``team``'s queue (again: nothing new);
        its ticket id."""
        return self._open(ws, key, text, now, {
            "subject": subject, "person_id": None, "team": team,
            "requester": {"kind": "system", "value": "frontoffice", "name": "frontoffice"},
            "keys": [], "tags": sorted(tags)})

    def team_of(self, ws: str, agent_id: str) -> str | None:
        """The team an agent is configured in (None: unknown agent, or no team)."""
        found = (self._inbox.entity(ws, "agent", agent_id) or {}).get("team")
        return str(found) if found else None

    def _open(self, ws: str, key: str, text: str, now: datetime, opened: Mapping[str, Any]) -> str:
        tid = "T" + hashlib.sha256(f"task:{key}".encode()).hexdigest()[:16]
        if self._inbox.ticket(ws, tid) is not None:
            return tid
        at = now.isoformat()
        log_and_project(self._inbox, ws, [
            record(f"{tid}:opened", "ticket.opened", {
                "ticket_id": tid, "channel": "task", "at": at, "priority": "normal", **opened}, now),
            record(f"{tid}:task", "note.added", {
                "ticket_id": tid, "message_id": f"task:{tid}", "author": "frontoffice", "text": text,
                "at": at, "internal": True}, now)])
        return tid
