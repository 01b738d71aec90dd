"""Privacy: the data-subject request queue with deadlines and overdue flags, a request with its
audit trail, verification (the code the person received) and execution from the console,
consent statistics per region and purpose, and the erasure log."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from frontoffice.console.charts import bars
from frontoffice.console.kit import PAGE_SIZE, ConsoleKit, Posted, Viewer, page_of
from frontoffice.console.privacy_data import consent_counts
from frontoffice.domain.events import now
from frontoffice.domain.tenancy import Scope
from frontoffice.dsr import service
from frontoffice.dsr.config import DsrConfig
from frontoffice.dsr.execute import Hubs
from frontoffice.dsr.store import DsrStore
from frontoffice.errors import InvalidInput
from frontoffice.privacy.erasure import erasures


def dsr_router(kit: ConsoleKit) -> APIRouter:
    router = APIRouter(prefix="/privacy")
    dsr, dsr_form = kit.viewer(Scope.DSR_ADMIN), kit.posted(Scope.DSR_ADMIN)
    config = DsrConfig.of(kit.container.settings)
    identities, consents = kit.container.hubs.identity, kit.container.hubs.consent

    def actor(viewer: Viewer) -> str:
        return f"console:{viewer.session.user.user_id}"

    @router.get("/requests", response_class=HTMLResponse)
    def requests(request: Request, status: str = "", overdue: bool = False,
                 viewer: Viewer = dsr) -> HTMLResponse:
        data, ws, moment = kit.data(viewer), viewer.workspace.id, now()
        service.expire_stale(data, ws, actor=actor(viewer), now=moment)
        found = sorted(service.list_requests(data, ws, now=moment, status=status or None, overdue=overdue),
                       key=lambda r: (r.deadline, r.id))
        page = page_of(request)
        rows = [{**r.as_dict(moment), "late": r.overdue(moment)}
                for r in found[(page - 1) * PAGE_SIZE: page * PAGE_SIZE]]
        return kit.render(request, viewer, "privacy_requests.html", rows=rows, total=len(found), page=page,
                          more=len(found) > page * PAGE_SIZE, state=status, overdue=overdue)

    @router.get("/requests/{request_id}", response_class=HTMLResponse)
    def one(request: Request, request_id: str, viewer: Viewer = dsr) -> HTMLResponse:
        data, ws, moment = kit.data(viewer), viewer.workspace.id, now()
        found = service.require(data, ws, request_id)
        return kit.render(request, viewer, "privacy_request.html", r={**found.as_dict(moment),
                          "late": found.overdue(moment)}, trail=DsrStore(data).trail(ws, found.id))

    @router.post("/requests/{request_id}", response_class=HTMLResponse)
    def act(request: Request, request_id: str, posted: Posted = dsr_form) -> HTMLResponse:
        viewer, ws = posted.viewer, posted.viewer.workspace.id
        data, step = kit.data(viewer), posted.form.get("step", "")
        found = service.require(data, ws, request_id)
        if step not in ("verify", "execute"):
            raise InvalidInput("A request's form sends step=verify or step=execute; reload its page.")
        if not posted.confirmed:
            return kit.render(request, viewer, "privacy_confirm.html", step=step,
                              r=found.as_dict(now()), fields=posted.form)
        if step == "verify":
            service.verify(data, ws, found.id, posted.form.get("code", "").strip(), actor=actor(viewer),
                           now=now(), config=config)
        else:
            service.execute(data, ws, found.id, hubs=Hubs(identities(ws), consents(ws)),
                            actor=actor(viewer), now=now())
        kit.audit(viewer, f"dsr.{step}", found.id)
        back = f"{kit.base(viewer)}/privacy/requests/{found.id}"
        return kit.render(request, viewer, "done.html", back=back)

    return router


def consent_router(kit: ConsoleKit) -> APIRouter:
    router = APIRouter(prefix="/privacy")
    privacy = kit.viewer(Scope.PRIVACY_ADMIN)

    @router.get("/consent", response_class=HTMLResponse)
    def consent(request: Request, viewer: Viewer = privacy) -> HTMLResponse:
        counts = consent_counts(kit.data(viewer), viewer.workspace.id)
        rows, second = [], []
        for c in counts:
            rows += [(f"{c.region} · {c.purpose} ✓", c.granted, str(c.granted)),
                     (f"{c.region} · {c.purpose} ✗", c.refused, str(c.refused))]
            second += [False, True]
        return kit.render(request, viewer, "privacy_consent.html", counts=counts, chart=bars(rows, second))

    return router


def erasures_router(kit: ConsoleKit) -> APIRouter:
    router = APIRouter(prefix="/privacy")
    privacy = kit.viewer(Scope.PRIVACY_ADMIN)

    @router.get("/erasures", response_class=HTMLResponse)
    def erasure_log(request: Request, viewer: Viewer = privacy) -> HTMLResponse:
        page = page_of(request)
        rows = erasures(kit.data(viewer), viewer.workspace.id, limit=page * PAGE_SIZE + 1)
        return kit.render(request, viewer, "privacy_erasures.html",
                          rows=rows[(page - 1) * PAGE_SIZE: page * PAGE_SIZE], page=page,
                          more=len(rows) > page * PAGE_SIZE, total=len(rows), q="")

    return router
