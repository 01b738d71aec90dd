"""Privacy in the console: the request queue and its deadlines, verifying and executing an
erasure (then the person is gone), consent statistics and the erasure log."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from frontoffice.console.roles import Role
from tests.browser.conftest import screenshot, serious_violations
from tests.browser.seed import Seeded
from tests.support.server import ServerProcess

pytestmark = pytest.mark.xdist_group("browser")
CONFIRM = "form:has(input[name=confirm]) button[type=submit]"


def test_the_queue_flags_a_request_past_its_deadline(sign_in: Callable[[Role], Page]) -> None:
    page = sign_in(Role.PRIVACY_OFFICER)
    page.goto("/console/w/shop/privacy/requests")
    late = page.locator("#requests tbody tr.late")
    expect(late).to_have_count(1)
    expect(late).to_contain_text("access")
    expect(late.locator(".overdue")).to_be_visible()
    assert serious_violations(page) == []
    screenshot(page, "privacy-requests")
    page.goto("/console/w/shop/privacy/requests?overdue=true")
    expect(page.locator("#requests tbody tr")).to_have_count(1)


def test_an_officer_verifies_and_executes_an_erasure_and_the_person_is_gone(
        sign_in: Callable[[Role], Page], seeded_server: tuple[ServerProcess, Seeded]) -> None:
    seeded = seeded_server[1]
    page = sign_in(Role.PRIVACY_OFFICER)
    page.goto("/console/w/shop/people?q=erik.larsen@posteo.de")
    profile = page.locator("#results tbody tr a").first.get_attribute("href")
    page.goto(f"/console/w/shop/privacy/requests/{seeded.erasure_request}")
    expect(page.locator("#request-status")).to_have_text("verification_sent")
    assert serious_violations(page) == []
    page.fill("#code", seeded.erasure_code)
    page.click("#verify button")
    page.click(CONFIRM)
    page.goto(f"/console/w/shop/privacy/requests/{seeded.erasure_request}")
    expect(page.locator("#request-status")).to_have_text("verified")
    page.click("#execute button")
    expect(page.locator("p.what")).to_contain_text(seeded.erasure_request)
    page.click(CONFIRM)
    page.goto(f"/console/w/shop/privacy/requests/{seeded.erasure_request}")
    expect(page.locator("#request-status")).to_have_text("completed")
    expect(page.locator("#trail tbody")).to_contain_text("executed")
    screenshot(page, "privacy-request")
    assert profile is not None
    assert (answer := page.goto(profile)) is not None and answer.status == 404
    page.goto("/console/w/shop/people?q=erik.larsen@posteo.de")
    expect(page.locator("#results tbody tr")).to_have_count(0)
    page.goto("/console/w/shop/people?q=Larsen")
    expect(page.locator("#results tbody tr")).to_have_count(0)
    page.goto("/console/w/shop/privacy/erasures")
    expect(page.locator("#erasures tbody tr")).to_have_count(1)
    assert serious_violations(page) == []
    screenshot(page, "privacy-erasures")


def test_consent_is_counted_per_region_and_purpose_and_charted(sign_in: Callable[[Role], Page]) -> None:
    page = sign_in(Role.PRIVACY_OFFICER)
    page.goto("/console/w/shop/privacy/consent")
    row = page.locator("#consent-counts tbody tr", has_text="marketing_email")
    expect(row.locator("td").nth(2)).to_have_text("1")
    expect(page.locator("svg#consent-chart rect.bar")).to_have_count(4)
    assert serious_violations(page) == []
    screenshot(page, "privacy-consent")


def test_a_lead_is_refused_the_privacy_pages(sign_in: Callable[[Role], Page]) -> None:
    page = sign_in(Role.LEAD)
    for path in ("requests", "consent", "erasures"):
        answer = page.goto(f"/console/w/shop/privacy/{path}")
        assert answer is not None and answer.status == 403, path
