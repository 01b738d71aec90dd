"""The inbox on real storage (SQLite and PostgreSQL) and real SMTP on loopback: a customer's
client sends through smtplib to the built-in receiver, which answers 250 once the ticket is
logged; the agent's reply leaves through a real SMTP relay with the threading headers; the
customer's answer joins the ticket; the ticket is linked to the golden record and their orders;
a return starts in commerce; the tables are rebuilt from the log alone."""

from __future__ import annotations

import smtplib
import subprocess
import time
from collections.abc import Iterator
from dataclasses import asdict
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session

from frontoffice.commerce import service as commerce
from frontoffice.domain.events import now
from frontoffice.identity.hub import IdentityHub
from frontoffice.inbox import actions, intake, service, team
from frontoffice.inbox.adapters import CustomersSql
from frontoffice.inbox.deps import Desk
from frontoffice.inbox.projector import InboxHub
from frontoffice.inbox.smtp import Receiver, SmtpRelay
from frontoffice.inbox.store import InboxStore
from frontoffice.storage.sql import SqlStore
from frontoffice.tenancy import service as tenancy
from tests.fakes.inbox import BERLIN, FakeActions, FakeConsent, FakeSegments, KeywordUnderstanding
from tests.integration.identity_support import Brand, identify
from tests.unit.commerce.sample import NOW, order, setup
from tests.unit.inbox.mails import customer_mail, free_port

ANN = "ann@posteo.de"  # identity takes example.com for a placeholder


class Relay:
    """A real SMTP server standing in for the outgoing relay: it keeps what it was given."""

    def __init__(self) -> None:
        self.received: list[EmailMessage] = []

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        parsed = message_from_bytes(envelope.original_content or b"", policy=policy.default)
        self.received.append(parsed)  # type: ignore[arg-type]
        return "250 OK"


@pytest.fixture
def relay() -> Iterator[tuple[Relay, int]]:
    handler = Relay()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield handler, int(controller.port)
    controller.stop()


def world(store: SqlStore, relay_port: int) -> tuple[Desk, str]:
    """Ann is known to identity by e-mail and ordered O1 in the shop."""
    cs, ws, shop = setup(store)
    web, _ = tenancy.create_source(store, ws, "web", "web")
    Brand(store, ws, {"web": web.id}).send(
        "web", identify("m1", "2026-01-01T10:00:00Z", user="cus_ann", email=ANN))
    commerce.ingest(cs, ws, shop, "orders", [order(1, "delivered", order_id="O10042", email=ANN)], NOW)
    IdentityHub(store).catch_up(ws)
    desk = Desk(inbox=InboxStore(store), customers=CustomersSql(store), understand=KeywordUnderstanding(),
                segments=FakeSegments(), actions=FakeActions(), consent=FakeConsent(),
                mailer=SmtpRelay("127.0.0.1", relay_port),
                calendar=BERLIN, address="support@shop.example", max_attachment_bytes=100_000,
                vip_segment="vip")
    team.configure_agent(desk, ws, "anna", {"languages": ["en", "de"]}, now())
    return desk, ws


def send(port: int, raw: bytes) -> tuple[int, bytes]:
    with smtplib.SMTP("127.0.0.1", port, timeout=10) as client:
        client.sendmail(ANN, ["support@shop.example"], raw)
        return client.noop()


def state(inbox: InboxStore, ws: str) -> dict[str, Any]:
    tickets = inbox.tickets(ws, limit=1000)
    return {"tickets": [asdict(t) for t in tickets],
            "messages": [asdict(m) for t in tickets for m in inbox.messages(ws, t.ticket_id)],
            "agents": inbox.entities(ws, "agent")}


def test_a_mail_through_smtp_becomes_a_linked_ticket_and_the_reply_threads_back(
        store: SqlStore, relay: tuple[Relay, int]) -> None:
    outbox, relay_port = relay
    desk, ws = world(store, relay_port)
    delivered: list[str] = []

    def deliver(rcpt: str, raw: bytes) -> str:
        receipt = intake.receive_email(desk, ws, raw, now())
        delivered.append(receipt.ticket_id or "")
        return receipt.ticket_id or ""

    receiver = Receiver(deliver, "127.0.0.1", free_port(), 1_000_000)
    receiver.start()
    try:
        send(receiver.port, customer_mail("Where is my order O10042?", sender=ANN,
                                          message_id="<q1@example.com>"))
        [tid] = delivered  # logged before the server said 250
        view = service.view(desk, ws, tid)
        assert view.ticket.person_id is not None and view.ticket.assignee == "anna"
        assert [o["order_id"] for o in view.customer.orders] == ["O10042"]
        assert view.ticket.doc["orders"] == ["O10042"]

        service.reply(desk, ws, tid, "anna", now(), text="It arrives tomorrow.", status="pending")
        [reply] = outbox.received
        assert reply["In-Reply-To"] == "<q1@example.com>" and reply["References"] == "<q1@example.com>"
        assert reply["Message-ID"].endswith("@shop.example>") and f"[#{tid}]" in reply["Subject"]

        send(receiver.port, customer_mail("Thanks, but it is still not here.", sender=ANN,
                                          message_id="<q2@example.com>",
                                          subject=str(reply["Subject"]), in_reply_to=reply["Message-ID"],
                                          references=f"<q1@example.com> {reply['Message-ID']}"))
        assert delivered == [tid, tid]
        assert service.ticket(desk, ws, tid).status == "open"
    finally:
        receiver.stop()

    assert actions.check_stock(desk, ws, tid, "O10042", "anna", now()) == {"D-M": 11}  # 8 + 3 to ship
    rma = actions.start_return(desk, ws, tid, "O10042", [{"line_no": 1, "qty": 1}], "damaged", "anna", now())
    assert [r["return_id"] for r in service.view(desk, ws, tid).customer.returns] == rma["returns"]

    inbox = InboxStore(store)
    before = state(inbox, ws)
    InboxHub(store).rebuild(ws)  # the tables are a fold of the log
    assert state(inbox, ws) == before


def test_debians_swaks_delivers_a_mail_with_an_attachment_that_becomes_a_linked_ticket(
        store: SqlStore, relay: tuple[Relay, int], tmp_path: Path) -> None:
    """Another real client than smtplib: swaks (installed by `make test`) speaks SMTP with its
    own MIME, a multipart message with a photo of the damage attached."""
    desk, ws = world(store, relay[1])
    delivered: list[str] = []

    def deliver(rcpt: str, raw: bytes) -> str:
        receipt = intake.receive_email(desk, ws, raw, now())
        delivered.append(receipt.ticket_id or "")
        return receipt.ticket_id or ""

    photo = tmp_path / "box.jpg"
    photo.write_bytes(b"\xff\xd8\xff\xe0 a crushed box \xff\xd9")
    receiver = Receiver(deliver, "127.0.0.1", free_port(), 1_000_000)
    receiver.start()
    try:
        done = subprocess.run(
            ["swaks", "--server", f"127.0.0.1:{receiver.port}", "--from", ANN,
             "--to", "support@shop.example", "--header", "Subject: Order O10042 arrived damaged",
             "--body", "Order O10042: the box was crushed, a photo is attached.",
             "--attach-type", "image/jpeg",
             "--attach", f"@{photo}"],
            capture_output=True, text=True, timeout=60, check=False)
    finally:
        receiver.stop()
    assert done.returncode == 0, done.stdout + done.stderr
    assert "<-  250" in done.stdout  # the answer to DATA: the ticket was logged first
    [tid] = delivered
    view = service.view(desk, ws, tid)
    assert view.ticket.person_id is not None and view.ticket.doc["orders"] == ["O10042"]
    [message] = view.messages
    assert "crushed" in message.doc["text"]
    [attached] = message.doc["attachments"]
    assert attached["filename"] == "box.jpg" and attached["size"] == photo.stat().st_size


def test_an_out_of_office_reply_is_accepted_but_opens_nothing(store: SqlStore,
                                                              relay: tuple[Relay, int]) -> None:
    outbox, relay_port = relay
    desk, ws = world(store, relay_port)
    receiver = Receiver(lambda rcpt, raw: intake.receive_email(desk, ws, raw, now()).automatic or "",
                        "127.0.0.1", free_port(), 1_000_000)
    receiver.start()
    try:
        send(receiver.port, customer_mail("I am away until Monday.",
                                          headers={"Auto-Submitted": "auto-replied"}))
    finally:
        receiver.stop()
    assert InboxStore(store).tickets(ws) == [] and outbox.received == []


def test_the_receiver_answers_451_when_the_message_cannot_be_stored() -> None:
    def broken(rcpt: str, raw: bytes) -> str:
        raise RuntimeError("database down")

    receiver = Receiver(broken, "127.0.0.1", free_port(), 1_000_000)
    receiver.start()
    try:
        with smtplib.SMTP("127.0.0.1", receiver.port, timeout=10) as client, \
                pytest.raises(smtplib.SMTPDataError) as refused:
            client.sendmail("ann@example.com", ["support@shop.example"], customer_mail("hi"))
        assert refused.value.smtp_code == 451
    finally:
        receiver.stop()


def test_the_workers_inbox_projection_folds_the_log_and_opens_a_conversation_for_a_late_parcel(
        store: SqlStore, relay: tuple[Relay, int]) -> None:
    from frontoffice.commerce.store import CommerceStore
    from frontoffice.inbox.worker import InboxProjection

    outbox, relay_port = relay
    desk, ws = world(store, relay_port)
    shop = next(s for s in store.sources(ws) if s.name == "shop")
    commerce.ingest(CommerceStore(store), ws, shop.id, "shipments", [{
        "event_id": "sh1", "version": 1, "shipment_id": "SH1", "order_id": "O10042", "location_id": "WH",
        "carrier": "DHL", "status": "in_transit", "promised_by": "2026-03-03T00:00:00Z"}], now())
    projection = InboxProjection(store, lambda: desk)
    projection.catch_up(ws, lambda n: None)
    [opened] = InboxStore(store).tickets(ws)
    assert opened.doc["tags"] == ["proactive", "shipment.late"] and opened.status == "pending"
    assert outbox.received[0]["To"] == ANN and "is delayed" in outbox.received[0]["Subject"]
    projection.catch_up(ws, lambda n: None)  # folds what the sweep logged; no sweep for a minute
    assert len(InboxStore(store).tickets(ws)) == 1 and len(outbox.received) == 1
    assert projection.catch_up(ws, lambda n: None) == 0


def test_a_late_parcel_reported_after_a_sweep_opens_its_conversation_within_seconds_not_a_minute(
        store: SqlStore, relay: tuple[Relay, int]) -> None:
    from frontoffice.commerce.store import CommerceStore
    from frontoffice.inbox.worker import PROACTIVE_SECONDS, SWEEP_SECONDS, InboxProjection

    _, relay_port = relay
    desk, ws = world(store, relay_port)
    projection = InboxProjection(store, lambda: desk)
    projection.catch_up(ws, lambda n: None)  # the sweeps ran: nothing was late then
    assert InboxStore(store).tickets(ws) == []
    shop = next(s for s in store.sources(ws) if s.name == "shop")
    commerce.ingest(CommerceStore(store), ws, shop.id, "shipments", [{
        "event_id": "sh2", "version": 1, "shipment_id": "SH2", "order_id": "O10042", "location_id": "WH",
        "carrier": "DHL", "status": "in_transit", "promised_by": "2026-03-03T00:00:00Z"}], now())
    projection.catch_up(ws, lambda n: None)  # the runner calls it because the log moved
    due = projection.due(ws)
    assert due is not None and due - time.monotonic() <= PROACTIVE_SECONDS < SWEEP_SECONDS
    time.sleep(max(0.0, due - time.monotonic()))
    projection.catch_up(ws, lambda n: None)  # what the runner does when it is due
    [opened] = InboxStore(store).tickets(ws)
    assert opened.doc["tags"] == ["proactive", "shipment.late"]
