"""The notifier port, and the embedded adapter that writes each message to ``dsr_outbox``.

No email or SMS is sent from here: a delivery worker (or the brand's own mailer) reads the outbox.
The adapter says where the message went, so the CLI can print it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from frontoffice.dsr.sql import DsrSql
from frontoffice.storage.sql import SqlStore


class Notifier(Protocol):
    def send(self, ws: str, request_id: str, channel: str, recipient: str, body: str, at: datetime) -> str:
        """Deliver ``body`` to ``recipient`` over ``channel`` (email / phone); returns where it went."""
        ...


class OutboxNotifier:
    def __init__(self, store: SqlStore) -> None:
        self._sql = DsrSql(store)

    def send(self, ws: str, request_id: str, channel: str, recipient: str, body: str, at: datetime) -> str:
        message_id = self._sql.add_message(ws, request_id, channel, recipient, body, at)
        return f"dsr_outbox message {message_id}"


def token_message(kind: str, request_id: str, token: str, expires_at: datetime) -> str:
    return (f"We received a {kind} request about your personal data (reference {request_id}). "
            f"If you made it, confirm with this code: {token} (valid until "
            f"{expires_at.strftime('%Y-%m-%d %H:%M UTC')}). If you did not, ignore this message: "
            "nothing happens without the code.")
