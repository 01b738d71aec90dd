"""Social messages (direct messages and comments to the brand on any network), pushed by a
connector to one signed webhook, ``POST /inbox/v1/social``, in this documented form::

    {"messages": [{"network": "instagram", "handle": "ann.k", "display_name": "Ann K.",
                   "message_id": "aWdfZAG1f", "conversation_id": "t_10", "text": "Where is my parcel?",
                   "order_id": "SO-1001"}]}

``network``, ``handle``, ``message_id`` and ``text`` are required; ``conversation_id`` threads the
later messages of a conversation onto its ticket; ``order_id`` attaches an order. The sender is
``network:handle``, the anonymous id identity holds for the profile (the collector's social
source sends it), which joins the golden record. Pure mapping."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from frontoffice.errors import InvalidInput
from frontoffice.inbox.intake import Incoming

REQUIRED = ("network", "handle", "message_id", "text")
MAX_MESSAGES = 100


def _text(message: Mapping[str, Any], key: str, limit: int) -> str:
    value = message.get(key)
    return value.strip()[:limit] if isinstance(value, str) else ""


def social_messages(payload: Any) -> list[Incoming]:
    """The messages of a webhook body, in the order given."""
    if not isinstance(payload, Mapping) or not isinstance(payload.get("messages"), list) \
            or not 0 < len(payload["messages"]) <= MAX_MESSAGES:
        raise InvalidInput(f"Send {{\"messages\": [...]}} with 1 to {MAX_MESSAGES} messages "
                           "(each: network, handle, message_id, text).")
    found = []
    for i, message in enumerate(payload["messages"]):
        missing = [k for k in REQUIRED if not _text(message, k, 20_000)] if isinstance(message, Mapping) \
            else ["to be an object"]
        if missing:
            raise InvalidInput(f"Message {i} needs {', '.join(missing)}: network, handle, message_id and "
                               "text are required.")
        network, handle = _text(message, "network", 40).lower(), _text(message, "handle", 200).lstrip("@")
        conversation = _text(message, "conversation_id", 200)
        order = _text(message, "order_id", 100)
        found.append(Incoming(
            channel="social", message_id=f"social:{network}:{_text(message, 'message_id', 200)}",
            sender_kind="social", sender=f"{network}:{handle}",
            sender_name=_text(message, "display_name", 200), subject="",
            text=_text(message, "text", 20_000),
            thread_keys=(f"social:{network}:{conversation}",) if conversation else (),
            orders=(order,) if order else ()))
    return found
