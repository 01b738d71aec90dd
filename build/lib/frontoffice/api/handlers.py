"""Every error the API answers is JSON ``{"code": …, "message": …}``.

Typed errors carry their status (``frontoffice.errors``): one handler answers them all. Anything
else is a bug or an outage: ``UnexpectedErrors`` logs it with its traceback, then answers 500 (the
exception goes no further, so it is logged once, by us).
"""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.requests import ClientDisconnect
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from frontoffice.api.jsonresponse import error
from frontoffice.errors import FrontofficeError

log = logging.getLogger("frontoffice.api")


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(FrontofficeError)
    async def on_typed(_: Request, exc: FrontofficeError) -> Response:
        return error(exc.status, exc.code, str(exc))

    @app.exception_handler(RequestValidationError)
    async def on_validation(_: Request, exc: RequestValidationError) -> Response:
        first = exc.errors()[0] if exc.errors() else {}
        where = ".".join(str(p) for p in first.get("loc", ()))
        return error(422, "invalid_request", f"{where}: {first.get('msg', 'invalid')}")

    @app.exception_handler(StarletteHTTPException)
    async def on_http(_: Request, exc: StarletteHTTPException) -> Response:
        return error(exc.status_code, "http_error", str(exc.detail))


class UnexpectedErrors:
    """ASGI middleware: an exception that reaches it is logged with its traceback and answered
    500 JSON (unless the response had started; then the connection just ends)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def tracking_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, tracking_send)
        except ClientDisconnect:
            return  # the client left mid-body: nobody to answer, nothing broken
        except Exception as exc:
            log.error("%s %s failed: %s: %s", scope["method"], scope["path"], type(exc).__name__,
                      exc, exc_info=exc)
            if not started:
                await error(500, "internal_error",
                            f"Unexpected {type(exc).__name__}; retry, and report it if it persists "
                            "(the server's log has the details).")(scope, receive, send)
