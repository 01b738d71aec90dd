"""Commerce in the console: price conflicts across channels, late and failed deliveries, return
rates and reasons per product and per supplier (charted), and the suppliers of one product side
by side. Read through commerce's services and its read models (``commerce.insights``)."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from frontoffice.commerce import insights, service
from frontoffice.commerce.store import CommerceStore
from frontoffice.console.charts import Chart, bars
from frontoffice.console.kit import PAGE_SIZE, ConsoleKit, Viewer, page_of
from frontoffice.domain.tenancy import Scope
from frontoffice.errors import NotFound
from frontoffice.storage.sql import SqlStore

CHARTED = 12  # bars per chart: the highest return rates
_figures: dict[tuple[int, str], tuple[int, list[insights.ProductSuppliers]]] = {}
_figures_lock = threading.Lock()


def _by_supplier(store: SqlStore, ws: str) -> list[insights.ProductSuppliers]:
    """Per product and supplier figures, counted again only when the commerce projection has
    moved on (its cursor): reading every order takes tens of milliseconds on the demo brand."""
    stamp, key = CommerceStore(store).cursor(ws), (id(store), ws)
    with _figures_lock:
        cached = _figures.get(key)
    if cached is not None and cached[0] == stamp:
        return cached[1]
    found = insights.by_product_and_supplier(store, ws)
    with _figures_lock:
        _figures[key] = (stamp, found)
    return found


def _page(request: Request, rows: Sequence[Any]) -> dict[str, Any]:
    page = page_of(request)
    return {"rows": rows[(page - 1) * PAGE_SIZE: page * PAGE_SIZE], "page": page, "total": len(rows),
            "more": len(rows) > page * PAGE_SIZE}


def _rate_chart(rows: list[dict[str, Any]]) -> Chart:
    """The highest return rates, as bars."""
    top = sorted(rows, key=lambda r: (-r["return_rate"], r["id"]))[:CHARTED]
    return bars([(r["id"], r["return_rate"], f"{100 * r['return_rate']:.1f} %") for r in top])


def prices_router(kit: ConsoleKit) -> APIRouter:
    router = APIRouter(prefix="/commerce")
    reader = kit.viewer(Scope.EVENTS_READ)

    @router.get("/prices", response_class=HTMLResponse)
    def prices(request: Request, q: str = "", viewer: Viewer = reader) -> HTMLResponse:
        found = service.price_conflicts(CommerceStore(kit.data(viewer)), viewer.workspace.id, 0.01)
        kept = [c for c in found if q.casefold() in c["product_id"].casefold()] if q else found
        return kit.render(request, viewer, "commerce_prices.html", q=q, **_page(request, kept))

    return router


def deliveries_router(kit: ConsoleKit) -> APIRouter:
    router = APIRouter(prefix="/commerce")
    reader = kit.viewer(Scope.EVENTS_READ)

    @router.get("/deliveries", response_class=HTMLResponse)
    def deliveries(request: Request, kind: str = "", viewer: Viewer = reader) -> HTMLResponse:
        found = service.delivery_alerts(CommerceStore(kit.data(viewer)), viewer.workspace.id)
        kept = [a for a in found if a["type"] == f"shipment.{kind}"] if kind else found
        kept.sort(key=lambda a: (-a["hours_late"], a["shipment_id"]))
        return kit.render(request, viewer, "commerce_deliveries.html", kind=kind, **_page(request, kept))

    return router


def returns_router(kit: ConsoleKit) -> APIRouter:
    router = APIRouter(prefix="/commerce")
    reader = kit.viewer(Scope.EVENTS_READ)

    @router.get("/returns", response_class=HTMLResponse)
    def returns(request: Request, viewer: Viewer = reader) -> HTMLResponse:
        found = _by_supplier(kit.data(viewer), viewer.workspace.id)
        products, suppliers = insights.rates(found, "product"), insights.rates(found, "supplier")
        return kit.render(request, viewer, "commerce_returns.html", products=products,
                          suppliers=suppliers, product_chart=_rate_chart(products),
                          supplier_chart=_rate_chart(suppliers),
                          compared=[p for p in found if len(p.suppliers) > 1])

    @router.get("/returns/{product_id}", response_class=HTMLResponse)
    def compare(request: Request, product_id: str, viewer: Viewer = reader) -> HTMLResponse:
        found = next((p for p in _by_supplier(kit.data(viewer), viewer.workspace.id)
                      if p.product_id == product_id), None)
        if found is None:
            raise NotFound(f"No sales of product {product_id!r}; pick one on the returns page.")
        reasons = sorted({r for s in found.suppliers for r in s.reasons})
        chart = bars([(f"{s.supplier_id} · {r}", s.reasons[r], str(s.reasons[r]))
                      for r in reasons for s in found.suppliers],
                     [i % len(found.suppliers) == 1 for i in range(len(reasons) * len(found.suppliers))])
        return kit.render(request, viewer, "commerce_compare.html", product=found, reasons=reasons,
                          chart=chart)

    return router
