"""Availability from pooled stock: on hand - committed - holds, per mode, nearest first."""

from __future__ import annotations

from typing import Any

from frontoffice.commerce.availability import availability, in_pool
from frontoffice.commerce.ports import Position

LOCATIONS: dict[str, dict[str, Any]] = {
    "WH": {"location_id": "WH", "kind": "warehouse", "city": "Reno", "region": "NV",
           "country": "US", "capabilities": ["ship"]},
    "SF": {"location_id": "SF", "kind": "store", "city": "San Francisco", "region": "CA",
           "country": "US", "capabilities": ["ship", "bopis", "curbside", "boss"]},
    "LA": {"location_id": "LA", "kind": "store", "city": "Los Angeles", "region": "CA",
           "country": "US", "capabilities": ["bopis"]},
}
POSITIONS = [Position("S", "WH", 10, 2, 0, 1), Position("S", "SF", 3, 0, 5, 1),
             Position("S", "LA", 4, 1, 0, 1)]


def test_available_is_on_hand_minus_committed_minus_active_holds() -> None:
    result = availability("S", "web", None, None, LOCATIONS, POSITIONS, {"WH": 3}, None)
    by_id = {r["location_id"]: r for r in result["locations"]}
    assert by_id["WH"]["available"] == 10 - 2 - 3
    assert result["modes"]["ship"]["available"] == 5 + 3


def test_available_never_goes_below_zero() -> None:
    result = availability("S", "web", "ship", None, LOCATIONS, POSITIONS, {"WH": 50}, None)
    assert result["modes"]["ship"]["available"] == 3


def test_pickup_near_a_store_counts_only_that_store() -> None:
    result = availability("S", "web", "bopis", "LA", LOCATIONS, POSITIONS, {}, None)
    assert result["modes"]["bopis"] == {"available": 3, "locations": ["LA"]}
    assert result["locations"][0]["location_id"] == "LA"


def test_nearest_locations_come_first() -> None:
    result = availability("S", "web", None, "SF", LOCATIONS, POSITIONS, {}, None)
    assert [r["location_id"] for r in result["locations"]] == ["SF", "LA", "WH"]


def test_a_pool_rule_limits_the_locations_a_channel_sees() -> None:
    rule = {"channel": "marketplace", "location_kinds": ["warehouse"], "countries": [],
            "exclude_location_ids": []}
    result = availability("S", "marketplace", None, None, LOCATIONS, POSITIONS, {}, rule)
    assert [r["location_id"] for r in result["locations"]] == ["WH"]
    assert result["modes"]["bopis"]["available"] == 0


def test_excluded_and_foreign_locations_are_out_of_the_pool() -> None:
    rule = {"location_kinds": [], "countries": ["DE"], "exclude_location_ids": []}
    assert not in_pool(LOCATIONS["WH"], rule)
    assert not in_pool(LOCATIONS["SF"], {"exclude_location_ids": ["SF"]})


def test_ship_to_store_needs_a_boss_capable_destination() -> None:
    assert availability("S", "web", "boss", "LA", LOCATIONS, POSITIONS, {}, None)[
        "modes"]["boss"]["available"] == 0
    assert availability("S", "web", "boss", "SF", LOCATIONS, POSITIONS, {}, None)[
        "modes"]["boss"]["available"] == 11
