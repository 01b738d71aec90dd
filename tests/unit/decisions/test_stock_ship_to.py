"""Stock as decisions promises it: all the candidates' SKUs in one read, and ``ship`` counting
only the pool's locations in the country of the person's address (commerce's sample: a US
warehouse and a US store hold the dress in M)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from frontoffice.commerce import service
from frontoffice.commerce.ports import Position
from frontoffice.decisions.adapters import TTL_KEYS, CommerceStock, _Ttl, ship_to
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


class CountingCommerce(FakeCommerce):
    def __init__(self) -> None:
        super().__init__()
        self.reads: list[list[str]] = []

    def stocks_of(self, ws: str, skus: Sequence[str], now: str
                  ) -> dict[str, list[tuple[Position, int]]]:
        self.reads.append(list(skus))
        return super().stocks_of(ws, skus, now)


def test_a_set_of_skus_is_read_once_a_second_and_a_changed_set_at_once() -> None:
    cs, clock = CountingCommerce(), [0.0]
    for kind, items in (("locations", LOCATIONS), ("products", PRODUCTS), ("inventory", STOCK)):
        service.ingest(cs, WS, "shop", kind, items, NOW)
    stock = CommerceStock(cs, clock=lambda: clock[0])
    assert stock.available(WS, ["D-L", "D-M"], "web", "ship", None, None) == {"D-L": 0, "D-M": 11}
    clock[0] = 0.9
    assert stock.available(WS, ["D-L", "D-M"], "web", "ship", None, None) == {"D-L": 0, "D-M": 11}
    assert stock.available(WS, ["D-M"], "web", "ship", None, None) == {"D-M": 11}  # another set
    clock[0] = 1.5
    assert stock.available(WS, ["D-L", "D-M"], "web", "ship", None, None) == {"D-L": 0, "D-M": 11}
    assert cs.reads == [["D-L", "D-M"], ["D-M"], ["D-L", "D-M"]]


def test_the_cache_drops_expired_keys_once_it_holds_many_and_keeps_the_live_ones() -> None:
    clock = [0.0]
    cache = _Ttl(1.0, clock=lambda: clock[0])
    for n in range(TTL_KEYS - 1):
        cache.put(("near", n), n)
    clock[0] = 2.0
    cache.put("live", 1)
    cache.put("one more", 2)  # past the bound: the expired ones go
    assert len(cache) == 2 and cache.get("live") == 1 and cache.get(("near", 5)) is None
