"""Decisions in the console: a marketer sees a person's next best actions with their reasons and
the refused ones with the rule that refused them, and the action catalogue."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from playwright.sync_api import Page, expect

from frontoffice.commerce import service as commerce
from frontoffice.commerce.store import CommerceStore
from frontoffice.console.roles import Role
from frontoffice.decisions import service
from frontoffice.decisions.catalogue import Action
from frontoffice.decisions.store import DecisionsStore
from frontoffice.domain.events import now
from frontoffice.identity import service as identity
from frontoffice.storage import open_store
from frontoffice.tenancy import service as tenancy
from tests.browser.conftest import screenshot, serious_violations
from tests.browser.seed import Seeded
from tests.support.server import ServerProcess

pytestmark = pytest.mark.xdist_group("browser")

ACTIONS = [
    {"action_id": "dress-mail", "kind": "product", "title": "The wrap dress, by email",
     "purpose": "marketing_email", "channels": ["email"], "product_id": "D", "skus": ["D-M"],
     "category": "dresses", "value": 100.0, "margin": 0.4},
    {"action_id": "vip-points", "kind": "loyalty", "title": "Double points for members",
     "purpose": "marketing_email", "channels": ["email"], "segment": "vip"},
    {"action_id": "style-tips", "kind": "content", "title": "Style tips",
     "purpose": "personalisation", "channels": ["email"]},
]


@pytest.fixture(scope="module")
def ivanov(seeded_server: tuple[ServerProcess, Seeded]) -> Iterator[str]:
    """The seeded shop's catalogue of actions; Ivanov (marketing email granted, nothing else) lives
    in Russia, so the dress is offered only once a Russian warehouse ships it."""
    store = open_store(seeded_server[0].database_url)
    try:
        ws = store.workspace("shop")
        assert ws is not None
        source, _ = tenancy.create_source(store, ws.id, "moscow", "commerce")
        for kind, items in (
                ("locations", [{"event_id": "loc-msk", "version": 1, "location_id": "MSK",
                                "kind": "warehouse", "city": "Moscow", "country": "RU",
                                "capabilities": ["ship"]}]),
                ("inventory", [{"event_id": "stk-msk", "version": 1, "location_id": "MSK",
                                "sku": "D-M", "on_hand": 4}])):
            commerce.ingest(CommerceStore(store), ws.id, source.id, kind, items, now())
        for body in ACTIONS:
            service.save_action(DecisionsStore(store), ws.id, Action.model_validate(body), now())
        yield identity.find(store, ws.id, "s.ivanov@mail.ru")
    finally:
        store.close()


def test_a_marketer_sees_a_persons_next_best_actions_with_reasons_and_refusals(
        sign_in: Callable[[Role], Page], ivanov: str) -> None:
    page = sign_in(Role.MARKETER)
    page.goto("/console/w/shop/decisions/next")
    page.fill("#person_id", ivanov)
    page.select_option("#channel", "email")
    page.click("form.filter button[type=submit]")
    expect(page.locator("#chosen tbody tr")).to_have_count(1)
    expect(page.locator("#chosen tbody tr").first).to_contain_text("The wrap dress, by email")
    expect(page.locator("#chosen")).to_contain_text("expected kept value")
    refused = page.locator("#refused tbody tr")
    expect(refused.filter(has_text="vip-points")).to_contain_text("segment")
    expect(refused.filter(has_text="style-tips")).to_contain_text("consent")
    assert serious_violations(page) == []
    screenshot(page, "decisions-next")
    page.goto("/console/w/shop/decisions/actions")
    expect(page.locator("#actions tbody tr")).to_have_count(3)
    assert serious_violations(page) == []
    screenshot(page, "decisions-actions")
