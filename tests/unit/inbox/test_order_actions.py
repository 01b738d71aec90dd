"""Order actions from a ticket on fakes: cancel while unshipped, resend a failed or late delivery
once when in stock; each through commerce's port and recorded on the ticket, each refusal saying
what to do instead."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest

from frontoffice.inbox import actions, intake, service
from frontoffice.inbox.deps import Desk
from frontoffice.inbox.model import InboxError
from frontoffice.inbox.order_policy import Resend, resend_plan
from tests.fakes.inbox import MONDAY_10, FakeCustomers, fake_desk
from tests.unit.inbox.mails import customer_mail

WS = "ws1"


def order(order_id: str, status: str) -> dict[str, Any]:
    return {"order_id": order_id, "status": status, "channel": "web",
            "lines": [{"line_no": 1, "sku": "D-M", "qty": 1}, {"line_no": 2, "sku": "D-L", "qty": 2}]}


def shipment(status: str, promised: str = "2026-12-10T12:00:00+00:00") -> dict[str, Any]:
    return {"shipment_id": "S1", "order_id": "SO-1", "location_id": "WH", "carrier": "DHL",
            "line_nos": [1, 2], "status": status, "promised_by": promised}


def ticket_for(customers: FakeCustomers) -> tuple[Desk, str]:
    desk = fake_desk(customers=customers)
    return desk, intake.receive_email(desk, WS, customer_mail("help"), MONDAY_10).ticket_id or ""


def customers(status: str, *shipments: dict[str, Any], stock: int = 5) -> FakeCustomers:
    return FakeCustomers(people={("email", "ann@example.com"): "p1"}, orders={"p1": [order("SO-1", status)]},
                         shipments=list(shipments), stock={"D-M": stock, "D-L": stock})


def test_an_unshipped_order_is_cancelled_through_commerce_and_recorded_on_the_ticket() -> None:
    desk, tid = ticket_for(customers("confirmed"))
    done = actions.cancel(desk, WS, tid, "SO-1", "changed my mind", "anna", MONDAY_10)
    assert done["status"] == "cancelled"
    t = service.ticket(desk, WS, tid)
    assert [(a["action"], a["order_id"], a["by"]) for a in t.doc["actions"]] == [("cancel", "SO-1", "anna")]
    assert desk.inbox.messages(WS, tid)[-1].doc["text"] == "Order SO-1 cancelled: changed my mind"


@pytest.mark.parametrize("status, says", [
    ("fulfilled", "Order SO-1 is fulfilled: only a pending or confirmed order can be cancelled; "
                  "start a return"),
    ("cancelled", "Order SO-1 is already cancelled."),
])
def test_an_order_past_shipping_is_not_cancelled_and_the_refusal_says_what_instead(status: str,
                                                                                   says: str) -> None:
    desk, tid = ticket_for(customers(status))
    with pytest.raises(InboxError, match=re.escape(says)):
        actions.cancel(desk, WS, tid, "SO-1", "too late", "anna", MONDAY_10)
    assert "actions" not in service.ticket(desk, WS, tid).doc


def test_a_failed_delivery_is_resent_once_from_the_same_location_and_recorded() -> None:
    fake = customers("delivery_failed", shipment("failed"))
    desk, tid = ticket_for(fake)
    sent = actions.resend(desk, WS, tid, "SO-1", "anna", MONDAY_10)
    assert (sent["shipment_id"], sent["location_id"], sent["carrier"], sent["line_nos"]) == \
        ("resend-SO-1", "WH", "DHL", [1, 2])
    assert service.ticket(desk, WS, tid).doc["actions"][0]["action"] == "resend"
    with pytest.raises(InboxError, match="already resent \\(shipment resend-SO-1\\)"):
        actions.resend(desk, WS, tid, "SO-1", "anna", MONDAY_10)


def test_resending_needs_a_failed_or_late_delivery_and_every_line_in_stock() -> None:
    now = MONDAY_10
    on_time = resend_plan(order("SO-1", "fulfilled"), [shipment("in_transit")], {"D-M": 5, "D-L": 5}, now)
    assert isinstance(on_time, str) and "has not failed and is not late" in on_time
    late = resend_plan(order("SO-1", "fulfilled"), [shipment("in_transit", "2026-12-01T12:00:00+00:00")],
                       {"D-M": 5, "D-L": 5}, now)
    assert isinstance(late, Resend) and late.why.startswith("shipment S1: it is late")
    assert late.promised_by == now + timedelta(days=3)
    short = resend_plan(order("SO-1", "fulfilled"), [shipment("failed")], {"D-M": 5, "D-L": 1}, now)
    assert short == "Not enough stock to resend order SO-1: D-L (1 of 2) available."


def test_actions_only_touch_the_tickets_customers_own_orders() -> None:
    desk, tid = ticket_for(customers("confirmed"))
    refusal = "Order 'SO-9' is not this customer's; cancel only their orders."
    with pytest.raises(InboxError, match=re.escape(refusal)):
        actions.cancel(desk, WS, tid, "SO-9", "x", "anna", MONDAY_10)
