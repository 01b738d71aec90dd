"""What the inbox's use cases need: its own store, and the other capabilities' data through ports
(the adapters are in ``inbox.adapters``; ``tests/fakes/inbox.py`` holds fakes of each).

Identity (who wrote), commerce (orders, shipments, returns; returns, resends, cancellations),
segments (VIP), consent (what the person agreed to) and decisions (next best actions) are read
only through these Protocols."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import Any, Protocol

from frontoffice.inbox.order_policy import Resend
from frontoffice.storage.port import AppendBatch, AppendResult

INBOX = "inbox"  # the events' family in the log
SOURCE = "frontoffice-inbox"  # source id of the events the inbox logs


@dataclass(frozen=True, slots=True)
class Ticket:
    ticket_id: str
    status: str
    priority: str
    channel: str
    assignee: str | None
    team: str | None
    person_id: str | None
    updated_at: str
    doc: dict[str, Any]


@dataclass(frozen=True, slots=True)
class Message:
    message_id: str
    ticket_id: str
    kind: str  # received, sent, note
    at: str
    doc: dict[str, Any]


class Writes(Protocol):
    """The projection's writes in one transaction; replaying the log in order ends the same."""

    def ticket(self, ws: str, ticket_id: str) -> Ticket | None: ...
    def put_ticket(self, ws: str, ticket: Ticket) -> None: ...
    def put_message(self, ws: str, message: Message) -> None: ...
    def move_messages(self, ws: str, message_ids: Sequence[str], ticket_id: str) -> None: ...
    def messages(self, ws: str, ticket_id: str) -> list[Message]: ...
    def put_thread(self, ws: str, key: str, ticket_id: str) -> None: ...
    def put_entity(self, ws: str, kind: str, entity_id: str, doc: Mapping[str, Any]) -> None: ...
    def set_cursor(self, ws: str, seq: int) -> None: ...
    def cursor(self, ws: str) -> int:
        """The last seq folded, read so that no other transaction folds the workspace until
        this one ends."""
        ...


class InboxReads(Protocol):
    def ticket(self, ws: str, ticket_id: str) -> Ticket | None: ...
    def tickets(self, ws: str, statuses: Sequence[str] = (), assignee: str | None = None,
                person_id: str | None = None, limit: int = 200) -> list[Ticket]: ...
    def messages(self, ws: str, ticket_id: str) -> list[Message]: ...
    def message(self, ws: str, message_id: str) -> Message | None: ...
    def thread(self, ws: str, keys: Sequence[str]) -> str | None:
        """The ticket of the first of ``keys`` (in the order given) that is known."""
        ...

    def entities(self, ws: str, kind: str) -> list[dict[str, Any]]: ...
    def entity(self, ws: str, kind: str, entity_id: str) -> dict[str, Any] | None: ...
    def open_load(self, ws: str) -> dict[str, int]:
        """Tickets each agent holds that are not solved or closed."""
        ...


class Inbox(InboxReads, Protocol):
    """The projection, the log it is made from, attachment blobs and trained models."""

    def lock(self, ws: str) -> AbstractContextManager[Any]: ...
    def transaction(self) -> AbstractContextManager[Writes]: ...
    def append(self, batch: AppendBatch) -> AppendResult: ...
    def log_page(self, ws: str, after: int, limit: int) -> list[tuple[int, str, bytes]]:
        """Up to ``limit`` inbox events after ``after``: (seq, type, payload), in log order."""
        ...
    def put_blob(self, ws: str, sha256: str, content_type: str, data: bytes) -> None: ...
    def blob(self, ws: str, sha256: str) -> tuple[str, bytes] | None: ...
    def save_model(self, ws: str, model_id: str, created_at: str, examples: int, head: str) -> None: ...
    def latest_model_id(self, ws: str) -> str | None: ...
    def model(self, ws: str, model_id: str) -> str | None: ...


@dataclass(frozen=True, slots=True)
class CustomerContext:
    """What an agent sees beside a ticket: the golden record and the person's commerce."""

    person_id: str | None
    golden: dict[str, Any] = field(default_factory=dict)
    orders: list[dict[str, Any]] = field(default_factory=list)
    shipments: list[dict[str, Any]] = field(default_factory=list)
    returns: list[dict[str, Any]] = field(default_factory=list)
    next_best_actions: list[dict[str, Any]] = field(default_factory=list)
    consent: list[dict[str, Any]] = field(default_factory=list)  # per purpose: status, why


class Customers(Protocol):
    """Identity and commerce, as the inbox needs them."""

    def resolve(self, ws: str, kind: str, value: str) -> str | None:
        """The live person holding identifier ``kind:value`` (email, phone, marketplace_buyer)."""
        ...

    def context(self, ws: str, person_id: str | None, keys: Sequence[str]) -> CustomerContext:
        """The person's golden record, orders, shipments and returns (``keys``: the sender's
        commerce keys, ``email:…``, ``buyer_id:…``, used when identity does not know them yet)."""
        ...

    def golden(self, ws: str, person_id: str) -> dict[str, Any]:
        """The person's golden record alone (``context`` reads their orders, shipments and
        returns too)."""
        ...

    def order(self, ws: str, order_id: str) -> dict[str, Any] | None: ...

    def available(self, ws: str, sku: str, channel: str) -> int:
        """Units of ``sku`` commerce can ship on ``channel`` now (0 when unknown)."""
        ...

    def delivery_alerts(self, ws: str) -> list[dict[str, Any]]:
        """Late and failed deliveries commerce detected (``type``: shipment.late / shipment.failed,
        ``shipment_id``, ``order_id``, ``carrier``, ``hours_late``)."""
        ...

    def start_return(self, ws: str, order_id: str, lines: Sequence[Mapping[str, Any]], reason: str,
                     return_id: str) -> dict[str, Any]:
        """Ask commerce to open a return (RMA) for ``lines`` of the order; the return's document."""
        ...

    def ship_again(self, ws: str, plan: Resend) -> dict[str, Any]:
        """Give commerce the new shipment of a resent order; its document."""
        ...

    def cancel_order(self, ws: str, order: Mapping[str, Any], reason: str) -> dict[str, Any]:
        """Ask commerce to cancel the order (its state machine may refuse: ``InvalidInput``);
        the order's document after."""
        ...


class Segments(Protocol):
    """Segments (issue 17): whether a person is in a segment now (VIP routing)."""

    def member(self, ws: str, person_id: str, segment: str) -> bool: ...


class NextBestActions(Protocol):
    """Decisions (issue 18): the person's next best actions, best first."""

    def for_person(self, ws: str, person_id: str) -> list[dict[str, Any]]: ...


class Consent(Protocol):
    """Consent (person level): what the person agreed to, per purpose, and why that record won."""

    def for_person(self, ws: str, person_id: str) -> list[dict[str, Any]]: ...


class Mailer(Protocol):
    """Sends one e-mail (an SMTP relay in production)."""

    def send(self, message: Any) -> None: ...


@dataclass(frozen=True, slots=True)
class Understanding:
    language: str
    language_confidence: float
    category: str
    category_confidence: float
    sentiment: str
    sentiment_confidence: float


class Understand(Protocol):
    def __call__(self, ws: str, texts: Sequence[str]) -> list[Understanding]: ...
