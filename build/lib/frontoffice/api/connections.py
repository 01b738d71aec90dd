"""The HTTP connections of ``frontoffice serve``: uvicorn's httptools protocol with what it lacks.

- Slow clients are timed out: the request line and headers must all arrive within
  ``header_timeout_seconds`` of the connection (or of a kept-alive request's first byte), and a
  request body may not go ``body_timeout_seconds`` without a byte. Either answers 408 and closes.
- One client address may hold at most ``max_connections_per_client`` open connections; one more
  is answered 429 and closed at once.
- The errors the HTTP layer answers itself (a malformed request line, a bad Content-Length) are
  JSON ``{"code": …, "message": …}`` like every other error, not uvicorn's plain text.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import Any

import orjson
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from frontoffice.settings import Settings


def error_bytes(status: int, code: str, message: str,
                default_headers: list[tuple[bytes, bytes]] | None = None) -> bytes:
    """A whole HTTP/1.1 response carrying a JSON error; the connection closes after it."""
    body = orjson.dumps({"code": code, "message": message})
    head = [f"HTTP/1.1 {status} {HTTPStatus(status).phrase}".encode()]
    head += [name + b": " + value for name, value in default_headers or ()]
    head += [b"content-type: application/json", b"content-length: " + str(len(body)).encode(),
             b"connection: close"]
    return b"\r\n".join(head) + b"\r\n\r\n" + body


@dataclass
class ConnectionRules:
    header_timeout_s: float
    body_timeout_s: float
    per_client: int  # 0: no cap
    open: Counter[str] = field(default_factory=Counter)  # open connections by client address

    @classmethod
    def of(cls, settings: Settings) -> ConnectionRules:
        return cls(settings.header_timeout_seconds, settings.body_timeout_seconds,
                   settings.max_connections_per_client)


def guarded_protocol(rules: ConnectionRules) -> type[HttpToolsProtocol]:
    """uvicorn's httptools protocol under ``rules`` (one set per server: they count its clients)."""

    class GuardedHttpToolsProtocol(HttpToolsProtocol):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._timer: asyncio.TimerHandle | None = None
            self._address: str | None = None
            self._last_body_at = 0.0

        def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
            super().connection_made(transport)
            address = self.client[0] if self.client else None
            if rules.per_client and address is not None:
                if rules.open[address] >= rules.per_client:
                    self._refuse(429, "too_many_connections",
                                 f"This address already has {rules.per_client} open connections; "
                                 "reuse them (keep-alive) or close some before opening another.")
                    return
                rules.open[address] += 1
                self._address = address
            self._arm(rules.header_timeout_s, self._headers_late)

        def connection_lost(self, exc: Exception | None) -> None:
            self._disarm()
            if self._address is not None:
                rules.open[self._address] -= 1
                if rules.open[self._address] <= 0:
                    del rules.open[self._address]
                self._address = None
            super().connection_lost(exc)

        def on_message_begin(self) -> None:
            super().on_message_begin()
            if self._timer is None:  # a kept-alive connection's next request
                self._arm(rules.header_timeout_s, self._headers_late)

        def on_headers_complete(self) -> None:
            self._disarm()
            super().on_headers_complete()
            self._last_body_at = self.loop.time()
            self._arm(rules.body_timeout_s, self._body_idle)  # until on_message_complete

        def on_body(self, body: bytes) -> None:
            self._last_body_at = self.loop.time()
            super().on_body(body)

        def on_message_complete(self) -> None:
            self._disarm()
            super().on_message_complete()

        def send_400_response(self, msg: str) -> None:
            self._disarm()
            self._refuse(400, "invalid_http",
                         f"{msg.rstrip('.')}: the request line, a header or the body framing "
                         "(Content-Length, chunks) is not valid HTTP/1.1.")

        def _headers_late(self) -> None:
            self._timer = None
            self._time_out(f"The request line and headers did not arrive within "
                           f"{rules.header_timeout_s:g} s; send the whole request at once.")

        def _body_idle(self) -> None:
            self._timer = None
            idle = self.loop.time() - self._last_body_at
            if self.flow.read_paused:  # the application has not taken what arrived yet
                self._last_body_at = self.loop.time()
                idle = 0.0
            if idle < rules.body_timeout_s:
                self._arm(rules.body_timeout_s - idle, self._body_idle)
                return
            self._time_out(f"The request body received nothing for {rules.body_timeout_s:g} s; "
                           "send the body without pauses.")

        def _time_out(self, message: str) -> None:
            cycle = self.cycle
            if cycle is None or cycle.response_complete or not cycle.response_started:
                self._refuse(408, "request_timeout", message)
            else:
                self.transport.close()

        def _refuse(self, status: int, code: str, message: str) -> None:
            if self.transport.is_closing():
                return
            self.transport.write(error_bytes(status, code, message, self.server_state.default_headers))
            self.transport.close()

        def _arm(self, delay: float, callback: Callable[[], None]) -> None:
            self._disarm()
            self._timer = self.loop.call_later(delay, callback)

        def _disarm(self) -> None:
            if self._timer is not None:
                self._timer.cancel()
                self._timer = None

    return GuardedHttpToolsProtocol
