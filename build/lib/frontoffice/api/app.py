"""The ASGI application: every capability's routers (from the registry), health, and JSON errors
everywhere."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI

from frontoffice import __version__, capabilities
from frontoffice.api.docs import install_docs
from frontoffice.api.handlers import UnexpectedErrors, install_error_handlers
from frontoffice.api.limits import BodyLimits
from frontoffice.api.schemas import SegmentBatch, SegmentEvent
from frontoffice.bootstrap import Container


def create_app(container: Container) -> FastAPI:
    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        yield
        container.close()

    app = FastAPI(title="frontoffice", version=__version__, lifespan=lifespan, docs_url=None,
                  redoc_url=None)
    install_docs(app)  # with their scripts served from here, not a CDN
    app.state.container = container
    for capability in capabilities.every():  # in registry order: the order routes are matched
        if capability.routers is not None:
            for router in capability.routers(container):
                app.include_router(router)

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
            for model in (SegmentBatch, SegmentEvent):
                spec = model.model_json_schema(ref_template="#/components/schemas/{model}")
                components.update(spec.pop("$defs", {}))
                components[model.__name__] = spec
            app.openapi_schema = schema
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
    return app
