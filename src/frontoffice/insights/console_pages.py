"""Insights in the console: a dashboard per role (its headline trends with the flags marked, its
open flags' trends, its flag list), every flag, one flag with its comparisons, its trend and its
evidence linked to the tickets, orders, returns, shipments and listings behind it (commerce's
records read through its port); acknowledge or snooze from there."""

from __future__ import annotations

from typing import Any

import orjson
from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from frontoffice.commerce.store import CommerceStore
from frontoffice.console.kit import ConsoleKit, Posted, Viewer
from frontoffice.domain.events import now
from frontoffice.domain.tenancy import Scope
from frontoffice.errors import NotFound
from frontoffice.insights import dashboard, service, trend
from frontoffice.insights.projector import InsightsHub

SPAN, HOURS = 35, 24 * 7
RECORDS = ("order", "return", "shipment", "listing")  # commerce's; a ticket is the inbox's page


def evidence_link(base: str, item: str) -> str | None:
    kind, _, ref = item.partition(":")
    if kind == "ticket":
        return f"{base}/inbox/{ref}"
    return f"{base}/insights/records/{kind}/{ref}" if kind in RECORDS else None


def _chart(c: dashboard.Chart) -> trend.Trend:
    return trend.draw(c.series, c.since, c.window, c.marked)


def flags_router(kit: ConsoleKit) -> APIRouter:
    router = APIRouter(prefix="/insights")
    reader, form = kit.viewer(Scope.INSIGHTS_READ), kit.posted(Scope.INSIGHTS_READ)

    def ins(viewer: Viewer) -> InsightsHub:
        return InsightsHub(kit.data(viewer))

    @router.get("", response_class=HTMLResponse)
    def board(request: Request, board: str = "", viewer: Viewer = reader) -> HTMLResponse:
        chosen = dashboard.board_of(board or None, viewer.session.user.role.value)
        seen = dashboard.view(ins(viewer), viewer.workspace.id, chosen, SPAN)
        charts = [(c, _chart(c)) for c in seen.charts]
        return kit.render(
            request, viewer, "insights_board.html", view=seen, charts=charts, boards=dashboard.BOARDS
        )

    @router.get("/flags", response_class=HTMLResponse)
    def flags(request: Request, viewer: Viewer = reader) -> HTMLResponse:
        found = ins(viewer).flags(viewer.workspace.id)
        return kit.render(request, viewer, "insights_flags.html", flags=found)

    @router.get("/records/{kind}/{ref}", response_class=HTMLResponse)
    def record(request: Request, kind: str, ref: str, viewer: Viewer = reader) -> HTMLResponse:
        found = (
            CommerceStore(kit.data(viewer)).entity(viewer.workspace.id, kind, ref)
            if kind in RECORDS
            else None
        )
        if found is None:
            raise NotFound(f"No {kind} {ref!r} in this workspace's commerce records.")
        doc: dict[str, Any] = orjson.loads(found.doc)
        links = {
            k: evidence_link(kit.base(viewer), f"{k.removesuffix('_id')}:{v}")
            for k, v in doc.items()
            if k in ("order_id", "ticket_id") and isinstance(v, str)
        }
        return kit.render(
            request,
            viewer,
            "insights_record.html",
            kind=kind,
            ref=ref,
            doc=doc,
            links=links,
            version=found.version,
        )

    @router.get("/{flag_id}", response_class=HTMLResponse)
    def flag(request: Request, flag_id: str, viewer: Viewer = reader) -> HTMLResponse:
        store = ins(viewer)
        f = service.flag(store, viewer.workspace.id, flag_id)
        chart = None
        if f["dimension"] != "product_supplier":
            points = dashboard.series_of(store, viewer.workspace.id, f, SPAN)
            window = f["comparisons"][0].get("window", [None])[0]
            chart = trend.draw(points, f["since"], window)
        hourly = None
        if f["metric"] in service.HOURLY_RATES:  # where the hour matters: the last week hour by hour
            hours = service.hourly(
                store, viewer.workspace.id, f["metric"], f["dimension"], f["slice"], f["as_of"], HOURS
            )
            hourly = trend.draw(hours, f"{f['since']}T00" if f["since"] else None, None)
        base = kit.base(viewer)
        evidence = [(e, evidence_link(base, e)) for e in f["evidence"]]
        return kit.render(
            request, viewer, "insights_flag.html", flag=f, chart=chart, hourly=hourly, evidence=evidence
        )

    @router.post("/{flag_id}/acknowledge", response_class=HTMLResponse)
    def acknowledge(flag_id: str, posted: Posted = form) -> Response:
        viewer = posted.viewer
        service.acknowledge(ins(viewer), viewer.workspace.id, flag_id, viewer.session.user.login, now())
        kit.audit(viewer, "insights.acknowledge", flag_id)
        return RedirectResponse(f"{kit.base(viewer)}/insights/{flag_id}", status_code=303)

    @router.post("/{flag_id}/snooze", response_class=HTMLResponse)
    def snooze(flag_id: str, posted: Posted = form) -> Response:
        viewer = posted.viewer
        service.snooze(ins(viewer), viewer.workspace.id, flag_id, 24 * 7, viewer.session.user.login, now())
        kit.audit(viewer, "insights.snooze", flag_id)
        return RedirectResponse(f"{kit.base(viewer)}/insights/{flag_id}", status_code=303)

    return router
