"""Commerce HTTP API: native webhook intake (``/commerce/v1/*``) and the read API
(availability, holds, pool rules, price conflicts, traits, product/supplier view).

Intake authenticates the source's write key (``Authorization: Basic``, channel ``commerce``)
and ``X-Frontoffice-Signature: sha256=<hex HMAC-SHA256 of the raw body>`` keyed by the
source's webhook secret (``frontoffice commerce secret``). Accepted events go through the
group-commit writer like the collector's, then the projection catches up.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool

from frontoffice.api.access import require
from frontoffice.api.collector import overloaded
from frontoffice.api.jsonresponse import JsonResponse, error
from frontoffice.api.schemas import error_responses
from frontoffice.bootstrap import Container
from frontoffice.collector.auth import AuthFailure, write_key_from
from frontoffice.collector.body import BodyError, parse_json, read_limited
from frontoffice.commerce import intake, projector, saleor, service
from frontoffice.commerce.records import SIGNATURE_HEADER, signature_refusal
from frontoffice.commerce.schemas import ENTITY_MODELS, HoldIn, PoolRule
from frontoffice.domain.events import now
from frontoffice.domain.tenancy import Channel, Scope, Workspace
from frontoffice.errors import Overloaded
from frontoffice.services.tokens import ApiAuthError
from frontoffice.storage.commerce_sql import CommerceStore
from frontoffice.storage.port import AppendBatch

Reader = Annotated[Workspace, require(Scope.EVENTS_READ)]
Writer = Annotated[Workspace, require(Scope.EVENTS_WRITE)]
log = logging.getLogger(__name__)
TEXT = r"^[^\x00]{1,200}$"
_INTAKE_ERRORS = error_responses({
    400: "Malformed payload, negative quantity, unknown product/location/order, or an "
         "invalid lifecycle move: nothing of the request was applied.",
    401: "Missing or unknown write key, or a missing or wrong signature.",
    403: "The write key's source is not of channel 'commerce'.",
    413: "Request over the size limit.",
    415: "Unsupported Content-Encoding.",
    429: "Write path saturated: retry after Retry-After seconds.",
    503: "Storage unavailable: retry.",
})


class IntakeResult(BaseModel):
    success: bool
    accepted: int
    duplicates: int
    alerts: int


def inline_schema(model: type[BaseModel]) -> dict[str, Any]:
    """The model's JSON schema with its definitions inlined (a body may be one or an array)."""
    spec = model.model_json_schema()
    defs = spec.pop("$defs", {})

    def resolve(node: Any) -> Any:
        if isinstance(node, dict):
            if "$ref" in node:
                return resolve(defs[node["$ref"].rsplit("/", 1)[-1]])
            return {k: resolve(v) for k, v in node.items()}
        if isinstance(node, list):
            return [resolve(v) for v in node]
        return node

    one = resolve(spec)
    return {"oneOf": [one, {"type": "array", "items": one, "maxItems": intake.MAX_ITEMS}]}


def commerce_router(c: Container) -> APIRouter:
    router = APIRouter()
    secrets = CommerceStore(c.store)  # webhook secrets belong to sources: the registry's
    stores = c.per_store(CommerceStore)  # a located workspace's commerce data is in its storage
    settings = c.settings

    async def receive(request: Request, kind: str) -> Response:
        received_at = now()
        try:
            raw = await read_limited(request.stream(), request.headers.get("content-length"),
                                     settings.max_request_bytes)
        except BodyError as exc:
            return error(exc.status, exc.code, exc.message)
        key = write_key_from(request.headers.get("authorization"), None)
        resolved = key if isinstance(key, AuthFailure) else c.keys.resolve(key)
        if isinstance(resolved, AuthFailure):
            return error(401, "unauthorized", resolved.message)
        source, workspace = resolved
        if source.channel is not Channel.COMMERCE:
            return error(403, "wrong_channel", f"Source {source.name!r} is of channel "
                         f"{source.channel.value!r}; commerce webhooks need a 'commerce' source.")
        secret = await run_in_threadpool(secrets.secret, source.id)
        cs = stores(workspace.id)
        refusal = signature_refusal(secret, request.headers.get(SIGNATURE_HEADER), raw)
        if refusal:
            return error(401, "bad_signature", refusal)
        try:
            body = parse_json(raw)
            if kind == "saleor":
                event = (request.headers.get(saleor.EVENT_HEADER)
                         or request.headers.get("X-" + saleor.EVENT_HEADER))
                kind, body = saleor.to_native(event, body)
            items = intake.parse(kind, body)
            records = await run_in_threadpool(_prepare, cs, workspace.id, items, received_at)
        except BodyError as exc:
            return error(exc.status, exc.code, exc.message)
        except intake.IntakeError as exc:
            return error(400, exc.code, str(exc))
        try:
            writer = c.writer_for(workspace.id)
            result = await writer.submit(AppendBatch(workspace.id, source.id, records, origin="commerce"))
            await run_in_threadpool(projector.catch_up, cs, workspace.id)
            alerts = 0
            if kind == "shipments":
                found = await run_in_threadpool(service.shipment_alerts, cs, workspace.id,
                                                records, received_at)
                if found:
                    alerts = (await writer.submit(AppendBatch(
                        workspace.id, service.INTERNAL_SOURCE, found, origin="commerce"))).inserted
                    await run_in_threadpool(projector.catch_up, cs, workspace.id)
        except Overloaded as exc:
            return overloaded(exc)
        except Exception as exc:  # the client gets 503 and retries; the operator needs the cause
            log.error("could not store %s intake of workspace %s: %s", kind, workspace.id, exc,
                      exc_info=exc)
            return error(503, "storage_unavailable", "The event log could not be written; retry.",
                         headers={"Retry-After": str(settings.retry_after_seconds)})
        return JsonResponse(IntakeResult(success=True, accepted=result.inserted,
                                         duplicates=result.duplicates, alerts=alerts).model_dump())

    def add(kind: str, schema: dict[str, Any], summary: str) -> None:
        async def endpoint(request: Request) -> Response:
            return await receive(request, kind)

        router.add_api_route(
            f"/commerce/v1/{kind}", endpoint, methods=["POST"], response_model=IntakeResult,
            responses=_INTAKE_ERRORS, tags=["commerce intake"], summary=summary,
            operation_id=f"commerce_{kind}",
            openapi_extra={"requestBody": {"required": True, "content": {
                "application/json": {"schema": schema}}}})

    for kind, model in ENTITY_MODELS.items():
        add(kind, inline_schema(model), f"Native {kind} events (one object or an array)")
    add("saleor", {"type": "array", "items": {"type": "object"}},
        f"Saleor webhook payloads; the event comes from the {saleor.EVENT_HEADER} header")

    base = "/api/v1/workspaces/{ws}"
    read = APIRouter(prefix=base, tags=["commerce"], responses=error_responses({
        400: "Invalid query or body.", 401: "Missing or unknown API token.",
        403: "The token lacks the scope or belongs to another workspace.",
        404: "No such workspace, product, location or customer.",
        422: "A parameter has the wrong type or range."}))

    @read.get("/availability")
    def get_availability(
        workspace: Reader, sku: Annotated[str, Query(pattern=TEXT)],
        channel: Annotated[str, Query(pattern=TEXT)] = "web",
        mode: Annotated[str | None, Query(pattern="^(ship|boss|bopis|curbside|bodfs)$")] = None,
        near: Annotated[str | None, Query(pattern=TEXT)] = None,
    ) -> dict[str, Any]:
        """Available to promise per fulfilment mode from the channel's pool, nearest first."""
        return service.availability_for(stores(workspace.id), workspace.id, sku, channel, mode, near, now())

    @read.post("/holds", status_code=201)
    def create_hold(workspace: Writer, body: HoldIn) -> dict[str, Any]:
        """Reserve stock until it expires; refused (400 insufficient_stock) beyond availability."""
        return service.place_hold(stores(workspace.id), workspace.id, body, now())

    @read.delete("/holds/{hold_id}", status_code=204)
    def delete_hold(workspace: Writer, hold_id: str) -> Response:
        if "\x00" in hold_id:
            raise ApiAuthError(404, "not_found", "No such hold.")
        service.release_hold(stores(workspace.id), workspace.id, hold_id, now())
        return Response(status_code=204)

    @read.put("/commerce/pools")
    def put_pool(workspace: Writer, body: PoolRule) -> dict[str, Any]:
        """Set which locations a channel sells from."""
        service.set_pool(stores(workspace.id), workspace.id, body, now())
        return body.model_dump(mode="json")

    @read.get("/commerce/conflicts")
    def get_conflicts(workspace: Reader, tolerance: Annotated[float, Query(ge=0, le=1)] = 0.01,
                      at: datetime | None = None) -> dict[str, Any]:
        """The same product priced differently on two channels at the same time."""
        cs = stores(workspace.id)
        projector.catch_up(cs, workspace.id)
        return {"conflicts": service.price_conflicts(cs, workspace.id, tolerance, at)}

    @read.get("/commerce/traits")
    def get_traits(workspace: Reader,
                   key: Annotated[list[str], Query(min_length=1, max_length=50)]) -> dict[str, Any]:
        """Commerce traits of the customer known by any of the keys (user_id:…, email:…)."""
        return service.traits_for(stores(workspace.id), workspace.id, [k for k in key if "\x00" not in k])

    @read.get("/commerce/products")
    def get_products(workspace: Reader) -> dict[str, Any]:
        """Return and problem rates per product and per supplier."""
        return service.product_supplier_view(stores(workspace.id), workspace.id)

    @read.get("/commerce/alerts")
    def get_alerts(workspace: Reader) -> dict[str, Any]:
        """Late and failed deliveries detected so far."""
        return {"alerts": service.delivery_alerts(stores(workspace.id), workspace.id)}

    router.include_router(read)
    return router


def _prepare(cs: CommerceStore, ws: str, items: list[BaseModel], at: datetime) -> list[Any]:
    projector.catch_up(cs, ws)
    return intake.prepare(cs, ws, items, at)
