"""Commerce's read model for the console: each supplier of a product with its own return rate."""

from __future__ import annotations

from frontoffice.commerce import insights, service
from frontoffice.storage import open_store
from tests.unit.commerce.sample import NOW, order, setup


def _line_from(n: int, supplier: str | None) -> dict[str, object]:
    placed = order(1, "confirmed", order_id=f"O{n}")
    placed["lines"][0]["supplier_id"] = supplier
    return placed


def test_each_supplier_of_a_product_is_counted_apart_and_a_line_without_one_is_the_products_first(
        database_url: str) -> None:
    store = open_store(database_url)
    try:
        cs, ws, source = setup(store)
        service.ingest(cs, ws, source, "orders", [_line_from(1, "S2"), _line_from(2, "S2"),
                                                  _line_from(3, None), _line_from(4, "S2")], NOW)
        returns = [{"event_id": f"r{n}", "version": 1, "return_id": f"R{n}", "order_id": f"O{n}",
                    "line_no": 1, "sku": "D-M", "qty": 1, "status": status, "reason": reason}
                   for n, status, reason in ((1, "requested", "damaged"), (2, "requested", "too_big"),
                                             (4, "cancelled", "damaged"))]
        service.ingest(cs, ws, source, "returns", returns, NOW)
        [dress] = insights.by_product_and_supplier(store, ws)
    finally:
        store.close()
    by_supplier = {s.supplier_id: s for s in dress.suppliers}
    assert (dress.product_id, dress.name) == ("D", "Wrap Dress")
    assert sorted(by_supplier) == ["S1", "S2"]
    s1, s2 = by_supplier["S1"], by_supplier["S2"]
    assert (s1.sold, s1.returned, s1.return_rate) == (1, 0, 0.0)
    assert (s2.sold, s2.returned, s2.problems, dict(s2.reasons)) == (3, 2, 1, {"damaged": 1, "too_big": 1})


def test_summed_per_product_and_supplier_the_figures_are_the_product_views(database_url: str) -> None:
    store = open_store(database_url)
    try:
        cs, ws, source = setup(store)
        service.ingest(cs, ws, source, "orders", [_line_from(1, "S2"), _line_from(2, None)], NOW)
        service.ingest(cs, ws, source, "shipments", [{
            "event_id": "s1", "version": 1, "shipment_id": "SH1", "order_id": "O1", "location_id": "WH",
            "status": "failed", "promised_by": "2026-03-02T00:00:00Z"}], NOW)
        service.ingest(cs, ws, source, "returns", [{
            "event_id": "r2", "version": 1, "return_id": "R2", "order_id": "O2", "line_no": 1, "sku": "D-M",
            "qty": 1, "status": "requested", "reason": "damaged"}], NOW)
        found = insights.by_product_and_supplier(store, ws)
        expected = service.product_supplier_view(cs, ws)
    finally:
        store.close()
    assert insights.rates(found, "product") == expected["products"]
    assert insights.rates(found, "supplier") == expected["suppliers"]
