"""Insights in the console: the flag list, and one flag with its comparisons, its evidence and
its trend (the slice's daily rate with the shift marked); acknowledge or snooze from there."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from frontoffice.console.kit import ConsoleKit, Posted, Viewer
from frontoffice.domain.events import now
from frontoffice.domain.tenancy import Scope
from frontoffice.insights import service, trend
from frontoffice.insights.projector import InsightsHub

SPAN = 35


def flags_router(kit: ConsoleKit) -> APIRouter:
    router = APIRouter(prefix="/insights")
    reader, form = kit.viewer(Scope.EVENTS_READ), kit.posted(Scope.EVENTS_READ)

    def ins(viewer: Viewer) -> InsightsHub:
        return InsightsHub(kit.data(viewer))

    @router.get("", response_class=HTMLResponse)
    def flags(request: Request, viewer: Viewer = reader) -> HTMLResponse:
        found = ins(viewer).flags(viewer.workspace.id)
        return kit.render(request, viewer, "insights_flags.html", flags=found)

    @router.get("/{flag_id}", response_class=HTMLResponse)
    def flag(request: Request, flag_id: str, viewer: Viewer = reader) -> HTMLResponse:
        store = ins(viewer)
        f = service.flag(store, viewer.workspace.id, flag_id)
        chart = None
        if f["dimension"] != "product_supplier":
            points = service.daily(
                store,
                viewer.workspace.id,
                f["metric"].replace("price_conflict", "price_conflicts"),
                f["dimension"],
                f["slice"],
                f["as_of"],
                SPAN,
            )
            window = f["comparisons"][0].get("window", [None])[0]
            chart = trend.draw(points, f["since"], window)
        return kit.render(request, viewer, "insights_flag.html", flag=f, chart=chart)

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
