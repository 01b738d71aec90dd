"""Segments in the console: the builder previews size and sample live as the condition is typed,
a saved segment is listed with the size real time reaches (the preview's, by batch), and the
profile links to the person's membership history with the reason they entered."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from frontoffice.console.roles import Role
from frontoffice.identity.people_store import PeopleSql
from frontoffice.segments import service
from frontoffice.segments.adapters import SegmentsProjection
from frontoffice.segments.store import SegmentsStore
from frontoffice.storage import open_store
from tests.browser.conftest import screenshot, serious_violations
from tests.browser.seed import Seeded
from tests.support.server import ServerProcess

pytestmark = pytest.mark.xdist_group("browser")
CONDITION = {"all": [{"did": "identify"}, {"trait": "country", "op": "eq", "value": "DE"}]}


def project(database_url: str) -> tuple[int, list[str], str]:
    """The worker's pass over the shop (the test server runs none): the preview's size and
    sample by batch, and Jürgen Müller's person id."""
    store = open_store(database_url)
    try:
        ws = store.workspace("shop")
        assert ws is not None
        SegmentsProjection(store, None).catch_up(ws.id)
        found = service.preview(SegmentsStore(store), ws.id, {"name": "germans", "condition": CONDITION},
                                SegmentsProjection(store, None).projector.now())
        [mueller] = PeopleSql(store).holders(ws.id, "user_id", ["cus-mueller"])["cus-mueller"]
        return found.size, found.sample, mueller
    finally:
        store.close()


def test_a_marketer_builds_a_segment_with_a_live_preview_and_follows_a_persons_history(
        sign_in: Callable[[Role], Page], seeded_server: tuple[ServerProcess, Seeded]) -> None:
    server = seeded_server[0]
    size, sample, mueller = project(server.database_url)
    assert mueller in sample
    page = sign_in(Role.MARKETER)
    page.goto("/console/w/shop/segments/new")
    page.fill("#name", "germans")
    page.fill("#condition", json.dumps(CONDITION))
    page.press("#condition", "End")
    expect(page.locator("#preview-size")).to_contain_text(f"{size} people now")
    expect(page.locator("#preview-sample")).to_contain_text(mueller)
    page.fill("#condition", '{"did": 3}')
    page.press("#condition", "End")
    expect(page.locator("#preview .error")).to_contain_text("at $.condition.did")
    page.fill("#condition", json.dumps(CONDITION))
    page.press("#condition", "End")
    expect(page.locator("#preview-size")).to_be_visible()
    assert serious_violations(page) == []
    screenshot(page, "segments-builder")
    page.click("main form button[type=submit]")
    expect(page.locator("main")).to_contain_text("germans: all(did 'identify', trait country = 'DE')")
    page.click("main form button[type=submit]")  # the confirm step

    project(server.database_url)  # the worker evaluates everyone against the saved segment
    page.goto("/console/w/shop/segments")
    expect(page.locator("#segments tbody tr", has_text="germans").locator(".size")).to_have_text(str(size))
    page.click("#segments a:text-is('germans')")
    expect(page.locator("svg#sizes-chart rect.bar")).to_have_count(1)  # everyone entered today
    expect(page.locator("#members tbody tr")).to_have_count(size)
    page.goto(f"/console/w/shop/people/{mueller}")
    page.click("#segments-link")
    history = page.locator("#membership-history tbody tr", has_text="germans")
    expect(history).to_contain_text("entered")
    expect(history).to_contain_text("trait country is 'DE'")
    assert serious_violations(page) == []
    screenshot(page, "segments-person")
