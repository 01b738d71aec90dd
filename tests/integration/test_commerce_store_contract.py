"""The commerce port's contract, run against the in-memory fake (tests/fakes/commerce.py) and the
SQL store on SQLite and PostgreSQL: the same assertions, so the fake the unit tests use cannot
drift from the store the product runs on."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from frontoffice.commerce import service
from frontoffice.commerce.holds import InsufficientStock
from frontoffice.commerce.ports import Commerce, Position
from frontoffice.commerce.records import record
from frontoffice.commerce.schemas import HoldIn
from frontoffice.commerce.store import CommerceStore
from frontoffice.storage import open_store
from frontoffice.storage.port import AppendBatch
from frontoffice.tenancy import service as tenancy
from tests.fakes.commerce import FakeCommerce
from tests.support.pg import fresh_database
from tests.unit.commerce.sample import LOCATIONS, NOW, PRODUCTS, STOCK, order

LATER, SOON = "2026-03-01T13:00:00.000Z", "2026-03-01T12:00:30.000Z"
AT = "2026-03-01T12:00:00.000Z"


@pytest.fixture(params=["fake", "sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def port(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[Commerce, str]]:
    """(the port, a workspace id) for each implementation."""
    if request.param == "fake":
        yield FakeCommerce(), "acme"
        return
    if request.param == "sqlite":
        shutil.copyfile(request.getfixturevalue("sqlite_template"), tmp_path / "f.db")
        url = f"sqlite:///{tmp_path / 'f.db'}"
        store = open_store(url)
        yield CommerceStore(store), tenancy.create_workspace(store, "acme").id
        store.close()
        return
    with fresh_database(request.getfixturevalue("pg_server"),
                        template=request.getfixturevalue("pg_template")) as url:
        store = open_store(url)
        yield CommerceStore(store), tenancy.create_workspace(store, "acme").id
        store.close()


def held(cs: Commerce, ws: str, now: str) -> dict[str, int]:
    return {p.location_id: units for p, units in cs.stock_of(ws, "S", now) if units}


def test_an_entity_takes_a_higher_version_and_breaks_a_tie_by_content(port: tuple[Commerce, str]) -> None:
    cs, ws = port
    with cs.transaction() as tx:
        assert tx.upsert_entity(ws, "order", "O1", 2, None, "b")
        assert not tx.upsert_entity(ws, "order", "O1", 1, None, "z")
        assert not tx.upsert_entity(ws, "order", "O1", 2, None, "a")
        assert tx.upsert_entity(ws, "order", "O1", 2, "R", "c")
        assert tx.upsert_entity(ws, "return", "R1", 1, "O1", "r")
    found = cs.entity(ws, "order", "O1")
    assert found is not None and (found.version, found.ref, found.doc) == (2, "R", "c")
    assert cs.entity(ws, "order", "nope") is None
    assert [e.entity_id for e in cs.entities(ws, "return", "O1")] == ["R1"]
    assert cs.entities(ws, "return", "O2") == []
    assert sorted(e.entity_id for e in cs.entities_named(ws, "order", ["O1", "R1", "O9"])) == ["O1"]
    assert cs.entities_named(ws, "order", []) == []


def test_a_position_takes_a_higher_version_and_on_a_tie_the_lower_count(port: tuple[Commerce, str]) -> None:
    cs, ws = port
    with cs.transaction() as tx:
        tx.upsert_positions(ws, [Position("S", "WH", 5, 1, 0, 3), Position("S", "WH", 9, 0, 0, 2),
                                 Position("S", "WH", 6, 0, 0, 3)])
        assert cs.positions(ws, "S") == [Position("S", "WH", 5, 1, 0, 3)]
        tx.upsert_positions(ws, [Position("S", "WH", 4, 0, 0, 3), Position("T", "WH", 1, 0, 0, 1)])
    assert cs.positions(ws, "S") == [Position("S", "WH", 4, 0, 0, 3)]
    assert sorted(p.sku for p in cs.all_positions(ws)) == ["S", "T"]


def test_keys_are_replaced_and_found_by_any_of_them(port: tuple[Commerce, str]) -> None:
    cs, ws = port
    with cs.transaction() as tx:
        tx.set_keys(ws, "order", "O2", ["email:a@x", "user_id:7"])
        tx.set_keys(ws, "order", "O1", ["email:a@x"])
        tx.set_keys(ws, "order", "O1", ["email:b@x"])
    assert cs.entity_ids_for_keys(ws, "order", ["email:a@x", "user_id:7"]) == ["O2"]
    assert cs.entity_ids_for_keys(ws, "order", ["email:a@x", "email:b@x"]) == ["O1", "O2"]
    assert cs.entity_ids_for_keys(ws, "subscription", ["email:b@x"]) == []


def test_only_active_holds_count_and_adding_or_releasing_twice_changes_nothing(
        port: tuple[Commerce, str]) -> None:
    cs, ws = port
    with cs.transaction() as tx:
        tx.upsert_positions(ws, [Position("S", "WH", 9, 0, 0, 1), Position("S", "ST", 9, 0, 0, 1)])
        tx.add_hold(ws, "h1", "S", "WH", 2, LATER)
        tx.add_hold(ws, "h1", "S", "WH", 5, LATER)
        tx.add_hold(ws, "h2", "S", "ST", 1, LATER)
        tx.add_hold(ws, "h3", "S", "WH", 4, SOON)
        tx.add_hold(ws, "h4", "S", "WH", 8, LATER)
        tx.release_hold(ws, "h4")
        tx.release_hold(ws, "h4")
        tx.release_hold(ws, "never-placed")
    assert held(cs, ws, AT) == {"WH": 6, "ST": 1}
    assert held(cs, ws, SOON) == {"WH": 2, "ST": 1}
    with cs.stock() as tx:
        assert tx.held_at(ws, "S", "WH", AT) == 6
        assert tx.position(ws, "S", "WH") == Position("S", "WH", 9, 0, 0, 1)
        assert tx.position(ws, "S", "XX") is None


def test_a_transaction_that_raises_leaves_nothing(port: tuple[Commerce, str]) -> None:
    cs, ws = port
    rec = record("inventory.held:h9", "inventory.held", {"hold_id": "h9"}, NOW)
    with pytest.raises(RuntimeError), cs.stock() as tx:
        tx.log(ws, service.INTERNAL_SOURCE, rec)
        tx.add_hold(ws, "h9", "S", "WH", 1, LATER)
        raise RuntimeError("refused")
    assert held(cs, ws, AT) == {}
    assert cs.logged(ws, service.INTERNAL_SOURCE, ["inventory.held:h9"]) == []


def test_the_log_keeps_the_first_copy_of_a_message(port: tuple[Commerce, str]) -> None:
    cs, ws = port
    first = record("m1", "pool.configured", {"channel": "web", "version": 1}, NOW)
    again = record("m1", "pool.configured", {"channel": "web", "version": 2}, NOW)
    other = record("m2", "pool.configured", {"channel": "app", "version": 1}, NOW)
    assert cs.append(AppendBatch(ws, "src", [first])).inserted == 1
    result = cs.append(AppendBatch(ws, "src", [again, other]))
    assert (result.inserted, result.duplicates) == (1, 1)
    assert [r.payload for r in cs.logged(ws, "src", ["m2", "m1"])] == [first.payload, other.payload]
    assert cs.suppressed(ws, {"order:O1"}) == set()


def test_a_channel_sees_every_location_and_only_its_own_pool_rule(port: tuple[Commerce, str]) -> None:
    cs, ws = port
    with cs.transaction() as tx:
        tx.upsert_entity(ws, "location", "WH", 1, None, "{}")
        tx.upsert_entity(ws, "pool", "web", 1, None, "{}")
        tx.upsert_entity(ws, "pool", "app", 1, None, "{}")
    cs.places_changed(ws)
    assert sorted((k, e.entity_id) for k, e in cs.locations_and_pool(ws, "web")) == [
        ("location", "WH"), ("pool", "web")]


def test_the_hold_use_case_never_promises_more_than_is_available(port: tuple[Commerce, str]) -> None:
    cs, ws = port
    for kind, items in (("locations", LOCATIONS), ("products", PRODUCTS), ("inventory", STOCK)):
        service.ingest(cs, ws, "shop", kind, items, NOW)
    placed = service.place_hold(cs, ws, HoldIn(sku="D-M", location_id="WH", qty=5), NOW)
    assert placed["available_after"] == 3
    with pytest.raises(InsufficientStock, match="Only 3 of D-M available at WH"):
        service.place_hold(cs, ws, HoldIn(sku="D-M", location_id="WH", qty=4), NOW)
    service.release_hold(cs, ws, str(placed["hold_id"]), NOW)
    assert service.place_hold(cs, ws, HoldIn(sku="D-M", location_id="WH", qty=8),
                              NOW)["available_after"] == 0


def test_a_redelivered_event_id_with_other_content_projects_what_the_log_kept(
        port: tuple[Commerce, str]) -> None:
    cs, ws = port
    for kind, items in (("locations", LOCATIONS), ("products", PRODUCTS)):
        service.ingest(cs, ws, "shop", kind, items, NOW)
    service.ingest(cs, ws, "shop", "orders", [order(1, "confirmed")], NOW)
    reused = {**order(2, "cancelled"), "event_id": "O1-v1"}  # the same event id, other content
    assert service.ingest(cs, ws, "shop", "orders", [reused], NOW).duplicates == 1
    found = cs.entity(ws, "order", "O1")
    assert found is not None and found.version == 1


def test_many_skus_stock_is_read_at_once_and_matches_each_one_read_alone(
        port: tuple[Commerce, str]) -> None:
    cs, ws = port
    with cs.transaction() as tx:
        tx.upsert_positions(ws, [Position("S", "WH", 9, 0, 0, 1), Position("S", "ST", 9, 0, 0, 1),
                                 Position("T", "WH", 4, 1, 0, 1)])
        tx.add_hold(ws, "h1", "S", "WH", 2, LATER)
        tx.add_hold(ws, "h2", "T", "WH", 1, LATER)
    found = cs.stocks_of(ws, ["S", "T", "nowhere"], AT)
    assert sorted(found) == ["S", "T"]
    for sku in ("S", "T"):
        assert sorted(found[sku], key=lambda x: x[0].location_id) == \
            sorted(cs.stock_of(ws, sku, AT), key=lambda x: x[0].location_id)


def test_the_entities_of_many_refs_are_read_at_once_in_the_order_of_the_refs(
        port: tuple[Commerce, str]) -> None:
    cs, ws = port
    with cs.transaction() as tx:
        for entity, ref in (("R2", "O2"), ("R1", "O1"), ("R3", "O1"), ("R4", "O9")):
            tx.upsert_entity(ws, "return", entity, 1, ref, "{}")
        tx.upsert_entity(ws, "alert", "A1", 1, "O1", "{}")
    refs = ["O2", "O1", "O7"]
    one_by_one = [e for ref in refs for e in cs.entities(ws, "return", ref)]
    assert [e.entity_id for e in cs.entities_of(ws, "return", refs)] == ["R2", "R1", "R3"]
    assert cs.entities_of(ws, "return", refs) == one_by_one
    assert cs.entities_of(ws, "return", []) == []
