"""Search people by any identifier or by name in any script; the profile 360 of one person."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from frontoffice.console import people
from frontoffice.console.kit import PAGE_SIZE, ConsoleKit, Viewer, page_of
from frontoffice.domain.tenancy import Scope
from frontoffice.errors import NotFound


def people_router(kit: ConsoleKit) -> APIRouter:
    router = APIRouter()
    reader = kit.viewer(Scope.EVENTS_READ)

    @router.get("/people", response_class=HTMLResponse)
    def search(request: Request, q: str = "", viewer: Viewer = reader) -> HTMLResponse:
        page = page_of(request)
        found = people.search(kit.data(viewer), viewer.workspace.id, q[:200]) if q else []
        shown = people.described(kit.data(viewer), viewer.workspace.id,
                                 found[(page - 1) * PAGE_SIZE: page * PAGE_SIZE])
        template = "people_results.html" if request.headers.get("hx-request") else "people.html"
        return kit.render(request, viewer, template, q=q, found=shown, total=len(found), page=page,
                          more=len(found) > page * PAGE_SIZE)

    @router.get("/people/{person_id}", response_class=HTMLResponse)
    def profile(request: Request, person_id: str, viewer: Viewer = reader) -> HTMLResponse:
        if "\x00" in person_id:
            raise NotFound("No such person.")
        data, ws = kit.data(viewer), viewer.workspace.id
        person = people.profile(data, ws, person_id)
        pid = person["person_id"]
        page = page_of(request)
        events, more = people.timeline(data, ws, pid, page, PAGE_SIZE)
        sources = {s.id: s for s in kit.container.store.sources(ws)}
        return kit.render(request, viewer, "profile.html", person=person,
                          name=people.display_name(person["traits"]), events=events, more=more,
                          page=page, sources=sources, consent=people.consent(data, ws, pid),
                          commerce=people.commerce(data, ws, person["commerce"]["customer_keys"]))

    return router
