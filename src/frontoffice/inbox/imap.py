"""Polling a mailbox over IMAP: each unseen message is delivered like one the SMTP receiver got,
then flagged ``\\Seen`` (only after it is stored, so a crash re-reads it; threading by
Message-ID makes the second delivery a duplicate the log drops)."""

from __future__ import annotations

import contextlib
import imaplib
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Mailbox:
    host: str
    port: int
    user: str
    password: str
    folder: str = "INBOX"
    tls: bool = False


def poll(box: Mailbox, deliver: Callable[[bytes], object], limit: int = 500) -> int:
    """Deliver up to ``limit`` unseen messages; how many were delivered."""
    client = imaplib.IMAP4_SSL(box.host, box.port) if box.tls else imaplib.IMAP4(box.host, box.port)
    try:
        client.login(box.user, box.password)
        client.select(box.folder)
        status, found = client.uid("SEARCH", "UNSEEN")
        if status != "OK":
            raise imaplib.IMAP4.error(f"SEARCH UNSEEN failed in {box.folder}: {found!r}")
        uids = found[0].split()[:limit] if found and found[0] else []
        for uid in uids:
            status, parts = client.uid("FETCH", uid, "(BODY.PEEK[])")
            raw = next((p[1] for p in parts if isinstance(p, tuple)), None)
            if status != "OK" or not isinstance(raw, bytes):
                continue
            deliver(raw)
            client.uid("STORE", uid, "+FLAGS", "(\\Seen)")
        return len(uids)
    finally:
        with contextlib.suppress(imaplib.IMAP4.error, OSError):
            client.logout()
