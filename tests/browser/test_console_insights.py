"""Insights in the console: a service lead opens their dashboard (the flags of agents, teams and
channels, the trends with the flags marked) and a flag's evidence down to the ticket; a store's
late click-and-collect flag leads to the orders behind it, and is acknowledged then snoozed.

The shop is the insights seed (two weeks of noise, four incidents in the second) in a workspace of
its own on the shared server, so the other browser tests' brand stays as it is."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from frontoffice.commerce.store import CommerceStore
from frontoffice.console.roles import Role
from frontoffice.console.store import ConsoleStore
from frontoffice.console.users import create_user
from frontoffice.domain.events import now
from frontoffice.inbox.tasks import InboxTasks
from frontoffice.inbox.wiring import desk_for
from frontoffice.insights import seed, service
from frontoffice.insights.projector import InsightsHub
from frontoffice.insights.rates import Windows
from frontoffice.settings import Settings
from frontoffice.storage import open_store
from frontoffice.tenancy import service as tenancy
from tests.browser.conftest import screenshot, serious_violations
from tests.browser.seed import Seeded
from tests.fakes.inbox import KeywordUnderstanding
from tests.support.server import ServerProcess

pytestmark = pytest.mark.xdist_group("browser")

LEAD, MANAGER, PASSWORD = "outlet-lead", "outlet-category-manager", "insights-lead-password-1"


@pytest.fixture(scope="module")
def outlet(seeded_server: tuple[ServerProcess, Seeded], tmp_path_factory: pytest.TempPathFactory
           ) -> Iterator[list[dict[str, object]]]:
    url = seeded_server[0].database_url
    store = open_store(url)
    try:
        ws = tenancy.create_workspace(store, "outlet", "EU").id
        create_user(ConsoleStore(store), ws, LEAD, Role.LEAD, PASSWORD, by="test", at=now())
        create_user(ConsoleStore(store), ws, MANAGER, Role.CATEGORY_MANAGER, PASSWORD, by="test", at=now())
        folder = Path(tmp_path_factory.mktemp("outlet"))
        desk = desk_for(Settings(data_dir=folder, database_url=url), store, understand=KeywordUnderstanding())
        truth = seed.seed(CommerceStore(store), desk, ws, days=14, incident_day=8, orders_per_day=20,
                          tickets_per_day=4)
        hub = InsightsHub(store)
        service.run(hub, ws, now(), truth.last_day, Windows(7, 7), tasks=InboxTasks(store))
        yield hub.flags(ws)
    finally:
        store.close()


def signed_in(page: Page, login: str = LEAD) -> Page:
    page.goto("/console/login")
    page.fill("#login", login)
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/console/w/outlet")
    return page


def test_a_lead_sees_the_service_dashboard_and_follows_a_flag_to_its_tickets(
        page: Page, outlet: list[dict[str, object]]) -> None:
    ben = next(f for f in outlet if f["metric"] == "sla_breach_rate" and f["slice"] == "ben")
    signed_in(page).goto("/console/w/outlet/insights")
    expect(page.locator("#boards [aria-current=page]")).to_have_text("Service: agents, teams and channels")
    expect(page.locator("#flags tbody")).to_contain_text("sla_breach_rate · agent ben")
    expect(page.locator("#flags tbody")).not_to_contain_text("late_delivery_rate")
    expect(page.locator("svg line.flag").first).to_be_attached()  # a trend with its flag marked
    assert serious_violations(page) == []
    screenshot(page, "insights-dashboard")
    page.click(f"a[href='/console/w/outlet/insights/{ben['flag_id']}']")
    expect(page.locator("#summary")).to_contain_text("agent ben")
    expect(page.locator("#trend line.flag")).to_be_attached()
    ticket = page.locator("#evidence a[href*='/inbox/']").first
    ticket_id = ticket.inner_text().split(":")[1]
    ticket.click()
    page.wait_for_url(f"**/console/w/outlet/inbox/{ticket_id}")


def test_a_late_store_flag_shows_its_orders_and_is_acknowledged_then_snoozed(
        page: Page, outlet: list[dict[str, object]]) -> None:
    late = next(f for f in outlet if f["metric"] == "late_delivery_rate" and f["slice"] == "ST2")
    signed_in(page).goto(f"/console/w/outlet/insights/{late['flag_id']}")
    expect(page.locator("#status")).to_have_text("open")
    expect(page.locator("#task")).to_contain_text("store-ops")  # its service task, in store ops' queue
    assert serious_violations(page) == []
    screenshot(page, "insights-flag")
    page.locator("#evidence a[href*='/insights/records/order/']").first.click()
    expect(page.locator("#record")).to_contain_text("ST2")
    page.go_back()
    page.click("button:has-text('Acknowledge')")
    expect(page.locator("#status")).to_have_text("acknowledged")
    page.click("button:has-text('Snooze for a week')")
    expect(page.locator("#status")).to_have_text("snoozed")


def test_a_category_manager_sees_products_suppliers_and_prices_and_no_service_desk(
        page: Page, outlet: list[dict[str, object]]) -> None:
    signed_in(page, MANAGER)
    expect(page.locator("main")).not_to_contain_text("Service lead view")
    page.goto("/console/w/outlet/insights")
    expect(page.locator("#boards [aria-current=page]")).to_have_text("Products, suppliers and prices")
    flags = page.locator("#flags tbody")
    expect(flags).to_contain_text("supplier_return_rate:damaged · product_supplier P1|SUP-A")
    expect(flags).to_contain_text("price_conflict · product P3")
    expect(flags).not_to_contain_text("sla_breach_rate")
    assert serious_violations(page) == []
    screenshot(page, "insights-category-manager")
