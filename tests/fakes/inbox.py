"""The inbox's ports in memory: the log and the projection (``FakeInbox``), the other
capabilities (``FakeCustomers``, ``FakeSegments``, ``FakeActions``, ``FakeConsent``), a mailer
that keeps what it sent, an understanding that reads keywords, and an embedder that hashes
character trigrams.

``FakeInbox`` behaves as ``inbox.store.InboxStore`` does on the tables
(tests/integration/test_inbox_store.py runs the same use cases on SQLite and PostgreSQL)."""

from __future__ import annotations

import threading
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

from frontoffice.domain.events import EventRecord
from frontoffice.inbox.deps import Desk
from frontoffice.inbox.model import ACTIVE
from frontoffice.inbox.order_policy import Resend
from frontoffice.inbox.ports import CustomerContext, Message, Ticket, Understanding
from frontoffice.inbox.sla import Calendar
from frontoffice.storage.port import AppendBatch, AppendResult


class FakeInbox:
    def __init__(self) -> None:
        self.log: list[EventRecord] = []
        self._tickets: dict[str, Ticket] = {}
        self._messages: dict[str, Message] = {}
        self._threads: dict[str, str] = {}
        self._entities: dict[tuple[str, str], dict[str, Any]] = {}
        self.blobs: dict[str, tuple[str, bytes]] = {}
        self.models: list[tuple[str, str, str]] = []  # (created at, model id, JSON)
        self._lock = threading.Lock()
        self._cursor = 0  # the last log position folded

    # the log and transactions
    def append(self, batch: AppendBatch) -> AppendResult:
        known = {r.message_id for r in self.log}
        fresh = [r for r in batch.events if r.message_id not in known]
        self.log.extend(fresh)
        return AppendResult(len(fresh), len(batch.events) - len(fresh), 0)

    def log_page(self, ws: str, after: int, limit: int) -> list[tuple[int, str, bytes]]:
        return [(seq, r.type, r.payload) for seq, r in enumerate(self.log, 1) if seq > after][:limit]

    def lock(self, ws: str) -> threading.Lock:
        return self._lock

    @contextmanager
    def transaction(self) -> Iterator[FakeInbox]:
        yield self

    # writes
    def put_ticket(self, ws: str, ticket: Ticket) -> None:
        self._tickets[ticket.ticket_id] = ticket

    def put_message(self, ws: str, message: Message) -> None:
        self._messages[message.message_id] = message

    def move_messages(self, ws: str, message_ids: Sequence[str], ticket_id: str) -> None:
        for i in message_ids:
            self._messages[i] = replace(self._messages[i], ticket_id=ticket_id)

    def put_thread(self, ws: str, key: str, ticket_id: str) -> None:
        self._threads[key] = ticket_id

    def put_entity(self, ws: str, kind: str, entity_id: str, doc: Mapping[str, Any]) -> None:
        self._entities[(kind, entity_id)] = dict(doc)

    def set_cursor(self, ws: str, seq: int) -> None:
        self._cursor = seq

    def cursor(self, ws: str) -> int:
        return self._cursor

    # reads
    def ticket(self, ws: str, ticket_id: str) -> Ticket | None:
        return self._tickets.get(ticket_id)

    def tickets(self, ws: str, statuses: Sequence[str] = (), assignee: str | None = None,
                person_id: str | None = None, limit: int = 200) -> list[Ticket]:
        found = [t for t in self._tickets.values() if (not statuses or t.status in statuses)
                 and assignee in (None, t.assignee) and person_id in (None, t.person_id)]
        return sorted(found, key=lambda t: t.updated_at, reverse=True)[:limit]

    def messages(self, ws: str, ticket_id: str) -> list[Message]:
        return sorted((m for m in self._messages.values() if m.ticket_id == ticket_id), key=lambda m: m.at)

    def message(self, ws: str, message_id: str) -> Message | None:
        return self._messages.get(message_id)

    def thread(self, ws: str, keys: Sequence[str]) -> str | None:
        return next((self._threads[k] for k in keys if k in self._threads), None)

    def entities(self, ws: str, kind: str) -> list[dict[str, Any]]:
        return [d for (k, _), d in sorted(self._entities.items()) if k == kind]

    def entity(self, ws: str, kind: str, entity_id: str) -> dict[str, Any] | None:
        return self._entities.get((kind, entity_id))

    def open_load(self, ws: str) -> dict[str, int]:
        load: dict[str, int] = {}
        for t in self._tickets.values():
            if t.assignee and t.status in ACTIVE:
                load[t.assignee] = load.get(t.assignee, 0) + 1
        return load

    def put_blob(self, ws: str, sha256: str, content_type: str, data: bytes) -> None:
        self.blobs[sha256] = (content_type, data)

    def blob(self, ws: str, sha256: str) -> tuple[str, bytes] | None:
        return self.blobs.get(sha256)

    def save_model(self, ws: str, model_id: str, created_at: str, examples: int, head: str) -> None:
        self.models.append((created_at, model_id, head))

    def latest_model_id(self, ws: str) -> str | None:
        return max(self.models)[1] if self.models else None

    def model(self, ws: str, model_id: str) -> str | None:
        return next((head for _, i, head in self.models if i == model_id), None)


@dataclass
class FakeCustomers:
    """People by identifier, and their orders (with shipments and returns) by person."""

    people: dict[tuple[str, str], str] = field(default_factory=dict)  # (kind, value) -> person id
    orders: dict[str, list[dict[str, Any]]] = field(default_factory=dict)  # person id -> orders
    returns: list[dict[str, Any]] = field(default_factory=list)
    alerts: list[dict[str, Any]] = field(default_factory=list)
    shipments: list[dict[str, Any]] = field(default_factory=list)

    stock: dict[str, int] = field(default_factory=dict)  # sku -> units available to ship

    def delivery_alerts(self, ws: str) -> list[dict[str, Any]]:
        return list(self.alerts)

    def available(self, ws: str, sku: str, channel: str) -> int:
        return self.stock.get(sku, 0)

    def resolve(self, ws: str, kind: str, value: str) -> str | None:
        return self.people.get((kind, value.lower()))

    def context(self, ws: str, person_id: str | None, keys: Sequence[str]) -> CustomerContext:
        orders = self.orders.get(person_id or "", [])
        ids = {o["order_id"] for o in orders}
        return CustomerContext(person_id, {"given_name": "Ann"} if person_id else {}, orders,
                               [s for s in self.shipments if s["order_id"] in ids],
                               [r for r in self.returns if r["order_id"] in ids])

    def golden(self, ws: str, person_id: str) -> dict[str, Any]:
        return {"given_name": "Ann"}

    def order(self, ws: str, order_id: str) -> dict[str, Any] | None:
        return next((o for found in self.orders.values() for o in found if o["order_id"] == order_id), None)

    def start_return(self, ws: str, order_id: str, lines: Sequence[Mapping[str, Any]], reason: str,
                     return_id: str) -> dict[str, Any]:
        made = {"return_id": return_id, "order_id": order_id, "lines": list(lines), "reason": reason,
                "status": "requested"}
        self.returns.append(made)
        return made

    def ship_again(self, ws: str, plan: Resend) -> dict[str, Any]:
        made = {"shipment_id": plan.shipment_id, "order_id": plan.order_id, "location_id": plan.location_id,
                "carrier": plan.carrier, "line_nos": plan.line_nos, "status": "pending",
                "promised_by": plan.promised_by.isoformat()}
        self.shipments.append(made)
        return made

    def cancel_order(self, ws: str, order: Mapping[str, Any], reason: str) -> dict[str, Any]:
        found = self.order(ws, order["order_id"])
        assert found is not None
        found["status"] = "cancelled"
        return found


@dataclass
class FakeSegments:
    members: set[tuple[str, str]] = field(default_factory=set)  # (person id, segment)

    def member(self, ws: str, person_id: str, segment: str) -> bool:
        return (person_id, segment) in self.members


@dataclass
class FakeActions:
    actions: dict[str, list[dict[str, Any]]] = field(default_factory=dict)

    def for_person(self, ws: str, person_id: str) -> list[dict[str, Any]]:
        return self.actions.get(person_id, [])


@dataclass
class FakeConsent:
    purposes: dict[str, list[dict[str, Any]]] = field(default_factory=dict)  # person id -> purposes

    def for_person(self, ws: str, person_id: str) -> list[dict[str, Any]]:
        return self.purposes.get(person_id, [])


@dataclass
class FakeMailer:
    sent: list[Any] = field(default_factory=list)

    def send(self, message: Any) -> None:
        self.sent.append(message)


KEYWORDS = {"where": "where_is_my_order", "wo ist": "where_is_my_order", "broken": "damaged_defective",
            "return": "return_exchange", "thanks": "praise", "invoice": "payment_invoice",
            "awful": "complaint"}


class KeywordUnderstanding:
    """English and German keywords to a category (Cyrillic is Russian); "awful" or "broken" is
    negative, "thanks" positive."""

    def __call__(self, ws: str, texts: Sequence[str]) -> list[Understanding]:
        found = []
        for text in texts:
            low = text.lower()
            category = next((c for k, c in KEYWORDS.items() if k in low), "other")
            sentiment = "negative" if ("awful" in low or "broken" in low) else \
                "positive" if "thanks" in low else "neutral"
            language = "ru" if any("а" <= ch <= "я" for ch in low) else \
                "de" if any(w in low for w in ("wo ist", "bitte", "danke")) else "en"
            found.append(Understanding(language, 0.99, category, 0.9, sentiment, 0.9))
        return found


BERLIN = Calendar.parse("Europe/Berlin", "DE", "09:00-17:00")
MONDAY_10 = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)  # 10:00 in Berlin, a Monday


def fake_desk(**parts: Any) -> Desk:
    """A desk on fakes; any part can be given."""
    defaults: dict[str, Any] = {
        "inbox": FakeInbox(), "customers": FakeCustomers(), "understand": KeywordUnderstanding(),
        "segments": FakeSegments(), "actions": FakeActions(), "consent": FakeConsent(),
        "mailer": FakeMailer(),
        "calendar": BERLIN, "address": "support@shop.example", "max_attachment_bytes": 1000,
        "vip_segment": "vip"}
    return Desk(**{**defaults, **parts})
