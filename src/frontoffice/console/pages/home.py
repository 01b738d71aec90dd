"""The home page: the pages the viewer's role may see, and who they are."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from frontoffice.console.kit import ConsoleKit, Viewer


def home_router(kit: ConsoleKit) -> APIRouter:
    router = APIRouter()
    anyone = kit.viewer(None)

    @router.get("", response_class=HTMLResponse)
    def home(request: Request, viewer: Viewer = anyone) -> HTMLResponse:
        return kit.render(request, viewer, "home.html")

    return router
