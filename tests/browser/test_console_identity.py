"""Identity in the console: the graph of a person, split and merge from there, the review queue."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from frontoffice.console.roles import Role
from tests.browser.conftest import screenshot, serious_violations

pytestmark = pytest.mark.xdist_group("browser")


def open_profile(page: Page, query: str) -> None:
    page.goto(f"/console/w/shop/people?q={query}")
    page.locator("#results tbody tr a").first.click()


def test_the_graph_draws_records_and_identifiers_with_the_merging_identifier_marked(
        sign_in: Callable[[Role], Page]) -> None:
    page = sign_in(Role.LEAD)
    open_profile(page, "s.ivanov@mail.ru")
    page.click("#graph-link")
    graph = page.locator("svg#graph")
    expect(graph).to_have_attribute("role", "img")
    expect(graph.locator("g.node.record")).to_have_count(2)
    # the user id both records carry merged them: drawn as a merging identifier
    expect(graph.locator("g.node.identifier.merges", has_text="cus-ivanov")).to_have_count(1)
    expect(graph.locator("line.merges")).to_have_count(2)  # both records carry it
    expect(graph.locator("line.carries")).to_have_count(2)  # the email, the loyalty id
    assert serious_violations(page) == []
    screenshot(page, "identity-graph")


def test_an_agent_reads_a_graph_in_japanese_and_may_not_change_it(sign_in: Callable[[Role], Page]) -> None:
    page = sign_in(Role.AGENT)
    open_profile(page, "t.yamada@docomo.ne.jp")
    page.click("#graph-link")
    expect(page.locator("h1 bdi")).to_have_text("山田 太郎")
    expect(page.locator("#split-h")).to_have_count(0)  # splitting needs identity:admin
    assert serious_violations(page) == []
    screenshot(page, "identity-graph-ja")


def test_a_lead_splits_a_record_off_a_person_after_a_confirm_and_the_audit_says_so(
        sign_in: Callable[[Role], Page]) -> None:
    page = sign_in(Role.LEAD)
    open_profile(page, "olga.petrova@yandex.ru")
    page.click("#graph-link")
    page.locator("input[type=checkbox][name$=':b-7']").check()
    page.fill("#split-reason", "a shop assistant typed her user id on a stranger's receipt")
    page.click("#split-h ~ form button[type=submit]")
    expect(page.locator("p.what")).to_contain_text("splits 1 records off")
    assert serious_violations(page) == []
    page.click("text=Yes, do it")
    people = page.locator("#people-now li")
    expect(people).to_have_count(2)
    page.goto("/console/w/shop/people?q=olga.petrova@yandex.ru")
    page.locator("#results tbody tr a").first.click()
    expect(page.locator("p.muted").first).to_contain_text("1 records")
    admin = sign_in(Role.ADMIN)
    admin.goto("/console/w/shop/admin/audit?action=person.split")
    expect(admin.locator("tbody tr")).to_have_count(1)
    expect(admin.locator("tbody tr")).to_contain_text(":b-7")


def test_a_lead_merges_two_people_after_seeing_both(sign_in: Callable[[Role], Page]) -> None:
    page = sign_in(Role.LEAD)
    page.goto("/console/w/shop/people?q=minjun.kim@naver.com")
    other = (page.locator("#results tbody tr a").first.get_attribute("href") or "").rpartition("/")[2]
    open_profile(page, "j.mueller@web.de")
    page.click("#graph-link")
    page.fill("#other", other)
    page.click("#merge-h ~ form button[type=submit]")
    expect(page.locator("main table tbody tr")).to_have_count(2)
    page.click("text=Yes, do it")
    expect(page.locator("#people-now li")).to_have_count(1)
    page.goto("/console/w/shop/admin/audit?action=person.merge")  # a lead may not read the audit
    expect(page.locator("h1")).to_have_text("Not allowed")


def test_a_lead_reads_a_pair_field_by_field_and_accepts_it(sign_in: Callable[[Role], Page]) -> None:
    page = sign_in(Role.LEAD)
    page.goto("/console/w/shop/identity/review")
    rows = page.locator("#queue tbody tr")
    expect(rows.first).to_contain_text("24.6")  # strongest first
    assert serious_violations(page) == []
    screenshot(page, "review-queue")
    rows.first.locator("a").click()
    expect(page.locator("#sides")).to_contain_text("Müller")
    expect(page.locator("#sides")).to_contain_text("Mueller")
    weights = page.locator("#weights tbody tr")
    expect(weights.first).to_contain_text("given name")  # the model's heaviest level of this pair
    expect(weights.first).to_contain_text("+10.7")
    assert serious_violations(page) == []
    screenshot(page, "review-item")
    page.click("button[value=accept]")
    expect(page.locator("p.what")).to_contain_text("become one person")
    page.click("text=Yes, do it")
    expect(page.locator("p[role=status]")).to_be_visible()
    page.goto("/console/w/shop/people?q=L800")
    expect(page.locator("#results tbody tr")).to_contain_text("j.mueller@web.de")


def test_a_weight_range_is_previewed_then_rejected_at_once(sign_in: Callable[[Role], Page]) -> None:
    page = sign_in(Role.LEAD)
    page.goto("/console/w/shop/identity/review?min=5&max=10")
    expect(page.locator("#queue tbody tr")).to_have_count(1)
    page.select_option("#bulk-action", "reject")
    page.click("#bulk-h ~ form button[type=submit]")
    preview = page.locator("#preview")
    expect(preview).to_contain_text("Decided now")
    assert serious_violations(page) == []
    page.click("text=Yes, do it")
    page.goto("/console/w/shop/identity/review?min=5&max=10")
    expect(page.locator("#queue tbody tr")).to_have_count(0)


def test_an_agent_is_refused_the_review_queue(sign_in: Callable[[Role], Page]) -> None:
    page = sign_in(Role.AGENT)
    response = page.goto("/console/w/shop/identity/review")
    assert response is not None and response.status == 403


def test_an_agent_may_not_split_a_person_even_with_a_valid_form(sign_in: Callable[[Role], Page]) -> None:
    page = sign_in(Role.AGENT)
    open_profile(page, "s.ivanov@mail.ru")
    person = page.url.rpartition("/")[2]
    csrf = page.locator("form.who input[name=csrf]").get_attribute("value") or ""
    answer = page.request.post(f"/console/w/shop/people/{person}/split",
                               form={"csrf": csrf, f"record:{person}": "on", "confirm": "yes"})
    assert answer.status == 403
    assert "identity:admin" in answer.text()
