"""E-mails as customers' clients write them, for the inbox's tests."""

from __future__ import annotations

from email.message import EmailMessage


def customer_mail(text: str, *, sender: str = "ann@example.com", subject: str = "Order help",
                  message_id: str = "<c1@example.com>", in_reply_to: str | None = None,
                  references: str | None = None, headers: dict[str, str] | None = None,
                  attachment: bytes | None = None, html: str | None = None) -> bytes:
    msg = EmailMessage()
    msg["From"] = f"Ann Example <{sender}>"
    msg["To"] = "support@shop.example"
    msg["Subject"] = subject
    msg["Message-ID"] = message_id
    if in_reply_to:
        msg["In-Reply-To"] = in_reply_to
    if references:
        msg["References"] = references
    for name, value in (headers or {}).items():
        msg[name] = value
    msg.set_content(text)
    if html is not None:
        msg.add_alternative(html, subtype="html")
    if attachment is not None:
        msg.add_attachment(attachment, maintype="application", subtype="pdf", filename="receipt.pdf")
    return msg.as_bytes()


def free_port() -> int:
    """A loopback port nobody listens on now (aiosmtpd's controller cannot take port 0)."""
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])
