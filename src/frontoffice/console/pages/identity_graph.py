"""The identity graph of a person (records and identifiers, the evidence of each merge), and
from there a split (records off the person) and a merge (two people into one).

Both actions post twice: the first shows what will change, the second (``confirm=yes``) makes
the change through identity's use cases (a decision event of the log) and writes the audit."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from frontoffice.console import people
from frontoffice.console.graph_svg import BOX_H, BOX_W, layout
from frontoffice.console.kit import ConsoleKit, Posted, Viewer
from frontoffice.domain.tenancy import Scope
from frontoffice.errors import InvalidInput, NotFound
from frontoffice.identity import service as identity
from frontoffice.identity.store import IdentitySql


def graph_router(kit: ConsoleKit) -> APIRouter:
    router = APIRouter(prefix="/people/{person_id}")
    reader, admin = kit.viewer(Scope.EVENTS_READ), kit.posted(Scope.IDENTITY_ADMIN)
    hubs = kit.container.hubs.identity

    def sources(viewer: Viewer) -> dict[str, str]:
        return {s.id: s.name for s in kit.container.store.sources(viewer.workspace.id)}

    @router.get("/graph", response_class=HTMLResponse)
    def graph(request: Request, person_id: str, viewer: Viewer = reader) -> HTMLResponse:
        if "\x00" in person_id:
            raise NotFound("No such person.")
        data, ws = kit.data(viewer), viewer.workspace.id
        drawn = identity.identity_graph(data, ws, person_id)
        person = identity.profile(data, ws, drawn["person_id"])
        return kit.render(request, viewer, "identity_graph.html", graph=drawn, person=person,
                          name=people.display_name(person["traits"]),
                          drawing=layout(drawn, sources(viewer)), box_w=BOX_W, box_h=BOX_H,
                          history=identity.history(data, ws, drawn["person_id"]),
                          may_change=viewer.may(Scope.IDENTITY_ADMIN))

    @router.post("/split", response_class=HTMLResponse)
    def split(request: Request, person_id: str, posted: Posted = admin) -> HTMLResponse:
        viewer, ws = posted.viewer, posted.viewer.workspace.id
        data = kit.data(viewer)
        pid = identity.require_person(data, ws, person_id)
        off = sorted(k.removeprefix("record:") for k in posted.form if k.startswith("record:"))
        records = [r.record_id for r in IdentitySql(data).person_records(ws, pid)]
        if not off:
            raise InvalidInput("Tick the records to split off the person, then send the form again.")
        if not posted.confirmed:
            return kit.render(request, viewer, "identity_confirm.html", action="split", person_id=pid,
                              off=off, stay=[r for r in records if r not in off], fields=posted.form)
        made = identity.split(data, hubs(ws), ws, pid, off, posted.form.get("reason", ""))
        kit.audit(viewer, "person.split", f"{pid}: {' '.join(off)}")
        return kit.render(request, viewer, "identity_done.html", people=made)

    @router.post("/merge", response_class=HTMLResponse)
    def merge(request: Request, person_id: str, posted: Posted = admin) -> HTMLResponse:
        viewer, ws = posted.viewer, posted.viewer.workspace.id
        data = kit.data(viewer)
        pid = identity.require_person(data, ws, person_id)
        other = identity.require_person(data, ws, posted.form.get("other", "").strip() or "-")
        if other == pid:
            raise InvalidInput(f"{other} is already this person; name another person's id to merge.")
        if not posted.confirmed:
            return kit.render(request, viewer, "identity_confirm.html", action="merge", person_id=pid,
                              people=[identity.profile(data, ws, p) for p in (pid, other)],
                              fields=posted.form)
        kept = identity.merge(data, hubs(ws), ws, pid, other, posted.form.get("reason", ""))
        kit.audit(viewer, "person.merge", f"{pid} + {other}")
        return kit.render(request, viewer, "identity_done.html", people=[kept])

    return router
