"""Segments in the console: the list with sizes, the builder with a live size preview and sample
(htmx posts the draft as it is typed), a segment's members and history, and a person's
memberships with the reason of each change (linked from the profile)."""

from __future__ import annotations

from typing import Any

import orjson
from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from frontoffice.console.charts import bars
from frontoffice.console.kit import ConsoleKit, Posted, Viewer
from frontoffice.domain.events import iso, now
from frontoffice.domain.tenancy import Scope
from frontoffice.errors import InvalidInput
from frontoffice.segments import service
from frontoffice.segments.moments_store import MomentsStore
from frontoffice.segments.store import SegmentsStore

EXAMPLE = '{"all": [{"did": "Order Completed", "at_least": 2, "within_days": 90},\n' \
          '         {"consent": "marketing", "channel": "email"}]}'


def _draft(form: dict[str, str]) -> dict[str, Any]:
    try:
        condition = orjson.loads(form.get("condition", ""))
    except orjson.JSONDecodeError as exc:
        raise InvalidInput(f"at $.condition: not JSON ({exc}); write the condition as a JSON "
                           "object.") from None
    return {"name": form.get("name", "").strip(), "condition": condition}


def segments_pages(kit: ConsoleKit) -> APIRouter:
    router = APIRouter(prefix="/segments")
    reader = kit.viewer(Scope.EVENTS_READ)
    writer = kit.posted(Scope.OUTBOUND_WRITE)
    drafter = kit.posted(Scope.EVENTS_READ)

    def data(viewer: Viewer) -> SegmentsStore:
        return SegmentsStore(kit.data(viewer))

    @router.get("", response_class=HTMLResponse)
    def overview(request: Request, viewer: Viewer = reader) -> HTMLResponse:
        rows = service.segments_overview(data(viewer), viewer.workspace.id)
        traits = service.traits_overview(data(viewer), viewer.workspace.id)
        return kit.render(request, viewer, "segments_list.html", rows=rows, traits=traits)

    @router.get("/new", response_class=HTMLResponse)
    def builder(request: Request, viewer: Viewer = reader) -> HTMLResponse:
        return kit.render(request, viewer, "segments_builder.html", name="", condition=EXAMPLE, error=None)

    @router.post("/preview", response_class=HTMLResponse)
    def preview(request: Request, posted: Posted = drafter) -> HTMLResponse:
        viewer = posted.viewer
        try:
            found = service.preview(data(viewer), viewer.workspace.id, _draft(posted.form),
                                    int(now().timestamp() * 1000))
        except InvalidInput as exc:
            return kit.render(request, viewer, "segments_preview.html", error=str(exc), found=None)
        return kit.render(request, viewer, "segments_preview.html", error=None, found=found)

    @router.post("/new", response_class=HTMLResponse)
    def save(request: Request, posted: Posted = writer) -> HTMLResponse:
        viewer = posted.viewer
        try:
            draft = _draft(posted.form)
            if not posted.confirmed:
                found = service.preview(data(viewer), viewer.workspace.id, draft,
                                        int(now().timestamp() * 1000))
                return kit.confirm(request, posted, "save_segment", f"{draft['name']}: {found.text}")
            saved = service.define_segment(data(viewer), viewer.workspace.id, draft, iso(now()))
        except InvalidInput as exc:
            return kit.render(request, viewer, "segments_builder.html", status=400, error=str(exc),
                              name=posted.form.get("name", ""), condition=posted.form.get("condition", ""))
        kit.audit(viewer, "segment.save", f"{saved['name']} v{saved['version']}")
        return kit.render(request, viewer, "done.html", back=f"{kit.base(viewer)}/segments/{saved['name']}")

    @router.get("/moments", response_class=HTMLResponse)
    def moments(request: Request, viewer: Viewer = reader) -> HTMLResponse:
        ws = viewer.workspace.id
        defined = data(viewer).definitions(ws, "moment")
        fired = MomentsStore(kit.data(viewer)).firings(ws, limit=100)
        return kit.render(request, viewer, "segments_moments.html", moments=defined, firings=fired)

    @router.get("/people/{person_id}", response_class=HTMLResponse)
    def person(request: Request, person_id: str, viewer: Viewer = reader) -> HTMLResponse:
        found = service.person(data(viewer), viewer.workspace.id, person_id)
        return kit.render(request, viewer, "segments_person.html", found=found)

    @router.get("/{name}", response_class=HTMLResponse)
    def detail(request: Request, name: str, viewer: Viewer = reader) -> HTMLResponse:
        ws = viewer.workspace.id
        found = service.segment(data(viewer), ws, name)
        sizes = service.size_over_time(data(viewer), ws, name)[-30:]
        chart = bars([(d["day"], d["size"], str(d["size"])) for d in sizes])
        return kit.render(request, viewer, "segments_detail.html", segment=found, chart=chart,
                          members=data(viewer).members(ws, name, 50),
                          history=data(viewer).history(ws, segment=name, limit=50))

    return router
