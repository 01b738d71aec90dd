"""The ticket's life on fakes: opened from a mail, linked, understood, routed with a reason,
replied to on the thread, reopened by the customer, merged, split, rated; closed is final."""

from __future__ import annotations

from datetime import timedelta

import orjson
import pytest

from frontoffice.errors import NotFound
from frontoffice.inbox import actions, intake, service, slas, team
from frontoffice.inbox.deps import Desk
from frontoffice.inbox.model import InboxError
from frontoffice.storage.port import AppendBatch, AppendResult
from tests.fakes.inbox import MONDAY_10, FakeCustomers, FakeInbox, FakeMailer, FakeSegments, fake_desk
from tests.unit.inbox.mails import customer_mail

WS = "ws1"


def agents(desk: Desk) -> None:
    team.configure_agent(desk, WS, "anna", {"languages": ["en", "de"], "capacity": 5}, MONDAY_10)
    team.configure_agent(desk, WS, "ben", {"languages": ["en"], "capacity": 5}, MONDAY_10)


def test_a_mail_opens_a_ticket_linked_to_the_person_understood_routed_with_a_reason() -> None:
    customers = FakeCustomers(people={("email", "ann@example.com"): "p1"},
                              orders={"p1": [{"order_id": "SO-10042", "status": "shipped"}]})
    desk = fake_desk(customers=customers)
    agents(desk)
    receipt = intake.receive_email(desk, WS, customer_mail("Where is my order SO-10042?"), MONDAY_10)
    t = service.ticket(desk, WS, receipt.ticket_id or "")
    assert (receipt.new, t.status, t.person_id, t.assignee) == (True, "new", "p1", "anna")
    assert t.doc["understanding"]["category"] == "where_is_my_order"
    assert t.doc["orders"] == ["SO-10042"]  # the order number in the text links the order
    assert "least loaded of 2 eligible" in t.doc["assignments"][0]["reason"]
    view = service.view(desk, WS, t.ticket_id)
    assert [o["order_id"] for o in view.customer.orders] == ["SO-10042"]


def test_the_log_is_the_source_of_truth_every_change_is_an_inbox_event() -> None:
    inbox = FakeInbox()
    desk = fake_desk(inbox=inbox)
    r = intake.receive_email(desk, WS, customer_mail("hello"), MONDAY_10)
    service.update(desk, WS, r.ticket_id or "", {"status": "open", "tags_add": ["x"]}, "anna", MONDAY_10)
    service.note(desk, WS, r.ticket_id or "", "anna", "called her", MONDAY_10)
    assert [e.type for e in inbox.log] == ["ticket.opened", "message.received", "ticket.classified",
                                           "ticket.updated", "ticket.updated", "note.added"]
    assert all(e.family == "inbox" for e in inbox.log)


def test_a_reply_threads_on_the_customers_mail_and_their_answer_joins_the_same_ticket() -> None:
    mailer = FakeMailer()
    desk = fake_desk(mailer=mailer)
    first = intake.receive_email(desk, WS, customer_mail("where is it", message_id="<c1@x>"), MONDAY_10)
    tid = first.ticket_id or ""
    service.reply(desk, WS, tid, "anna", MONDAY_10, text="On its way.", status="pending")
    sent = mailer.sent[0]
    assert (sent["In-Reply-To"], sent["References"], sent["Auto-Submitted"]) == ("<c1@x>", "<c1@x>", "no")
    assert f"[#{tid}]" in sent["Subject"] and sent["Subject"].startswith("Re: ")
    answer = customer_mail("still nothing", message_id="<c2@x>", in_reply_to=sent["Message-ID"],
                           references=f"<c1@x> {sent['Message-ID']}", subject="something else")
    second = intake.receive_email(desk, WS, answer, MONDAY_10 + timedelta(hours=1))
    assert (second.ticket_id, second.new) == (tid, False)
    assert service.ticket(desk, WS, tid).status == "open"  # the customer's answer reopens a pending ticket


def test_without_headers_the_subject_token_then_sender_and_subject_find_the_ticket() -> None:
    desk = fake_desk()
    tid = intake.receive_email(desk, WS, customer_mail("a", message_id="<a@x>"), MONDAY_10).ticket_id
    by_token = intake.receive_email(desk, WS, customer_mail("b", message_id="<b@x>", sender="other@x.org",
                                                            subject=f"Fwd: news [#{tid}]"), MONDAY_10)
    by_subject = intake.receive_email(desk, WS, customer_mail("c", message_id="<c@x>",
                                                              subject="AW: Re: Order help"), MONDAY_10)
    stranger = intake.receive_email(desk, WS, customer_mail("d", message_id="<d@x>", sender="bob@x.org"),
                                    MONDAY_10)
    assert (by_token.ticket_id, by_subject.ticket_id) == (tid, tid)
    assert stranger.new and stranger.ticket_id != tid


@pytest.mark.parametrize("headers", [{"Auto-Submitted": "auto-replied"}, {"Precedence": "bulk"},
                                     {"X-Autoreply": "yes"}, {"Return-Path": "<>"}])
def test_an_auto_reply_or_bounce_never_opens_a_ticket_nor_gets_an_answer(headers: dict[str, str]) -> None:
    mailer = FakeMailer()
    desk = fake_desk(mailer=mailer)
    receipt = intake.receive_email(desk, WS, customer_mail("I am out of office", headers=headers), MONDAY_10)
    assert receipt.ticket_id is None and receipt.automatic
    assert desk.inbox.tickets(WS) == [] and mailer.sent == []


def test_a_bounce_from_the_mailer_daemon_is_recognised() -> None:
    desk = fake_desk()
    receipt = intake.receive_email(desk, WS, customer_mail("Delivery failed", sender="MAILER-DAEMON@mx.org"),
                                   MONDAY_10)
    assert receipt.automatic == "bounce from mailer-daemon@mx.org"


def test_an_attachment_over_the_limit_is_refused_and_a_small_one_stored_by_its_hash() -> None:
    inbox = FakeInbox()
    desk = fake_desk(inbox=inbox)
    big = intake.receive_email(desk, WS, customer_mail("x", attachment=b"%" * 2000), MONDAY_10)
    assert big.refused == ("receipt.pdf: 2000 bytes is over the 1000-byte limit",)
    intake.receive_email(desk, WS, customer_mail("y", message_id="<y@x>", attachment=b"%PDF-1"), MONDAY_10)
    message = inbox.message(WS, "<y@x>")
    assert message is not None
    [stored] = message.doc["attachments"]
    assert inbox.blob(WS, stored["sha256"]) == ("application/pdf", b"%PDF-1")


def test_a_closed_ticket_is_final_and_a_new_mail_on_its_thread_opens_a_new_one() -> None:
    desk = fake_desk()
    tid = intake.receive_email(desk, WS, customer_mail("a"), MONDAY_10).ticket_id or ""
    service.update(desk, WS, tid, {"status": "solved"}, "anna", MONDAY_10)
    service.update(desk, WS, tid, {"status": "closed"}, "anna", MONDAY_10)
    with pytest.raises(InboxError, match="A closed ticket is final"):
        service.update(desk, WS, tid, {"status": "open"}, "anna", MONDAY_10)
    again = intake.receive_email(desk, WS, customer_mail("b", message_id="<z@x>",
                                                         in_reply_to="<c1@example.com>"),
                                 MONDAY_10)
    assert again.new and again.ticket_id != tid


def test_merge_moves_the_conversation_and_later_mails_follow_the_merge() -> None:
    desk = fake_desk()
    a = intake.receive_email(desk, WS, customer_mail("one", message_id="<1@x>", subject="A"), MONDAY_10)
    b = intake.receive_email(desk, WS, customer_mail("two", message_id="<2@x>", subject="B"), MONDAY_10)
    service.merge(desk, WS, a.ticket_id or "", b.ticket_id or "", MONDAY_10)
    assert len(desk.inbox.messages(WS, b.ticket_id or "")) == 2
    assert service.ticket(desk, WS, a.ticket_id or "").status == "closed"
    later = intake.receive_email(desk, WS, customer_mail("3", message_id="<3@x>", in_reply_to="<1@x>"),
                                 MONDAY_10)
    assert later.ticket_id == b.ticket_id


def test_split_takes_chosen_messages_to_a_new_ticket_but_never_all() -> None:
    desk = fake_desk()
    tid = intake.receive_email(desk, WS, customer_mail("one", message_id="<1@x>"), MONDAY_10).ticket_id or ""
    intake.receive_email(desk, WS, customer_mail("two", message_id="<2@x>", in_reply_to="<1@x>"), MONDAY_10)
    with pytest.raises(InboxError):
        service.split(desk, WS, tid, ["<1@x>", "<2@x>"], MONDAY_10)
    new = service.split(desk, WS, tid, ["<2@x>"], MONDAY_10)
    assert [m.message_id for m in desk.inbox.messages(WS, new.ticket_id)] == ["<2@x>"]
    assert new.doc["split_from"] == tid and new.status == "open"


def test_a_macro_fills_its_variables_in_the_customers_language_and_refuses_a_missing_one() -> None:
    mailer = FakeMailer()
    customers = FakeCustomers(people={("email", "ann@example.com"): "p1"},
                              orders={"p1": [{"order_id": "SO-10042", "status": "shipped"}]})
    desk = fake_desk(mailer=mailer, customers=customers)
    tid = intake.receive_email(desk, WS, customer_mail("Wo ist meine Bestellung SO-10042? Bitte"),
                               MONDAY_10).ticket_id or ""
    team.save_macro(desk, WS, "wismo", {"en": "Hi {{customer.name}}, order {{order.id}} is {{order.status}}.",
                                        "de": "Hallo {{customer.name}}, Bestellung {{order.id}} ist "
                                              "{{order.status}}."},
                    {"status": "pending"}, MONDAY_10)
    t = service.reply(desk, WS, tid, "anna", MONDAY_10, macro="wismo")
    assert mailer.sent[0].get_content().strip() == "Hallo Ann Example, Bestellung SO-10042 ist shipped."
    assert t.status == "pending"
    team.save_macro(desk, WS, "coupon", {"en": "Your code: {{coupon.code}}"}, {}, MONDAY_10)
    with pytest.raises(InboxError, match=r"coupon\.code"):
        service.reply(desk, WS, tid, "anna", MONDAY_10, macro="coupon")


def test_a_rating_is_an_event_after_a_solve_only() -> None:
    desk = fake_desk()
    agents(desk)
    tid = intake.receive_email(desk, WS, customer_mail("where"), MONDAY_10).ticket_id or ""
    with pytest.raises(InboxError, match="after a solve"):
        service.rate(desk, WS, tid, 5, "", MONDAY_10)
    service.update(desk, WS, tid, {"status": "solved"}, "anna", MONDAY_10)
    t = service.rate(desk, WS, tid, 4, "quick", MONDAY_10)
    assert t.doc["csat"] == {"score": 4, "comment": "quick", "at": MONDAY_10.isoformat(), "agent_id": "anna",
                             "channel": "email"}
    assert desk.inbox.log[-1].type == "ticket.rated"  # type: ignore[attr-defined]


def test_a_vip_goes_to_a_vip_skilled_agent_even_when_busier() -> None:
    segments = FakeSegments({("p1", "vip")})
    desk = fake_desk(segments=segments, customers=FakeCustomers(people={("email", "ann@example.com"): "p1"}))
    team.configure_agent(desk, WS, "anna", {"languages": ["en"], "vip": True}, MONDAY_10)
    team.configure_agent(desk, WS, "ben", {"languages": ["en"]}, MONDAY_10)
    intake.receive_email(desk, WS, customer_mail("x", sender="zed@x.org", message_id="<0@x>"), MONDAY_10)
    receipt = intake.receive_email(desk, WS, customer_mail("awful, broken"), MONDAY_10)
    t = service.ticket(desk, WS, receipt.ticket_id or "")
    assert (t.assignee, t.priority, t.doc["tags"]) == ("anna", "urgent", ["escalated", "vip"])
    assert t.doc["assignments"][0]["reason"].startswith("VIP customer")
    assert t.doc["assignments"][1]["reason"].startswith("escalated: negative sentiment (0.9) from a VIP")


def test_starting_a_return_goes_through_commerce_for_the_customers_own_order_and_is_noted() -> None:
    customers = FakeCustomers(people={("email", "ann@example.com"): "p1"},
                              orders={"p1": [{"order_id": "SO-1", "status": "delivered"}]})
    desk = fake_desk(customers=customers)
    tid = intake.receive_email(desk, WS, customer_mail("return please"), MONDAY_10).ticket_id or ""
    with pytest.raises(InboxError, match="not this customer's"):
        actions.start_return(desk, WS, tid, "SO-999", [{"line_no": 1}], "size", "anna", MONDAY_10)
    rma = actions.start_return(desk, WS, tid, "SO-1", [{"line_no": 1, "qty": 1}], "too small", "anna",
                               MONDAY_10)
    assert customers.returns == [rma]
    notes = [m for m in desk.inbox.messages(WS, tid) if m.kind == "note"]
    assert notes[0].doc["text"].startswith(f"Return {rma['return_id']} started for order SO-1")


def test_corrections_retrain_a_model_the_classifier_then_reads() -> None:
    from frontoffice.inbox import training
    from frontoffice.inbox.nlp.classifier import Classifier
    from frontoffice.inbox.wiring import shared_embedder

    inbox = FakeInbox()
    embedder = shared_embedder()  # its seed model ships: one fit, the retraining
    desk = fake_desk(inbox=inbox)
    text = "Zorblax quux flimflam gizmo"
    tid = intake.receive_email(desk, WS, customer_mail(text), MONDAY_10).ticket_id or ""
    [received] = [m for m in inbox.messages(WS, tid) if m.kind == "received"]
    classify = Classifier(embedder, inbox)
    before = classify(WS, [text])[0].category
    wanted = "praise" if before != "praise" else "complaint"
    team.correct(desk, WS, received.message_id, "anna", MONDAY_10, category=wanted, sentiment="positive")
    result = training.retrain(desk, WS, embedder, MONDAY_10)
    assert result["corrections"] == 1
    assert orjson.loads(inbox.model(WS, str(result["model_id"])) or "{}")["embedder"] == embedder.name
    assert classify(WS, [text])[0].category == wanted


def test_a_breach_is_logged_once_per_target_and_never_while_pending() -> None:
    desk = fake_desk()
    tid = intake.receive_email(desk, WS, customer_mail("hello"), MONDAY_10).ticket_id or ""
    t = service.ticket(desk, WS, tid)
    # 8 business hours from 10:00 in Berlin: 7 on Monday, the 8th on Tuesday 09:00-10:00
    assert t.doc["sla"]["first_response_due"] == "2026-12-08T09:00:00+00:00"
    soon = MONDAY_10 + timedelta(hours=7)  # 6 of 8 business hours spent: warned, not breached
    assert slas.sweep(desk, WS, soon) == []
    assert service.ticket(desk, WS, tid).doc["sla"]["warned"] == ["first_response"]
    late = MONDAY_10 + timedelta(days=2)
    assert slas.sweep(desk, WS, late) == [(tid, "first_response")]
    assert slas.sweep(desk, WS, late) == []
    assert [e.type for e in desk.inbox.log].count("sla.warned") == 1  # type: ignore[attr-defined]
    service.reply(desk, WS, tid, "anna", late, text="Sorry for the wait", status="pending")
    assert slas.sweep(desk, WS, late + timedelta(days=30)) == []  # paused on the customer


def test_time_pending_on_the_customer_moves_the_resolution_due_time() -> None:
    desk = fake_desk()
    tid = intake.receive_email(desk, WS, customer_mail("hello"), MONDAY_10).ticket_id or ""
    due = service.ticket(desk, WS, tid).doc["sla"]["resolution_due"]
    service.update(desk, WS, tid, {"status": "pending"}, "anna", MONDAY_10)
    t = service.update(desk, WS, tid, {"status": "open"}, "anna", MONDAY_10 + timedelta(hours=2))
    assert t.doc["sla"]["paused_seconds"] == 7200
    assert t.doc["sla"]["resolution_due"] > due


def test_the_lead_report_counts_backlog_sla_attainment_and_csat_per_agent_and_channel() -> None:
    from frontoffice.inbox import reports

    desk = fake_desk()
    agents(desk)
    tid = intake.receive_email(desk, WS, customer_mail("hello"), MONDAY_10).ticket_id or ""
    intake.receive_email(desk, WS, customer_mail("other", sender="bob@x.org", message_id="<b@x>"), MONDAY_10)
    service.reply(desk, WS, tid, "anna", MONDAY_10 + timedelta(hours=1), text="Done", status="solved")
    service.rate(desk, WS, tid, 5, "", MONDAY_10)
    figures = reports.lead(desk.inbox, WS, MONDAY_10 + timedelta(hours=2))
    assert figures["backlog"]["solved"] == 1 and figures["backlog"]["new"] == 1
    assert figures["sla"]["first_response"] == {"tickets": 2, "met": 2, "attainment": 1.0}
    assert figures["csat"]["per_agent"] == {"anna": {"ratings": 1, "satisfied": 1.0, "average": 5.0}}
    assert figures["csat"]["per_channel"]["email"]["ratings"] == 1


def test_a_status_move_the_rules_do_not_allow_is_refused_with_the_allowed_ones() -> None:
    desk = fake_desk()
    tid = intake.receive_email(desk, WS, customer_mail("a"), MONDAY_10).ticket_id or ""
    with pytest.raises(InboxError, match="A new ticket cannot become closed; it can become open, pending"):
        service.update(desk, WS, tid, {"status": "closed"}, "anna", MONDAY_10)


@pytest.mark.parametrize("text", ["Где мой заказ ORD-RU-1?", "注文番号ORD-RU-1はいつ届きますか",
                                  "order #ORD-RU-1."])
def test_an_order_number_in_any_script_links_the_order_and_a_lookalike_does_not(text: str) -> None:
    customers = FakeCustomers(orders={"p1": [{"order_id": "ORD-RU-1", "status": "confirmed"}]})
    desk = fake_desk(customers=customers)
    assert intake.order_refs(desk, WS, text + " ORD-RU-2 2026") == ["ORD-RU-1"]


def test_a_late_delivery_opens_one_conversation_before_the_customer_writes_and_the_answer_joins() -> None:
    from frontoffice.inbox import proactive

    mailer = FakeMailer()
    customers = FakeCustomers(orders={"p1": [{"order_id": "SO-7", "customer": {"email": "ann@example.com"}}]},
                              alerts=[{"type": "shipment.late", "shipment_id": "SH-7", "order_id": "SO-7",
                                       "carrier": "DHL", "hours_late": 30}])
    customers.people[("email", "ann@example.com")] = "p1"
    contexts: list[str | None] = []
    whole = customers.context
    customers.context = lambda ws, person, keys: contexts.append(person) or whole(ws, person, keys)  # type: ignore[method-assign]
    desk = fake_desk(mailer=mailer, customers=customers)
    [tid] = proactive.open_for_alerts(desk, WS, MONDAY_10)
    assert proactive.open_for_alerts(desk, WS, MONDAY_10) == []  # one conversation per alert
    [sent] = mailer.sent
    assert sent["Subject"] == f"Your order SO-7 is delayed [#{tid}]"
    assert "running late with DHL" in sent.get_content() and "Ann" in sent.get_content()
    assert contexts == []  # the golden record alone: the demo's 525 alerts read every order of each
    t = service.ticket(desk, WS, tid)
    assert (t.status, t.priority, t.doc["tags"]) == ("pending", "high", ["proactive", "shipment.late"])
    answer = intake.receive_email(desk, WS, customer_mail("Thanks, when will it come?", message_id="<r@x>",
                                                          in_reply_to=sent["Message-ID"]), MONDAY_10)
    assert answer.ticket_id == tid and service.ticket(desk, WS, tid).status == "open"


def test_an_agent_going_away_hands_their_open_tickets_to_an_eligible_colleague_with_the_reason() -> None:
    desk = fake_desk()
    team.configure_agent(desk, WS, "anna", {"languages": ["en"]}, MONDAY_10)
    tid = intake.receive_email(desk, WS, customer_mail("where is it"), MONDAY_10).ticket_id or ""
    team.configure_agent(desk, WS, "ben", {"languages": ["en"]}, MONDAY_10)
    assert service.ticket(desk, WS, tid).assignee == "anna"
    team.configure_agent(desk, WS, "anna", {"presence": "away"}, MONDAY_10)
    t = service.ticket(desk, WS, tid)
    assert t.assignee == "ben"
    assert t.doc["assignments"][-1]["reason"].startswith("re-routing: anna is away; speaks en")


def test_where_is_my_order_in_the_chat_is_answered_from_commerce_and_counted_as_deflected() -> None:
    from frontoffice.inbox import reports

    customers = FakeCustomers(
        people={("email", "ann@example.com"): "p1"},
        orders={"p1": [{"order_id": "SO-1", "status": "shipped", "placed_at": "2026-12-01"}]},
        shipments=[{"shipment_id": "SH-1", "order_id": "SO-1", "status": "in_transit", "carrier": "DHL",
                    "promised_by": "2026-12-09T18:00:00Z"}])
    desk = fake_desk(customers=customers)
    chat = intake.Incoming("chat", "c1", "email", "ann@example.com", "Ann", "", "where is my parcel?", ())
    tid = intake.receive(desk, WS, chat, MONDAY_10).ticket_id or ""
    [answer] = [m for m in desk.inbox.messages(WS, tid) if m.kind == "sent"]
    assert answer.doc["text"] == ("Your order SO-1: shipment SH-1: in transit with DHL expected by "
                                  "2026-12-09. An agent will follow up if you need more.")
    t = service.ticket(desk, WS, tid)
    assert "self_service" in t.doc["tags"] and "first_response_at" not in t.doc  # not an agent's answer
    assert reports.lead(desk.inbox, WS, MONDAY_10)["self_service"] == {"answered": 1, "deflected": 1}
    by_mail = intake.receive_email(desk, WS, customer_mail("where is my parcel?", message_id="<w@x>",
                                                           subject="Parcel"), MONDAY_10)
    assert [m for m in desk.inbox.messages(WS, by_mail.ticket_id or "") if m.kind == "sent"] == []


def test_solving_an_email_ticket_asks_for_a_rating_whose_link_records_it_once_per_ticket() -> None:
    mailer = FakeMailer()
    desk = fake_desk(mailer=mailer, public_url="https://help.shop.example")
    tid = intake.receive_email(desk, WS, customer_mail("where is it"), MONDAY_10).ticket_id or ""
    service.update(desk, WS, tid, {"status": "solved"}, "anna", MONDAY_10)
    [request] = mailer.sent
    token = service.ticket(desk, WS, tid).doc["csat_token"]
    assert f"https://help.shop.example/inbox/v1/csat/{WS}/{token}?score=5" in request.get_content()
    assert service.rate_by_link(desk, WS, token, 2, MONDAY_10).doc["csat"]["score"] == 2
    with pytest.raises(NotFound):
        service.rate_by_link(desk, WS, "forged-token", 5, MONDAY_10)
    service.update(desk, WS, tid, {"status": "open"}, "anna", MONDAY_10)
    service.update(desk, WS, tid, {"status": "solved"}, "anna", MONDAY_10)
    assert len(mailer.sent) == 1  # asked once


def test_checking_stock_for_the_customers_order_lists_each_sku_and_is_noted() -> None:
    customers = FakeCustomers(people={("email", "ann@example.com"): "p1"}, stock={"D-M": 3},
                              orders={"p1": [{"order_id": "SO-1", "channel": "web", "lines": [
                                  {"line_no": 1, "sku": "D-M"}, {"line_no": 2, "sku": "D-L"}]}]})
    desk = fake_desk(customers=customers)
    tid = intake.receive_email(desk, WS, customer_mail("wrong size"), MONDAY_10).ticket_id or ""
    assert actions.check_stock(desk, WS, tid, "SO-1", "anna", MONDAY_10) == {"D-M": 3, "D-L": 0}
    [noted] = [m for m in desk.inbox.messages(WS, tid) if m.kind == "note"]
    assert noted.doc["text"] == "Stock for order SO-1: D-L 0 available, D-M 3 available"
    with pytest.raises(InboxError, match="not this customer's"):
        actions.check_stock(desk, WS, tid, "SO-2", "anna", MONDAY_10)


def test_a_messages_log_append_is_made_under_the_workspace_lock_its_projection_takes() -> None:
    """Threads of one process then queue on a lock that wakes them when it is free, not in
    SQLite's busy handler, which sleeps up to 100 ms at a time."""
    held: list[bool] = []

    class WatchedInbox(FakeInbox):
        def append(self, batch: AppendBatch) -> AppendResult:
            held.append(self.lock(WS).locked())
            return super().append(batch)

    desk = fake_desk(inbox=WatchedInbox())
    receipt = intake.receive_email(desk, WS, customer_mail("Where is my parcel?"), MONDAY_10)
    assert receipt.ticket_id is not None
    assert held == [True]
