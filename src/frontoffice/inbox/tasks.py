"""The inbox's port for other capabilities: open a service task about a person (a ticket on the
``task`` channel with the task's text as an internal note), once per key. Segments' moments use it
("a third good rating → a personal thank-you from an agent"); it is written to the log and
projected like every other ticket."""

from __future__ import annotations

import hashlib
from datetime import datetime

from frontoffice.inbox.projector import log_and_project, record
from frontoffice.inbox.store import InboxStore
from frontoffice.storage.sql import SqlStore


class InboxTasks:
    def __init__(self, store: SqlStore) -> None:
        self._inbox = InboxStore(store)

    def open(self, ws: str, person_id: str, key: str, subject: str, text: str, now: datetime) -> str:
        """Open the task for ``key`` (again: nothing new); its ticket id."""
        tid = "T" + hashlib.sha256(f"task:{key}".encode()).hexdigest()[:16]
        if self._inbox.ticket(ws, tid) is not None:
            return tid
        at = now.isoformat()
        log_and_project(self._inbox, ws, [
            record(f"{tid}:opened", "ticket.opened", {
                "ticket_id": tid, "channel": "task", "subject": subject, "at": at, "person_id": person_id,
                "requester": {"kind": "person_id", "value": person_id, "name": ""}, "priority": "normal",
                "keys": [f"person_id:{person_id}"], "tags": ["moment"]}, now),
            record(f"{tid}:task", "note.added", {
                "ticket_id": tid, "message_id": f"task:{tid}", "author": "frontoffice", "text": text,
                "at": at, "internal": True}, now)])
        return tid
