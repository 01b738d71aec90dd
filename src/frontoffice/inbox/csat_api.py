"""The public rating links of CSAT e-mails: ``GET /inbox/v1/csat/{ws}/{token}?score=N`` records
the rating and answers a short page (no sign-in: the token is the credential)."""

from __future__ import annotations

import html
from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import HTMLResponse
from starlette.concurrency import run_in_threadpool

from frontoffice.bootstrap import Container
from frontoffice.domain.events import now
from frontoffice.errors import FrontofficeError
from frontoffice.inbox import service
from frontoffice.inbox.wiring import desk_for

PAGE = ("<!doctype html><html lang=\"en\"><meta charset=\"utf-8\"><title>{title}</title>"
        "<main><h1>{title}</h1><p>{text}</p></main></html>")


def csat_router(c: Container) -> APIRouter:
    desks = c.per_store(lambda store: desk_for(c.settings, store))
    router = APIRouter(prefix="/inbox/v1/csat", tags=["inbox csat"], responses={
        400: {"description": "The link cannot be used (an HTML page says why).",
              "content": {"text/html": {}}},
        404: {"description": "Unknown link (an HTML page).", "content": {"text/html": {}}},
        409: {"description": "Already rated, or the ticket is not solved (an HTML page).",
              "content": {"text/html": {}}},
    })

    @router.get("/{ws}/{token}", response_class=HTMLResponse)
    async def rate(ws: str, token: str, score: Annotated[int, Query(ge=1, le=5)]) -> HTMLResponse:
        """Record a customer's rating (1 to 5) from the link in their CSAT e-mail."""
        workspace = c.store.workspace(ws) if "\x00" not in ws else None
        if workspace is None or workspace.id != ws:
            return HTMLResponse(PAGE.format(title="Unknown link", text="This rating link is not valid."),
                                404)
        try:
            await run_in_threadpool(service.rate_by_link, desks(ws), ws, token, score, now())
        except FrontofficeError as exc:
            return HTMLResponse(PAGE.format(title="Not recorded", text=html.escape(str(exc))), exc.status)
        return HTMLResponse(PAGE.format(title="Thank you", text=f"Your rating ({score}/5) is recorded."))

    return router
