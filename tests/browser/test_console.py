"""The console as a person uses it: Debian's chromium driving the real server process."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from frontoffice.console.roles import Role
from tests.browser.conftest import LOGIN_FAILURES, screenshot, serious_violations

pytestmark = pytest.mark.xdist_group("browser")  # one seeded server and worker for every browser test

ADMIN_ONLY = ("sources", "tokens", "users", "destinations", "settings", "audit")
# the demo agent reads Japanese, the privacy officer German
PEOPLE = {Role.AGENT: "顧客", Role.PRIVACY_OFFICER: "Personen"}


@pytest.mark.parametrize("role", list(Role))
def test_each_role_signs_in_and_its_home_lists_exactly_the_pages_its_scopes_allow(
        sign_in: Callable[[Role], Page], role: Role) -> None:
    page = sign_in(role)
    links = page.locator("ul.cards a")
    listed = [link.get_attribute("href") or "" for link in links.all()]
    if role is Role.CATEGORY_MANAGER:  # products, suppliers and prices: no customer's profile
        expect(page.locator("ul.cards a[href='/console/w/shop/insights']")).to_have_text("Insights")
        assert "/console/w/shop/people" not in listed, listed
    else:
        people = page.locator("ul.cards a[href='/console/w/shop/people']")
        expect(people).to_have_text(PEOPLE.get(role, "People"))
    assert all((f"/console/w/shop/admin/{name}" in listed) == (role is Role.ADMIN)
               for name in ADMIN_ONLY), listed
    assert serious_violations(page) == []
    if role is Role.ADMIN:
        screenshot(page, "home")


def test_a_cyrillic_name_finds_the_person_written_in_latin_and_opens_the_profile(
        sign_in: Callable[[Role], Page]) -> None:
    page = sign_in(Role.LEAD)
    page.goto("/console/w/shop/people?q=Иванов")
    row = page.locator("#results tbody tr")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("s.ivanov@mail.ru")
    assert serious_violations(page) == []
    screenshot(page, "search")
    row.locator("a").click()
    expect(page.locator("h1")).to_contain_text("Ivanov")
    # the POS record (its loyalty id), merged
    expect(page.locator("#ids").locator("..")).to_contain_text("L100")
    consent = page.locator("#consent").locator("..")
    per_purpose = consent.locator("table").first
    expect(per_purpose.locator("tr", has_text="analytics")).to_contain_text("withdrawn")
    expect(per_purpose.locator("tr", has_text="marketing_email")).to_contain_text("granted")
    expect(consent.locator("summary")).to_contain_text("(3 changes)")  # the proof of each
    expect(page.locator("#commerce").locator("..")).to_contain_text("ORD-RU-1")
    assert serious_violations(page) == []
    screenshot(page, "profile")


def test_a_kana_name_finds_the_person_written_in_kanji(sign_in: Callable[[Role], Page]) -> None:
    page = sign_in(Role.AGENT)
    page.goto("/console/w/shop/people")
    page.fill("#q", "やまだ たろう")
    page.press("#q", "Enter")
    row = page.locator("#results tbody tr")
    expect(row).to_have_count(1)
    expect(row.locator("a bdi")).to_have_attribute("lang", "zh")
    expect(row).to_contain_text("t.yamada@docomo.ne.jp")
    screenshot(page, "search-kana")
    row.locator("a").click()
    expect(page.locator("h1")).to_have_text("山田 太郎")
    assert serious_violations(page) == []
    screenshot(page, "profile-ja")


def test_an_identifier_finds_its_person(sign_in: Callable[[Role], Page]) -> None:
    page = sign_in(Role.MARKETER)
    page.goto("/console/w/shop/people?q=%2B49301234567")
    expect(page.locator("#results tbody tr")).to_contain_text("Müller")


def test_a_role_without_the_scope_is_refused_an_admin_page(sign_in: Callable[[Role], Page]) -> None:
    page = sign_in(Role.AGENT)
    response = page.goto("/console/w/shop/admin/sources")
    assert response is not None and response.status == 403
    expect(page.locator("h1")).to_have_text("Not allowed")
    assert serious_violations(page) == []


def test_the_admin_pages_render_and_a_write_key_is_created_after_a_confirm_step_and_audited(
        sign_in: Callable[[Role], Page]) -> None:
    page = sign_in(Role.ADMIN)
    for name in ("sources", "tokens", "users", "destinations", "settings"):
        page.goto(f"/console/w/shop/admin/{name}")
        assert serious_violations(page) == [], name
        screenshot(page, f"admin-{name}")
    page.goto("/console/w/shop/admin/sources")
    page.fill("#name", "kiosk")
    page.click("form.stack button[type=submit]")
    expect(page.locator("p.what")).to_contain_text("kiosk")
    page.click("text=Yes, do it")
    expect(page.locator("input.secret")).to_have_value(re.compile(r"^fo_wk_"))
    page.goto("/console/w/shop/admin/audit?action=source.create")
    expect(page.locator("tbody tr")).to_have_count(1)


def test_sign_out_revokes_the_session_on_the_server(sign_in: Callable[[Role], Page]) -> None:
    page = sign_in(Role.MARKETER)
    cookies = page.context.cookies()
    page.click("text=Sign out")
    page.wait_for_url("**/console/login")
    page.context.add_cookies(cookies)  # the old cookie, replayed
    page.goto("/console/w/shop")
    assert page.url.endswith("/console/login")


def test_a_form_without_its_csrf_token_is_refused(sign_in: Callable[[Role], Page]) -> None:
    page = sign_in(Role.ADMIN)
    response = page.request.post("/console/w/shop/admin/sources",
                                 form={"name": "forged", "channel": "web", "confirm": "yes"})
    assert response.status == 403
    assert "CSRF" in response.text()


def test_sign_in_is_throttled_per_login_with_a_precise_message(page: Page) -> None:
    for _ in range(LOGIN_FAILURES):
        page.goto("/console/login")
        page.fill("#login", "nobody-here")
        page.fill("#password", "not the password")
        page.click("button[type=submit]")
        expect(page.locator("p.error")).to_contain_text("Wrong login or password")
    page.goto("/console/login")
    page.fill("#login", "nobody-here")
    page.fill("#password", "not the password")
    with page.expect_response("**/console/login") as answer:
        page.click("button[type=submit]")
    assert answer.value.status == 429
    expect(page.locator("p.error")).to_contain_text(
        f"Too many failed sign-ins for this login ({LOGIN_FAILURES} in the last 15 minutes)")


