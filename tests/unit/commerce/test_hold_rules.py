"""Commerce's hold rules as use cases, against the in-memory fake (no database): a hold never
takes more than is available, released and expired holds stop counting, concurrent holds are
decided one at a time by the stock rule, and a refused hold leaves nothing behind. The same
assertions run on SQLite and PostgreSQL in tests/integration/test_commerce_service.py."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta

import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from frontoffice.commerce import service
from frontoffice.commerce.holds import InsufficientStock
from frontoffice.commerce.schemas import HoldIn
from tests.fakes.commerce import FakeCommerce
from tests.unit.commerce.sample import LOCATIONS, NOW, PRODUCTS, STOCK

WS, SOURCE = "acme", "shop"
EXPIRES = "2026-03-01T12:01:00.000Z"  # NOW + 60 s


def shop() -> FakeCommerce:
    """The sample catalogue: WH has D-M 10 on hand, 2 committed (8 available); ST has 3."""
    cs = FakeCommerce()
    for kind, items in (("locations", LOCATIONS), ("products", PRODUCTS), ("inventory", STOCK)):
        service.ingest(cs, WS, SOURCE, kind, items, NOW)
    return cs


def available(cs: FakeCommerce, location: str, when: datetime = NOW) -> int:
    rows = service.availability_for(cs, WS, "D-M", "web", None, None, when)["locations"]
    return int(next(r for r in rows if r["location_id"] == location)["available"])


def hold(cs: FakeCommerce, qty: int, location: str = "WH", ttl: int = 900) -> dict[str, object]:
    return service.place_hold(cs, WS, HoldIn(sku="D-M", location_id=location, qty=qty,
                                             ttl_seconds=ttl), NOW)


@settings(max_examples=25, deadline=None)
@given(wanted=st.lists(st.integers(1, 5), min_size=1, max_size=8))
def test_holds_never_take_more_than_is_available(wanted: list[int]) -> None:
    cs = shop()
    granted = 0
    for qty in wanted:
        if qty <= 8 - granted:
            assert hold(cs, qty)["available_after"] == 8 - granted - qty
            granted += qty
        else:
            with pytest.raises(InsufficientStock, match=f"Only {8 - granted} of D-M available at WH"):
                hold(cs, qty)
    assert available(cs, "WH") == 8 - granted


@settings(max_examples=10, deadline=None)
@given(wanted=st.lists(st.integers(1, 4), min_size=2, max_size=10))
def test_concurrent_holds_are_decided_one_at_a_time_by_the_stock_rule(wanted: list[int]) -> None:
    cs = shop()

    def try_hold(qty: int) -> tuple[int, int]:
        try:
            hold(cs, qty)
            return qty, 0
        except InsufficientStock:
            return 0, qty

    with ThreadPoolExecutor(4) as pool:
        outcomes = list(pool.map(try_hold, wanted))
    granted = sum(g for g, _ in outcomes)
    assert granted <= 8
    assert all(8 - granted < refused for _, refused in outcomes if refused)
    assert available(cs, "WH") == 8 - granted


def test_a_released_hold_gives_its_units_back() -> None:
    cs = shop()
    placed = hold(cs, 3, "ST")
    assert available(cs, "ST") == 0
    service.release_hold(cs, WS, str(placed["hold_id"]), NOW)
    assert available(cs, "ST") == 3
    assert hold(cs, 3, "ST")["available_after"] == 0


def test_an_expired_hold_no_longer_counts() -> None:
    cs = shop()
    hold(cs, 3, "ST", ttl=60)
    with pytest.raises(InsufficientStock, match="Only 0"):
        hold(cs, 1, "ST")
    assert available(cs, "ST", NOW + timedelta(seconds=61)) == 3


def test_a_refused_hold_logs_nothing_and_holds_nothing() -> None:
    cs = shop()
    logged = len(cs.t.log)
    with pytest.raises(InsufficientStock):
        hold(cs, 9)
    assert len(cs.t.log) == logged and not cs.t.holds
    assert available(cs, "WH") == 8


def test_a_location_without_a_stock_position_has_nothing_to_hold() -> None:
    cs = shop()
    with pytest.raises(InsufficientStock, match="Only 0 of D-L available at ST"):
        service.place_hold(cs, WS, HoldIn(sku="D-L", location_id="ST", qty=1), NOW)


def test_a_placed_hold_is_logged_with_its_expiry_for_the_projection_to_replay() -> None:
    cs = shop()
    placed = hold(cs, 2, ttl=60)
    [(_, source, rec)] = [e for e in cs.t.log if e[2].type == "inventory.held"]
    assert source == service.INTERNAL_SOURCE
    assert rec.message_id == f"inventory.held:{placed['hold_id']}"
    assert orjson.loads(rec.payload) == {"hold_id": placed["hold_id"], "sku": "D-M",
                                         "location_id": "WH", "qty": 2, "expires_at": EXPIRES}
