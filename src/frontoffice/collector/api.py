"""The Segment HTTP tracking API: /v1/batch and the single-event endpoints.

Success is exactly HTTP 200, sent after the accepted events are committed. Every error is
JSON with ``code`` and ``message`` (the Python clients crash into retries otherwise).
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from frontoffice.api.hand_read import documented
from frontoffice.api.jsonresponse import JsonResponse, error
from frontoffice.api.schemas import CollectorResponse, SegmentBatch, SegmentEvent, error_responses
from frontoffice.bootstrap import Container
from frontoffice.collector.auth import AuthFailure, write_key_from
from frontoffice.collector.body import BodyError, decompress, parse_json, read_limited
from frontoffice.collector.gates import CollectionGates
from frontoffice.collector.member import overloaded_reply, unavailable_reply
from frontoffice.collector.pipeline import Incoming, Reply, finish, prepare
from frontoffice.domain.events import Limits, now
from frontoffice.errors import Overloaded

log = logging.getLogger(__name__)
SINGLE_TYPES = ("identify", "track", "page", "screen", "group", "alias")
_ERRORS = error_responses({
    400: "Malformed JSON, bad encoding, wrong types or (batch) every event invalid.",
    401: "Missing, unknown or disabled write key.",
    413: "Request (or a single event) over the size limit.",
    415: "Unsupported Content-Encoding.",
    429: "Write path saturated: retry after Retry-After seconds.",
    503: "Storage unavailable: retry.",
})


def reply(outcome: Reply) -> Response:
    return JsonResponse(outcome.body, status_code=outcome.status, headers=outcome.headers)


def overloaded(exc: Overloaded) -> Response:
    return reply(overloaded_reply(exc))


def _is_basic(authorization: str | None) -> bool:
    return authorization is not None and authorization.lstrip()[:6].lower() == "basic "


def collector_router(container: Container) -> APIRouter:
    settings = container.settings
    pool = container.ingest
    gates = CollectionGates(container.store, settings, container.stores)
    limits = Limits(settings.max_event_bytes, settings.max_json_depth)
    router = APIRouter(prefix=settings.collector_prefix, tags=["collector"])

    async def collect(request: Request, forced_type: str | None) -> Response:
        received_at = now()
        try:
            raw = await read_limited(request.stream(), request.headers.get("content-length"),
                                     settings.max_request_bytes)
            data = decompress(raw, request.headers.get("content-encoding"),
                              settings.max_request_bytes)
        except BodyError as exc:
            return error(exc.status, exc.code, exc.message)
        authorization = request.headers.get("authorization")
        body: Any = None
        if pool is None or not _is_basic(authorization) or b"writeKey" in data:
            # The write key may be in the body: parse it here. With Basic auth only and a pool, the
            # ingest process parses the body and the API process never touches the events.
            try:
                body = parse_json(data)
            except BodyError as exc:
                return error(exc.status, exc.code, exc.message)
            if not isinstance(body, dict):
                return error(400, "invalid_request", "Body must be a JSON object.")
        key = write_key_from(authorization, None if body is None else body.get("writeKey"))
        resolved = key if isinstance(key, AuthFailure) else container.keys.resolve(key)
        if isinstance(resolved, AuthFailure):
            if body is None:  # a malformed body is reported before a bad key, as without a pool
                try:
                    if not isinstance(parse_json(data), dict):
                        return error(400, "invalid_request", "Body must be a JSON object.")
                except BodyError as exc:
                    return error(exc.status, exc.code, exc.message)
            return error(401, "unauthorized", resolved.message)
        source, workspace = resolved
        incoming = Incoming(workspace.id, source.id, forced_type,
                            request.headers.get("sec-gpc", "").strip() == "1", received_at,
                            request.url.path)
        if pool is not None:
            return reply(await pool.submit(incoming, data))
        prepared = prepare(incoming, body, limits)
        if isinstance(prepared, Reply):
            return reply(prepared)
        prepared = gates.apply(incoming, body, prepared)  # residency refusals, consent reduction
        try:
            result = await container.writer_for(workspace.id).submit(prepared.batch)
        except Overloaded as exc:
            return reply(overloaded_reply(exc))
        except Exception as exc:  # the client gets 503 and retries; the operator needs the cause
            log.error("could not store a batch of workspace %s: %s", workspace.id, exc, exc_info=exc)
            return reply(unavailable_reply(settings))
        return reply(finish(prepared, result))

    def add(path: str, forced_type: str | None, model: type) -> None:
        async def endpoint(request: Request) -> Response:
            return await collect(request, forced_type)

        router.add_api_route(
            path, endpoint, methods=["POST"], response_model=CollectorResponse,
            responses=_ERRORS, operation_id=f"collect_{forced_type or 'batch'}",
            summary=f"Segment {forced_type or 'batch'} call",
            openapi_extra=documented(model),
        )

    add("/v1/batch", None, SegmentBatch)
    for etype in SINGLE_TYPES:
        add(f"/v1/{etype}", etype, SegmentEvent)
    return router
