"""Workspace admin: sources and their write keys, API tokens, destinations, settings.

Every list filters (``q``) and paginates (``page``); every action posts twice: first to show
what it will do (the confirm step), then with ``confirm=yes`` to do it, recorded in the audit.
A created write key or token is shown once, on the page that made it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from frontoffice.console.kit import PAGE_SIZE, ConsoleKit, Posted, Viewer, page_of
from frontoffice.destinations.store import DestinationStore
from frontoffice.domain.tenancy import Scope, parse_scopes
from frontoffice.settings import SETTINGS
from frontoffice.tenancy import service as tenancy

T = TypeVar("T")
# settings whose value is a secret or holds one: shown as set / not set
_SECRET = frozenset({"master_key", "database_url", "storage_locations"})


def paged(items: Sequence[T], request: Request, q: str, text: Callable[[T], str]) -> dict[str, Any]:
    page = page_of(request)
    kept = [i for i in items if q.casefold() in text(i).casefold()] if q else list(items)
    return {"rows": kept[(page - 1) * PAGE_SIZE: page * PAGE_SIZE], "page": page, "q": q,
            "total": len(kept), "more": len(kept) > page * PAGE_SIZE}


def sources_router(kit: ConsoleKit) -> APIRouter:
    router = APIRouter(prefix="/admin")
    sources_admin, sources_form = kit.viewer(Scope.SOURCES_ADMIN), kit.posted(Scope.SOURCES_ADMIN)

    @router.get("/sources", response_class=HTMLResponse)
    def sources(request: Request, q: str = "", viewer: Viewer = sources_admin) -> HTMLResponse:
        rows = kit.container.store.sources(viewer.workspace.id)
        return kit.render(request, viewer, "admin_sources.html",
                          **paged(rows, request, q, lambda s: f"{s.name} {s.channel.value}"))

    @router.post("/sources", response_class=HTMLResponse)
    def create_source(request: Request, posted: Posted = sources_form) -> HTMLResponse:
        name, channel = posted.form.get("name", ""), posted.form.get("channel", "web")
        if not posted.confirmed:
            return kit.confirm(request, posted, "create_source", name,
                               [("channel", channel)])
        viewer = posted.viewer
        source, key = tenancy.create_source(kit.container.store, viewer.workspace.id, name, channel)
        kit.audit(viewer, "source.create", source.id)
        return kit.render(request, viewer, "secret_once.html", kind="write_key", name=source.name,
                          secret=key, back=f"{kit.base(viewer)}/admin/sources")

    return router


def tokens_router(kit: ConsoleKit) -> APIRouter:
    router = APIRouter(prefix="/admin")
    tokens_admin, tokens_form = kit.viewer(Scope.TOKENS_ADMIN), kit.posted(Scope.TOKENS_ADMIN)

    @router.get("/tokens", response_class=HTMLResponse)
    def tokens(request: Request, q: str = "", viewer: Viewer = tokens_admin) -> HTMLResponse:
        rows = kit.container.store.tokens(viewer.workspace.id)
        return kit.render(request, viewer, "admin_tokens.html", scopes=sorted(s.value for s in viewer.scopes),
                          **paged(rows, request, q, lambda t: f"{t.name} {' '.join(t.scopes)}"))

    @router.post("/tokens", response_class=HTMLResponse)
    def create_token(request: Request, posted: Posted = tokens_form) -> HTMLResponse:
        viewer, form = posted.viewer, posted.form
        if form.get("disable"):
            if not posted.confirmed:
                return kit.confirm(request, posted, "disable_token", form["disable"])
            tenancy.disable_token(kit.container.store, viewer.workspace.id, form["disable"])
            kit.audit(viewer, "token.disable", form["disable"])
            return kit.render(request, viewer, "done.html", back=f"{kit.base(viewer)}/admin/tokens")
        wanted = parse_scopes([s for s in form.get("scopes", "").split() if s], instance=False)
        missing = sorted(s.value for s in wanted - viewer.scopes)
        if missing:
            return kit.render(request, viewer, "error.html", status=403, code="grant",
                              message=" ".join(missing))
        if not posted.confirmed:
            return kit.confirm(request, posted, "create_token", form.get("name", ""),
                               [("scopes", " ".join(sorted(s.value for s in wanted)))])
        token, secret = tenancy.create_token(kit.container.store, viewer.workspace.id,
                                             form.get("name", ""), sorted(s.value for s in wanted))
        kit.audit(viewer, "token.create", token.id)
        return kit.render(request, viewer, "secret_once.html", kind="token", name=token.name,
                          secret=secret, back=f"{kit.base(viewer)}/admin/tokens")

    return router


def destinations_router(kit: ConsoleKit) -> APIRouter:
    router = APIRouter(prefix="/admin")
    destinations_admin = kit.viewer(Scope.DESTINATIONS_ADMIN)

    @router.get("/destinations", response_class=HTMLResponse)
    def destinations(request: Request, q: str = "", viewer: Viewer = destinations_admin) -> HTMLResponse:
        rows = DestinationStore(kit.data(viewer)).all(viewer.workspace.id)
        return kit.render(request, viewer, "admin_destinations.html",
                          **paged(rows, request, q, lambda d: f"{d.name} {d.url} {d.purpose}"))

    return router


def settings_router(kit: ConsoleKit) -> APIRouter:
    """Read-only: settings are changed where they are declared (environment or TOML file)."""
    router = APIRouter(prefix="/admin")
    sources_admin = kit.viewer(Scope.SOURCES_ADMIN)

    @router.get("/settings", response_class=HTMLResponse)
    def settings(request: Request, q: str = "", viewer: Viewer = sources_admin) -> HTMLResponse:
        current = kit.container.settings
        rows = [(s.name, _shown(s.name, getattr(current, s.name)), s.help) for s in SETTINGS]
        return kit.render(request, viewer, "admin_settings.html",
                          **paged(rows, request, q, lambda r: f"{r[0]} {r[2]}"))

    return router


def _shown(name: str, value: object) -> str:
    if name in _SECRET:
        return "set" if value else "not set"
    return "" if value is None else str(value)


