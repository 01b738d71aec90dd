"""Request bodies are limited on every route before they are read, and the admin API
authenticates before it reads (and so before it parses) a body.

A body's limit depends on the route: the collector and the commerce webhooks take batches up to
``max_request_bytes``, the admin API (``/api/...``) up to ``max_api_body_bytes``, anything else
nothing beyond that either. A declared ``Content-Length`` over the limit is answered 413 before
a byte is read; a chunked body is counted as it streams and answered 413 as soon as it passes
the limit. Those answers close the connection, so the rest of the upload is never read.
"""

from __future__ import annotations

import anyio.to_thread
from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from frontoffice.api.jsonresponse import error
from frontoffice.settings import Settings
from frontoffice.tenancy.tokens import ApiAuthError, TokenCache

API_PREFIX = "/api/"


class _BodyTooLarge(Exception):
    """Raised into the application when a streamed body passes its limit."""


class BodyLimits:
    """ASGI middleware; the innermost layer that sees the raw request stream."""

    def __init__(self, app: ASGIApp, settings: Settings, tokens: TokenCache) -> None:
        self.app = app
        self._tokens = tokens
        self._batch_prefixes = (f"{settings.collector_prefix}/v1/", "/commerce/v1/")
        self._batch = _limit(settings.max_request_bytes, "send smaller batches")
        self._api = _limit(settings.max_api_body_bytes, "send a smaller body")

    def limit_for(self, path: str) -> tuple[int, str]:
        """The largest body ``path`` takes, and what to answer when one is larger."""
        return self._batch if path.startswith(self._batch_prefixes) else self._api

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit, too_large = self.limit_for(scope["path"])
        headers = Headers(scope=scope)
        declared = headers.get("content-length")
        if declared is not None:
            try:
                size = int(declared)
            except ValueError:
                await _refuse(scope, receive, send, 400, "invalid_request",
                              "Content-Length is not a number.")
                return
            if size > limit:
                await _refuse(scope, receive, send, 413, "payload_too_large", too_large)
                return
        chunked = declared is None and "transfer-encoding" in headers
        if (chunked or (declared or "0") != "0") and scope["path"].startswith(API_PREFIX):
            authorization = headers.get("authorization")
            try:  # the token cache may ask the database: not on the event loop
                if self._tokens.remembered(authorization) is None:
                    await anyio.to_thread.run_sync(self._tokens.authenticate, authorization)
            except ApiAuthError as exc:
                await _refuse(scope, receive, send, exc.status, exc.code, exc.message)
                return
        if not chunked:  # the HTTP parser delivers exactly Content-Length bytes
            await self.app(scope, receive, send)
            return
        await self._counted(scope, receive, send, limit, too_large)

    async def _counted(self, scope: Scope, receive: Receive, send: Send, limit: int,
                       too_large: str) -> None:
        received = 0
        over = False
        started = False

        async def counting_receive() -> Message:
            nonlocal received, over
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    over = True
                    raise _BodyTooLarge
            return message

        async def guarded_send(message: Message) -> None:
            nonlocal started
            if over:  # whatever the application answers to a body it never got whole
                return
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counting_receive, guarded_send)
        except Exception:
            if not over:
                raise
        if over and not started:
            await _refuse(scope, receive, send, 413, "payload_too_large", too_large)


def _limit(size: int, advice: str) -> tuple[int, str]:
    return size, f"Request body is over the {size}-byte limit; {advice}."


async def _refuse(scope: Scope, receive: Receive, send: Send, status: int, code: str,
                  message: str) -> None:
    """Answer without reading the body, and close the connection so it is never read."""
    await error(status, code, message, headers={"Connection": "close"})(scope, receive, send)
