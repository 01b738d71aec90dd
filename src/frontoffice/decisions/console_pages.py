"""Decisions in the console: the action catalogue, the next best actions for a person with their
reasons and the refusals (a preview: nothing is logged), and the bandit's model versions."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from frontoffice.bootstrap import PerStore
from frontoffice.console.kit import ConsoleKit, Viewer
from frontoffice.decisions import learning, service
from frontoffice.decisions.arbiter import Arbiter
from frontoffice.decisions.decide import Ask, decide
from frontoffice.decisions.wiring import Wired, wire
from frontoffice.domain.events import now
from frontoffice.domain.tenancy import Scope
from frontoffice.errors import FrontofficeError
from frontoffice.storage.sql import SqlStore

CHANNELS = ("web", "app", "email", "sms", "push")


def _parts(kit: ConsoleKit) -> PerStore[Wired]:
    settings = kit.container.settings

    def make(store: SqlStore) -> Wired:
        return wire(store, settings)

    return PerStore(kit.container.store_for, make)


def catalogue_router(kit: ConsoleKit) -> APIRouter:
    router = APIRouter(prefix="/decisions")
    reader, parts = kit.viewer(Scope.EVENTS_READ), _parts(kit)

    @router.get("/actions", response_class=HTMLResponse)
    def actions(request: Request, q: str = "", viewer: Viewer = reader) -> HTMLResponse:
        rows = service.catalogue(parts(viewer.workspace.id).store, viewer.workspace.id)
        if q:
            rows = [r for r in rows if q.casefold() in (r["action_id"] + r["title"]).casefold()]
        return kit.render(request, viewer, "decisions_actions.html", q=q, rows=rows)

    return router


def next_router(kit: ConsoleKit) -> APIRouter:
    router = APIRouter(prefix="/decisions")
    reader, parts = kit.viewer(Scope.EVENTS_READ), _parts(kit)
    arbiter = Arbiter(lambda ws: parts(ws).store)

    @router.get("/next", response_class=HTMLResponse)
    def next_best(request: Request, person_id: str = "", channel: str = "web",
                  viewer: Viewer = reader) -> HTMLResponse:
        found: dict[str, Any] | None = None
        problem = ""
        if person_id and channel in CHANNELS:
            try:
                found = decide(parts(viewer.workspace.id).ports, arbiter, viewer.workspace.id,
                               Ask(person_id, channel, "console", 5), now(),
                               kit.container.settings.decisions_contacts_per_day, record=False)
            except FrontofficeError as exc:
                problem = str(exc)
        return kit.render(request, viewer, "decisions_next.html", person_id=person_id,
                          channel=channel, channels=CHANNELS, found=found, problem=problem)

    return router


def models_router(kit: ConsoleKit) -> APIRouter:
    router = APIRouter(prefix="/decisions")
    reader, parts = kit.viewer(Scope.EVENTS_READ), _parts(kit)

    @router.get("/models", response_class=HTMLResponse)
    def models(request: Request, viewer: Viewer = reader) -> HTMLResponse:
        rows = learning.versions(parts(viewer.workspace.id).store, viewer.workspace.id)
        return kit.render(request, viewer, "decisions_models.html", rows=rows)

    return router
