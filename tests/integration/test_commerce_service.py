"""Commerce intake, projection, holds and reconciliation on SQLite and PostgreSQL."""

from __future__ import annotations

import secrets
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from frontoffice.commerce import intake, projector, service
from frontoffice.commerce.holds import InsufficientStock
from frontoffice.commerce.reconcile import reconcile
from frontoffice.commerce.schemas import HoldIn
from frontoffice.storage.sql import SqlStore
from tests.unit.commerce.sample import NOW, order, setup, state

ORDER_PATH = ["pending", "confirmed", "fulfilled", "delivered", "closed"]


def _refused(store: SqlStore, fn: object, code: str) -> None:
    cs, ws, src = setup(store)
    before = (store.count_events(ws), state(cs, ws))
    with pytest.raises(intake.IntakeError) as caught:
        fn(cs, ws, src)  # type: ignore[operator]
    assert caught.value.code == code
    assert (store.count_events(ws), state(cs, ws)) == before


def test_an_unknown_sku_refuses_the_whole_batch_and_applies_nothing(store: SqlStore) -> None:
    bad = {**order(1, "confirmed", order_id="O2"), "lines": [
        {"line_no": 1, "sku": "NOPE", "qty": 1, "unit_price": 1.0}]}
    _refused(store, lambda cs, ws, src: service.ingest(
        cs, ws, src, "orders", [order(1, "confirmed"), bad], NOW), "unknown_product")


def test_an_unknown_location_is_refused(store: SqlStore) -> None:
    _refused(store, lambda cs, ws, src: service.ingest(cs, ws, src, "inventory", [
        {"event_id": "x", "version": 2, "location_id": "MOON", "sku": "D-M", "on_hand": 1}], NOW),
        "unknown_location")


def test_a_negative_quantity_is_refused(store: SqlStore) -> None:
    _refused(store, lambda cs, ws, src: service.ingest(cs, ws, src, "inventory", [
        {"event_id": "x", "version": 2, "location_id": "WH", "sku": "D-M", "on_hand": -4}], NOW),
        "negative_quantity")


def test_an_invalid_transition_is_refused_with_its_reason(store: SqlStore) -> None:
    cs, ws, src = setup(store)
    service.ingest(cs, ws, src, "orders", [order(1, "cancelled")], NOW)
    with pytest.raises(intake.IntakeError, match="final state") as caught:
        service.ingest(cs, ws, src, "orders", [order(2, "confirmed")], NOW)
    assert caught.value.code == "invalid_transition"
    assert service.traits_for(cs, ws, ["email:ann@example.com"])["order_count"] == 0


def test_a_redelivered_webhook_is_stored_once(store: SqlStore) -> None:
    cs, ws, src = setup(store)
    first = service.ingest(cs, ws, src, "orders", [order(1, "confirmed")], NOW)
    again = service.ingest(cs, ws, src, "orders", [order(1, "confirmed")], NOW)
    assert (first.accepted, again.accepted, again.duplicates) == (1, 0, 1)


def test_a_redelivered_batch_reads_the_log_s_copies_at_once_not_an_event_at_a_time(store: SqlStore) -> None:
    """The demo sends its 24,535 commerce events again on every run: read one at a time, the
    log's copies cost ~0.6 ms each (15 s a run)."""
    cs, ws, src = setup(store)
    batch = [order(1, "confirmed", order_id=f"O{i}", event_id=f"e{i}") for i in range(200)]
    service.ingest(cs, ws, src, "orders", batch, NOW)
    statements: list[str] = []

    def count(*args: object) -> None:
        statements.append(str(args[2]))

    sa.event.listen(store.engine, "before_cursor_execute", count)
    try:
        again = service.ingest(cs, ws, src, "orders",
                               [*batch, order(1, "confirmed", order_id="O200", event_id="e200")], NOW)
    finally:
        sa.event.remove(store.engine, "before_cursor_execute", count)
    assert (again.accepted, again.duplicates) == (1, 200)
    log_reads = [q for q in statements if "FROM events" in q]
    assert len(log_reads) <= 2, log_reads[:3]  # one read per event was 201
    copies = cs.logged(ws, src, [f"e{i}" for i in (5, 2, 9)] + ["nope"])
    assert [r.message_id for r in copies] == ["e2", "e5", "e9"]  # in log order, unknown ids left out
    assert service.traits_for(cs, ws, ["email:ann@example.com"])["order_count"] == 201


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_out_of_order_and_duplicate_delivery_converge_to_the_in_order_state(
        store: SqlStore, data: st.DataObject) -> None:
    steps = [order(v, s) for v, s in enumerate(ORDER_PATH, start=1)]
    stock = [{"event_id": f"s{v}", "version": v, "location_id": "WH", "sku": "D-M", "on_hand": q}
             for v, q in enumerate(data.draw(st.lists(st.integers(0, 50), min_size=1, max_size=5)),
                                   start=2)]
    events = [("orders", e) for e in steps] + [("inventory", e) for e in stock]
    shuffled = data.draw(st.permutations(events))
    duplicated = shuffled + data.draw(st.lists(st.sampled_from(events), max_size=4))
    results = []
    for delivery in (events, duplicated):
        cs, ws, src = setup(store, "w" + secrets.token_hex(4))
        for kind, event in delivery:
            service.ingest(cs, ws, src, kind, [event], NOW)
        incremental = state(cs, ws)
        projector.rebuild(cs, ws)
        assert state(cs, ws) == incremental  # the projection is rebuilt from the log alone
        results.append(incremental)
    assert results[0] == results[1]


@settings(max_examples=4, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(wanted=st.lists(st.integers(1, 4), min_size=2, max_size=10))
def test_concurrent_holds_never_promise_more_than_is_available(store: SqlStore,
                                                               wanted: list[int]) -> None:
    cs, ws, _ = setup(store, "h" + secrets.token_hex(4))
    start = service.availability_for(cs, ws, "D-M", "web", "ship", "WH", NOW)["locations"][0]
    assert start["location_id"] == "WH" and start["available"] == 8

    def hold(qty: int) -> tuple[int, int]:
        try:
            service.place_hold(cs, ws, HoldIn(sku="D-M", location_id="WH", qty=qty), NOW)
            return qty, 0
        except InsufficientStock:
            return 0, qty

    with ThreadPoolExecutor(4) as pool:
        outcomes = list(pool.map(hold, wanted))
    granted = sum(g for g, _ in outcomes)
    assert granted <= 8
    # a hold was only refused when what was left could not cover it
    assert all(8 - granted < refused for _, refused in outcomes if refused)
    after = service.availability_for(cs, ws, "D-M", "web", "ship", "WH", NOW)["locations"]
    assert next(r for r in after if r["location_id"] == "WH")["available"] == 8 - granted


def test_an_expired_or_released_hold_no_longer_counts(store: SqlStore) -> None:
    cs, ws, _ = setup(store)
    placed = service.place_hold(cs, ws, HoldIn(sku="D-M", location_id="ST", qty=3, ttl_seconds=60), NOW)
    assert placed["available_after"] == 0
    with pytest.raises(InsufficientStock, match="Only 0"):
        service.place_hold(cs, ws, HoldIn(sku="D-M", location_id="ST", qty=1), NOW)
    later = NOW + timedelta(seconds=61)
    assert service.availability_for(cs, ws, "D-M", "web", "bopis", "ST", later)["modes"][
        "bopis"]["available"] == 3
    service.release_hold(cs, ws, placed["hold_id"], NOW)
    assert service.availability_for(cs, ws, "D-M", "web", "bopis", "ST", NOW)["modes"][
        "bopis"]["available"] == 3


def test_a_late_shipment_is_logged_for_the_inbox_and_shows_in_the_traits(store: SqlStore) -> None:
    cs, ws, src = setup(store)
    service.ingest(cs, ws, src, "orders", [order(1, "fulfilled")], NOW)
    result = service.ingest(cs, ws, src, "shipments", [{
        "event_id": "sh1", "version": 1, "shipment_id": "SH1", "order_id": "O1",
        "location_id": "WH", "status": "delivered", "promised_by": "2026-03-03T00:00:00Z",
        "delivered_at": "2026-03-05T00:00:00Z"}], NOW)
    assert result.alerts == 1
    logged = [e.record.type for e in store.events(ws) if e.record.family == "commerce"]
    assert "shipment.late" in logged
    assert service.traits_for(cs, ws, ["email:ann@example.com"])["late_deliveries"] == 1


def test_reconciliation_reports_and_repairs_missed_webhooks(store: SqlStore) -> None:
    cs, ws, src = setup(store)
    service.ingest(cs, ws, src, "orders", [order(3, "confirmed")], NOW)
    snapshot = {"taken_at": "2026-03-02T00:00:00Z",
                "inventory": [{"location_id": "WH", "sku": "D-M", "on_hand": 4, "committed": 2},
                              {"location_id": "ST", "sku": "D-M", "on_hand": 3}],
                "orders": [{k: v for k, v in order(0, "delivered").items()
                            if k not in ("event_id", "version")}]}
    dry = reconcile(cs, ws, src, snapshot, NOW, repair=False)
    assert [(d["kind"], d["fields"]) for d in dry["drift"]] == [("inventory", ["on_hand"]),
                                                                ("orders", ["status"])]
    report = reconcile(cs, ws, src, snapshot, NOW)
    assert report["kinds"]["orders"]["repaired"] == 1 and report["refused"] == []
    assert reconcile(cs, ws, src, snapshot, NOW, repair=False)["drift"] == []
    assert [p.on_hand for p in cs.positions(ws, "D-M") if p.location_id == "WH"] == [4]


def test_traits_join_orders_by_any_customer_key(store: SqlStore) -> None:
    cs, ws, src = setup(store)
    service.ingest(cs, ws, src, "orders", [order(1, "delivered"),
                                           order(1, "delivered", order_id="O2", email="ANN@example.com")],
                   NOW)
    traits = service.traits_for(cs, ws, ["email:ann@example.com", "user_id:unknown"])
    assert traits["order_count"] == 2 and traits["kept_sizes"] == {"dresses": "M"}


def test_concurrent_stock_feeds_in_opposite_orders_all_land(store: SqlStore) -> None:
    cs, ws, src = setup(store)
    cells = [(loc, sku) for loc in ("WH", "ST") for sku in ("D-M", "D-L")]

    def feed(n: int) -> None:
        order_ = cells if n % 2 else cells[::-1]
        service.ingest(cs, ws, src, "inventory", [
            {"event_id": f"f{n}-{loc}-{sku}", "version": 10 + n, "location_id": loc, "sku": sku,
             "on_hand": n} for loc, sku in order_], NOW)

    with ThreadPoolExecutor(4) as pool:
        list(pool.map(feed, range(48)))
    landed = {(p.location_id, p.sku): (p.version, p.on_hand) for p in cs.all_positions(ws)}
    assert landed == dict.fromkeys(cells, (57, 47))
