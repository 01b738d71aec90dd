"""Reading and writing e-mail: the headers that thread a conversation, the text (plain or HTML),
attachments, and whether a message was sent by a machine (RFC 3834) so nobody answers it.

Pure: bytes in, ``Mail`` out; ``compose`` builds the ``EmailMessage`` of a reply."""

from __future__ import annotations

import hashlib
import html
import re
from dataclasses import dataclass, field
from datetime import datetime
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import format_datetime, getaddresses, make_msgid, parseaddr

_IDS = re.compile(r"<[^<>\s]+>")
_TOKEN = re.compile(r"\[#(T[0-9a-f]{6,32})\]")
_PREFIX = re.compile(r"^\s*((re|fw|fwd|aw|wg|sv|vs|antw|答复|回复|转发|返信|転送|답장|전달|ответ)"
                     r"\s*(\[\d+\])?\s*[:：]\s*)+", re.IGNORECASE)
_TAGS = re.compile(r"<(script|style)\b.*?</\1\s*>|<[^>]+>", re.IGNORECASE | re.DOTALL)
_BREAKS = re.compile(r"<\s*(br|/p|/div|/li|/tr|/h\d)\b[^>]*>", re.IGNORECASE)
_BOUNCE_SENDERS = ("mailer-daemon@", "postmaster@")


@dataclass(frozen=True, slots=True)
class Attachment:
    filename: str
    content_type: str
    data: bytes

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


@dataclass(frozen=True, slots=True)
class Mail:
    message_id: str  # <…@…>, made up from the content when the sender gave none
    in_reply_to: tuple[str, ...]
    references: tuple[str, ...]
    sender: str  # lower-case address
    sender_name: str
    to: tuple[str, ...]
    subject: str
    text: str
    html: str
    attachments: tuple[Attachment, ...] = field(default=())
    automatic: str | None = None  # why it is an auto-reply or a bounce; None: a person wrote it

    @property
    def token(self) -> str | None:
        """The ticket token (``[#T…]``) the subject carries, if any."""
        found = _TOKEN.search(self.subject)
        return found.group(1) if found else None


def _ids(value: object) -> tuple[str, ...]:
    return tuple(_IDS.findall(str(value or "")))


def html_to_text(markup: str) -> str:
    text = _TAGS.sub("", _BREAKS.sub("\n", markup))
    return re.sub(r"\n{3,}", "\n\n", html.unescape(text)).strip()


def automatic(msg: EmailMessage, sender: str) -> str | None:
    """Why ``msg`` was sent by a machine (RFC 3834 and the headers autoresponders set), or None."""
    auto = str(msg.get("Auto-Submitted", "")).strip().lower()
    if auto and auto != "no":
        return f"Auto-Submitted: {auto}"
    if msg.get_content_type() == "multipart/report" or msg.get("X-Failed-Recipients"):
        return "delivery status report (bounce)"
    if sender.startswith(_BOUNCE_SENDERS) or str(msg.get("Return-Path", "")).strip() == "<>":
        return f"bounce from {sender or 'the null sender'}"
    precedence = str(msg.get("Precedence", "")).strip().lower()
    if precedence in ("bulk", "junk", "list", "auto_reply"):
        return f"Precedence: {precedence}"
    for header in ("X-Autoreply", "X-Autorespond", "X-Auto-Response-Suppress", "List-Id"):
        if msg.get(header) is not None:
            return f"{header} header"
    return None


def parse(raw: bytes, max_attachment_bytes: int) -> tuple[Mail, list[str]]:
    """The mail, and what was refused of it (attachments over the size limit)."""
    msg = BytesParser(policy=policy.default).parsebytes(raw)
    name, address = parseaddr(str(msg.get("From", "")))
    plain, markup, attachments, refused = "", "", [], []
    for part in msg.walk():
        if part.is_multipart():
            continue
        disposition = part.get_content_disposition()
        ctype = part.get_content_type()
        if disposition == "attachment" or (disposition == "inline" and part.get_filename()):
            payload = part.get_payload(decode=True)
            data = payload if isinstance(payload, bytes) else b""
            filename = part.get_filename() or "attachment"
            if len(data) > max_attachment_bytes:
                refused.append(f"{filename}: {len(data)} bytes is over the {max_attachment_bytes}-byte limit")
            else:
                attachments.append(Attachment(filename, ctype, data))
        elif ctype == "text/plain" and not plain:
            plain = str(part.get_content())
        elif ctype == "text/html" and not markup:
            markup = str(part.get_content())
    message_id = (_ids(msg.get("Message-ID")) or
                  (f"<{hashlib.sha256(raw).hexdigest()[:32]}@frontoffice.invalid>",))[0]
    sender = address.strip().lower()
    mail = Mail(message_id=message_id, in_reply_to=_ids(msg.get("In-Reply-To")),
                references=_ids(msg.get("References")), sender=sender, sender_name=name,
                to=tuple(a.lower() for _, a in getaddresses([str(v) for v in msg.get_all("To", [])])),
                subject=str(msg.get("Subject", "")).strip(), text=plain or html_to_text(markup),
                html=markup, attachments=tuple(attachments), automatic=automatic(msg, sender))
    return mail, refused


def subject_key(subject: str) -> str:
    """The subject without reply/forward prefixes and the ticket token, folded for matching."""
    return " ".join(_TOKEN.sub("", _PREFIX.sub("", subject)).split()).casefold()


def compose(*, sender: str, to: str, subject: str, text: str, token: str, at: datetime,
            in_reply_to: str | None, references: tuple[str, ...], domain: str,
            reply: bool = True) -> EmailMessage:
    """A reply (or, ``reply=False``, a first message): its own Message-ID, In-Reply-To the
    customer's last mail, References the chain, the ticket token in the subject, and
    ``Auto-Submitted: no`` (a person wrote it)."""
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = to
    tagged = subject if f"[#{token}]" in subject else f"{subject} [#{token}]".strip()
    msg["Subject"] = tagged if not reply or tagged.lower().startswith("re:") else f"Re: {tagged}"
    msg["Date"] = format_datetime(at)
    msg["Message-ID"] = make_msgid(domain=domain)
    if in_reply_to:
        msg["In-Reply-To"] = in_reply_to
    if references:
        msg["References"] = " ".join(references)
    msg["Auto-Submitted"] = "no"
    msg.set_content(text)
    return msg
