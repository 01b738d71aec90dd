"""The service inbox in the console: an agent opens a customer's message from the queue, sees
their order and the knowledge base's article beside it, starts a return and replies with a macro
in the customer's language; the lead sees the backlog, SLA attainment and CSAT."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from frontoffice.console.roles import Role
from frontoffice.domain.events import now
from frontoffice.inbox import intake, kb, team
from frontoffice.inbox.wiring import desk_for
from frontoffice.settings import Settings
from frontoffice.storage import open_store
from tests.browser.conftest import screenshot, serious_violations
from tests.browser.seed import Seeded
from tests.fakes.inbox import KeywordUnderstanding
from tests.support.server import ServerProcess

pytestmark = pytest.mark.xdist_group("browser")


@pytest.fixture(scope="module")
def ticket(seeded_server: tuple[ServerProcess, Seeded]) -> str:
    """Ivanov (who ordered ORD-RU-1) writes in the chat; a macro in Russian is saved."""
    store = open_store(seeded_server[0].database_url)
    try:
        ws = store.workspace("shop")
        assert ws is not None
        desk = desk_for(Settings.load({}), store, understand=KeywordUnderstanding())
        team.save_macro(desk, ws.id, "wismo", {
            "en": "Hello {{customer.name}}, order {{order.id}} is {{order.status}}.",
            "ru": "Здравствуйте, {{customer.name}}! Заказ {{order.id}}: {{order.status}}."}, {}, now())
        kb.save_article(desk, ws.id, "delivery", "en", "Delivery times",
                        "Parcels arrive in 2 to 4 working days; the tracking link shows where.", now())
        item = intake.Incoming("chat", "chat-ivanov-1", "email", "s.ivanov@mail.ru", "Sergei Ivanov",
                               "Заказ", "Где мой заказ ORD-RU-1? Уже неделя прошла.", ())
        receipt = intake.receive(desk, ws.id, item, now())
        return receipt.ticket_id or ""
    finally:
        store.close()


def test_an_agent_answers_from_the_queue_with_the_order_beside_and_starts_a_return(
        sign_in: Callable[[Role], Page], ticket: str) -> None:
    page = sign_in(Role.AGENT)
    page.goto("/console/w/shop/inbox")
    row = page.locator("#queue tbody tr", has_text=ticket)
    expect(row).to_contain_text("Заказ")
    assert serious_violations(page) == []
    screenshot(page, "inbox-queue")
    row.locator("a").click()
    expect(page.locator("#orders")).to_contain_text("ORD-RU-1")
    expect(page.locator("#conversation a.order-link")).to_have_text("ORD-RU-1")
    expect(page.locator("#articles")).to_contain_text("Delivery times")  # found from the Russian question
    page.fill("#reason", "late delivery")
    page.click("#start-return button")
    expect(page.locator("#returns")).to_contain_text("late delivery")
    page.select_option("#macro", "wismo")
    page.select_option("#reply-status", "pending")
    page.click("#reply button[type=submit]")
    expect(page.locator("#conversation li.sent")).to_contain_text(
        "Здравствуйте, Sergei Ivanov! Заказ ORD-RU-1: confirmed.")
    expect(page.locator("#facts")).to_contain_text("pending")
    assert serious_violations(page) == []
    screenshot(page, "inbox-ticket")


def test_the_lead_sees_the_backlog_sla_attainment_and_csat(sign_in: Callable[[Role], Page],
                                                          ticket: str) -> None:
    page = sign_in(Role.LEAD)
    page.goto("/console/w/shop/inbox-lead")
    expect(page.locator("#backlog")).to_be_visible()
    expect(page.locator("#sla")).to_contain_text("First response")
    expect(page.locator("#self-service")).to_be_visible()
    assert serious_violations(page) == []
    screenshot(page, "inbox-lead")
