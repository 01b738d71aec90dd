"""The ASGI application: every capability's routers (from the registry), health, and JSON errors
everywhere."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import APIRouter, FastAPI

from frontoffice import __version__, capabilities
from frontoffice.api.docs import install_docs
from frontoffice.api.field_adapters import share_field_adapters
from frontoffice.api.hand_read import hand_read_bodies
from frontoffice.api.handlers import UnexpectedErrors, install_error_handlers
from frontoffice.api.limits import API_PREFIX, BodyLimits
from frontoffice.bootstrap import Container


def create_app(container: Container) -> FastAPI:
    share_field_adapters()  # before the first route is added

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        yield
        container.close()

    app = FastAPI(title="frontoffice", version=__version__, lifespan=lifespan, docs_url=None,
                  redoc_url=None)
    app.state.container = container
    routers = [(not capability.matched_first, router) for capability in capabilities.every()
               if capability.routers is not None
               for router in capability.routers(container)]  # in registry order
    # a stable sort: intake first, then the routers asked per page view
    for _, router in sorted(routers, key=lambda r: (_serves_the_admin_api(r[1]), r[0])):
        app.include_router(router)
    install_docs(app)  # with their scripts served from here, not a CDN

    @app.get("/healthz", tags=["ops"])
    def health() -> dict[str, Any]:
        # the pid tells a starter which process holds the port (not another server's)
        return {"status": "ok", "version": __version__, "pid": os.getpid(),
                "database": container.store.dialect,
                "queued_events": container.writer.queued_events,
                "commits": container.writer.commits}

    install_error_handlers(app)
    app.add_middleware(BodyLimits, settings=container.settings, tokens=container.tokens)
    app.add_middleware(UnexpectedErrors)  # added last: the outermost of ours

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            from fastapi.openapi.utils import get_openapi

            schema = get_openapi(title=app.title, version=app.version, routes=app.routes)
            components = schema.setdefault("components", {}).setdefault("schemas", {})
            for model in hand_read_bodies():
                spec = model.model_json_schema(ref_template="#/components/schemas/{model}")
                components.update(spec.pop("$defs", {}))
                components[model.__name__] = spec
            app.openapi_schema = schema
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
    return app


def _serves_the_admin_api(router: APIRouter) -> bool:
    """Routes are tried in order and nearly every request is an event batch: a router wholly
    outside ``/api/`` (the collector's) is matched before the admin API's 50-odd routes, which
    cost the collector a microsecond per event when tried first. Its paths and the admin API's
    never overlap, so no request changes route; a router with a nested one (no path of its own)
    keeps its place, and within each group the registry's order holds."""
    return any(str(getattr(route, "path", API_PREFIX)).startswith(API_PREFIX)
               for route in router.routes)
