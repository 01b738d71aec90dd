"""The Segment HTTP tracking API: /v1/batch and the single-event endpoints.

Success is exactly HTTP 200, sent after the accepted events are committed. Every error is
JSON with ``code`` and ``message`` (the Python clients crash into retries otherwise).
"""

from __future__ import annotations

import time
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from frontoffice.api.jsonresponse import JsonResponse
from frontoffice.api.schemas import CollectorResponse, SegmentBatch, SegmentEvent, error_responses
from frontoffice.bootstrap import Container
from frontoffice.collector.auth import AuthFailure, write_key_from
from frontoffice.collector.body import BodyError, decompress, parse_json, read_limited
from frontoffice.domain.events import Limits, json_depth_exceeds, normalise_batch, now
from frontoffice.errors import Overloaded
from frontoffice.storage.port import AppendBatch

SINGLE_TYPES = ("identify", "track", "page", "screen", "group", "alias")
_ERRORS = error_responses({
    400: "Malformed JSON, bad encoding, wrong types or (batch) every event invalid.",
    401: "Missing, unknown or disabled write key.",
    413: "Request (or a single event) over the size limit.",
    415: "Unsupported Content-Encoding.",
    429: "Write path saturated: retry after Retry-After seconds.",
    503: "Storage unavailable: retry.",
})


def error(status: int, code: str, message: str, headers: dict[str, str] | None = None,
          **extra: Any) -> Response:
    return JsonResponse({"code": code, "message": message, **extra}, status_code=status,
                          headers=headers)


def overloaded(exc: Overloaded) -> Response:
    reset_ms = int((time.time() + exc.retry_after_seconds) * 1000)
    return error(429, exc.code, str(exc), headers={
        "Retry-After": str(exc.retry_after_seconds), "X-RateLimit-Reset": str(reset_ms)})


def collector_router(container: Container) -> APIRouter:
    settings = container.settings
    limits = Limits(settings.max_event_bytes, settings.max_json_depth)
    router = APIRouter(prefix=settings.collector_prefix, tags=["collector"])

    async def collect(request: Request, forced_type: str | None) -> Response:
        received_at = now()
        try:
            raw = await read_limited(request.stream(), request.headers.get("content-length"),
                                     settings.max_request_bytes)
            data = decompress(raw, request.headers.get("content-encoding"),
                              settings.max_request_bytes)
            body = parse_json(data)
        except BodyError as exc:
            return error(exc.status, exc.code, exc.message)
        if not isinstance(body, dict):
            return error(400, "invalid_request", "Body must be a JSON object.")
        key = write_key_from(request.headers.get("authorization"), body.get("writeKey"))
        resolved = key if isinstance(key, AuthFailure) else container.keys.resolve(key)
        if isinstance(resolved, AuthFailure):
            return error(401, "unauthorized", resolved.message)
        source, workspace = resolved
        if json_depth_exceeds(body, settings.max_json_depth + 2):
            return error(400, "too_deep",
                         f"JSON nests deeper than {settings.max_json_depth} levels.")
        if forced_type is None:
            items = body.get("batch")
            if not isinstance(items, list):
                return error(400, "invalid_request", "'batch' must be an array of events.")
        else:
            items = [body]
        batch_fields: dict[str, Any] = body if forced_type is None else {}
        if request.headers.get("sec-gpc", "").strip() == "1":
            # Global Privacy Control arrives as a header; keep it on every event it came with
            # so consent (a projection of the log) can honour it.
            context = batch_fields.get("context")
            batch_fields = {**batch_fields,
                            "context": {**(context if isinstance(context, dict) else {}), "gpc": True}}
        accepted, rejected = normalise_batch(
            items, batch=batch_fields, forced_type=forced_type,
            source_id=source.id, received_at=received_at, limits=limits, check_depth=False)
        listed = [r.as_dict() for r in rejected]
        if forced_type is not None and rejected:
            first = rejected[0]
            status = 413 if first.code == "event_too_large" else 400
            return error(status, first.code, first.reason, rejected=listed)
        try:
            result = await container.writer.submit(AppendBatch(
                workspace.id, source.id, accepted, rejected, origin="collector",
                reference=f"{request.url.path} {received_at.isoformat()}"))
        except Overloaded as exc:
            return overloaded(exc)
        except Exception:
            return error(503, "storage_unavailable", "The event log could not be written; retry.",
                         headers={"Retry-After": str(settings.retry_after_seconds)})
        if rejected and not accepted:
            return error(400, "invalid_batch",
                         f"All {len(rejected)} events are invalid and were quarantined.",
                         rejected=listed)
        return JsonResponse({"success": True, "accepted": result.inserted,
                               "duplicates": result.duplicates, "rejected": listed})

    def add(path: str, forced_type: str | None, model: type) -> None:
        async def endpoint(request: Request) -> Response:
            return await collect(request, forced_type)

        router.add_api_route(
            path, endpoint, methods=["POST"], response_model=CollectorResponse,
            responses=_ERRORS, operation_id=f"collect_{forced_type or 'batch'}",
            summary=f"Segment {forced_type or 'batch'} call",
            openapi_extra={"requestBody": {"required": True, "content": {"application/json": {
                "schema": {"$ref": f"#/components/schemas/{model.__name__}"}}}}},
        )

    add("/v1/batch", None, SegmentBatch)
    for etype in SINGLE_TYPES:
        add(f"/v1/{etype}", etype, SegmentEvent)
    return router
