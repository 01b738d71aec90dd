"""E-mail over SMTP: the built-in receiver (aiosmtpd) that turns each accepted message into a
ticket message before it answers ``250``, and the relay client replies go out through.

The receiver answers ``250`` only once the message is logged, so a mail the server acknowledged
is never lost; an error answers ``451`` (try again later) and the sender's MTA retries."""

from __future__ import annotations

import logging
import smtplib
from collections.abc import Callable
from email.message import EmailMessage
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # aiosmtpd (~0.13 s to import) is imported by the process that receives mail
    from aiosmtpd.smtp import SMTP, Envelope, Session

log = logging.getLogger(__name__)

Deliver = Callable[[str, bytes], str]  # (recipient's address, raw message) -> the ticket id or why not


def host_port(value: str, default_port: int) -> tuple[str, int]:
    host, _, port = value.rpartition(":")
    return (host or value, int(port)) if port.isdigit() else (value, default_port)


class _Handler:
    def __init__(self, deliver: Deliver, run: Callable[[Callable[[], str]], Any]) -> None:
        self.deliver, self.run = deliver, run

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        raw = envelope.original_content or b""
        rcpt = envelope.rcpt_tos[0] if envelope.rcpt_tos else ""
        try:
            outcome = await self.run(lambda: self.deliver(rcpt, raw))
        except Exception:  # the sender retries on 4xx: never acknowledge what was not stored
            log.exception("inbox: could not store a message from %s", envelope.mail_from)
            return "451 4.3.0 Could not store the message; try again later"
        return f"250 2.0.0 OK {outcome}"


class Receiver:
    """An SMTP server on ``host:port`` in its own thread; ``deliver`` runs in a worker thread."""

    def __init__(self, deliver: Deliver, host: str, port: int, max_bytes: int) -> None:
        from aiosmtpd.controller import Controller

        self.controller = Controller(_Handler(deliver, _in_thread), hostname=host, port=port,
                                     data_size_limit=max_bytes, decode_data=False)

    def start(self) -> None:
        self.controller.start()

    def stop(self) -> None:
        self.controller.stop()

    @property
    def port(self) -> int:
        return int(self.controller.port)


async def _in_thread(call: Callable[[], str]) -> str:
    import asyncio

    return await asyncio.get_running_loop().run_in_executor(None, call)


class SmtpRelay:
    """``ports.Mailer`` over an SMTP relay (``inbox_smtp_relay``)."""

    def __init__(self, host: str, port: int, timeout: float = 10.0) -> None:
        self.host, self.port, self.timeout = host, port, timeout

    def send(self, message: EmailMessage) -> None:
        with smtplib.SMTP(self.host, self.port, timeout=self.timeout) as client:
            client.send_message(message)
