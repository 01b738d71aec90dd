"""Commerce in the console: price conflicts, late and failed deliveries, return rates per
product and supplier, and two suppliers of one product side by side."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from frontoffice.console.roles import Role
from tests.browser.conftest import screenshot, serious_violations

pytestmark = pytest.mark.xdist_group("browser")


def test_a_marketer_sees_the_shirt_cheaper_in_the_store_than_on_the_web(
        sign_in: Callable[[Role], Page]) -> None:
    page = sign_in(Role.MARKETER)
    page.goto("/console/w/shop/commerce/prices")
    row = page.locator("#conflicts tbody tr", has_text="T")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("34.9 EUR · pos")
    expect(row).to_contain_text("39.9 EUR · web")
    expect(row).to_contain_text("12.5 %")
    assert serious_violations(page) == []
    screenshot(page, "commerce-prices")


def test_the_failed_and_the_late_parcel_are_listed_and_filtered(sign_in: Callable[[Role], Page]) -> None:
    page = sign_in(Role.MARKETER)
    page.goto("/console/w/shop/commerce/deliveries")
    rows = page.locator("#deliveries tbody tr")
    expect(rows.filter(has_text="SHP-1")).to_contain_text("48")  # hours late
    expect(rows.filter(has_text="SHP-2")).to_contain_text("failed")
    expect(rows.filter(has_text="SHP-3")).to_have_count(0)  # on time
    assert serious_violations(page) == []
    screenshot(page, "commerce-deliveries")
    page.goto("/console/w/shop/commerce/deliveries?kind=failed")
    expect(page.locator("#deliveries tbody tr")).to_have_count(1)


def test_two_suppliers_of_one_product_are_compared_side_by_side(sign_in: Callable[[Role], Page]) -> None:
    page = sign_in(Role.MARKETER)
    page.goto("/console/w/shop/commerce/returns")
    expect(page.locator("svg#suppliers-chart rect.bar")).to_have_count(3)  # S1, SUP-NORD, SUP-SUD
    expect(page.locator("#suppliers tbody tr", has_text="SUP-SUD")).to_contain_text("75")
    assert serious_violations(page) == []
    screenshot(page, "commerce-returns")
    page.click("#compared a")
    sides = page.locator("#suppliers-side-by-side section")
    expect(sides).to_have_count(2)
    expect(sides.nth(0).locator(".rate")).to_have_text("25 %")
    expect(sides.nth(1).locator(".rate")).to_have_text("75 %")
    expect(sides.nth(1)).to_contain_text("damaged 2")
    assert serious_violations(page) == []
    screenshot(page, "commerce-compare")
