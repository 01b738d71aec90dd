"""Stock as decisions promises it: all the candidates' SKUs in one read, and ``ship`` counting
only the pool's locations in the country of the person's address (commerce's sample: a US
warehouse and a US store hold the dress in M)."""

from __future__ import annotations

from dataclasses import replace

from frontoffice.commerce import service
from frontoffice.decisions.adapters import CommerceStock, ship_to
from tests.fakes.commerce import FakeCommerce
from tests.unit.commerce.sample import LOCATIONS, NOW, PRODUCTS, STOCK
from tests.unit.decisions.world import World, action, refused

WS = "acme"


def stocked() -> FakeCommerce:
    cs = FakeCommerce()
    for kind, items in (("locations", LOCATIONS), ("products", PRODUCTS), ("inventory", STOCK)):
        service.ingest(cs, WS, "shop", kind, items, NOW)
    return cs


def test_shipping_promises_only_the_stock_of_locations_in_the_persons_country() -> None:
    stock = CommerceStock(stocked())
    assert stock.available(WS, ["D-M", "D-L"], "web", "ship", None, "US") == {"D-M": 11, "D-L": 0}
    assert stock.available(WS, ["D-M"], "web", "ship", None, "DE") == {"D-M": 0}
    assert stock.available(WS, ["D-M"], "web", "ship", None, None) == {"D-M": 11}  # no address
    assert stock.available(WS, ["D-M"], "web", "bopis", "ST", "DE") == {"D-M": 3}  # the store


def test_the_ship_to_country_comes_from_the_address_in_the_golden_record() -> None:
    assert ship_to({"address": {"value": {"country": "de", "region": "Sachsen"}}}) == \
        ("DE", "Sachsen")
    assert ship_to({"country": {"value": "FR"}}) == ("FR", None)
    assert ship_to({}) == (None, None)


def test_a_product_nobody_ships_to_the_persons_country_is_refused_by_the_stock_rule() -> None:
    world = World()
    world.add(action("dress"))
    world.stock.shipped_to[("dress-M", "FR")] = 4
    world.customers.facts_of["ann"] = replace(world.customers.facts_of["ann"],
                                              ship_to_country="DE")
    decision = world.decide("ann")
    assert refused(decision) == {"dress": "stock"}
    assert decision["refused"][0]["reason"] == \
        "none of dress-M available to promise on web by ship to DE"
