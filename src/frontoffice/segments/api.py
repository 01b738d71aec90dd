"""Segments' HTTP API: computed traits and segments as data (versioned), a preview before
saving, members, the batch run and its agreement with real time, and a person's memberships."""

from __future__ import annotations

from typing import Annotated, Any

import orjson
from fastapi import APIRouter, Body, Query, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from frontoffice.api.access import require
from frontoffice.api.jsonresponse import error
from frontoffice.api.schemas import error_responses
from frontoffice.bootstrap import Container
from frontoffice.domain.events import iso, now
from frontoffice.domain.tenancy import Scope, Workspace
from frontoffice.outbound import provider
from frontoffice.outbound.provider import CALLBACK_PREFIX
from frontoffice.segments import audience, moments_service, service
from frontoffice.segments.moments_store import MomentsStore
from frontoffice.segments.store import SegmentsStore

Reader = Annotated[Workspace, require(Scope.EVENTS_READ)]
Writer = Annotated[Workspace, require(Scope.OUTBOUND_WRITE)]  # what marketers hold
Definition = Annotated[dict[str, Any], Body(description="A definition as JSON (docs/segments.md).")]


def _ms() -> int:
    return int(now().timestamp() * 1000)


def segments_router(c: Container) -> APIRouter:
    stores = c.per_store(SegmentsStore)
    moments = c.per_store(MomentsStore)
    router = APIRouter(prefix="/api/v1/workspaces/{ws}", tags=["admin", "segments"],
                       responses=error_responses({
        400: "An invalid definition (code invalid_definition: the message names the JSON path) or query.",
        401: "Missing or unknown API token.",
        403: "The token lacks the scope or belongs to another workspace.",
        404: "No such workspace, trait or segment."}))

    @router.get("/traits")
    def list_traits(workspace: Reader) -> dict[str, Any]:
        """The active computed traits with their versions."""
        return {"traits": service.traits_overview(stores(workspace.id), workspace.id)}

    @router.post("/traits", status_code=201)
    def define_trait(workspace: Writer, body: Definition) -> dict[str, Any]:
        """Save a computed trait (a new version when the name exists); everyone is re-evaluated."""
        return service.define_trait(stores(workspace.id), workspace.id, body, iso(now()))

    @router.delete("/traits/{name}", status_code=204)
    def delete_trait(workspace: Writer, name: str) -> Response:
        service.delete(stores(workspace.id), workspace.id, "trait", name)
        return Response(status_code=204)

    @router.get("/segments")
    def list_segments(workspace: Reader) -> dict[str, Any]:
        """The active segments with their size and readable condition."""
        return {"segments": service.segments_overview(stores(workspace.id), workspace.id)}

    @router.post("/segments", status_code=201)
    def define_segment(workspace: Writer, body: Definition) -> dict[str, Any]:
        """Save a segment (a new version when the name exists); memberships follow at once."""
        return service.define_segment(stores(workspace.id), workspace.id, body, iso(now()))

    @router.post("/segments/preview")
    def preview(workspace: Reader, body: Definition,
                sample: Annotated[int, Query(ge=0, le=100)] = service.SAMPLE) -> dict[str, Any]:
        """Size and a sample of a definition over all people, before saving it."""
        found = service.preview(stores(workspace.id), workspace.id, body, _ms(), sample)
        return {"size": found.size, "sample": found.sample, "text": found.text}

    @router.get("/segments/agreement")
    def agreement(workspace: Reader) -> dict[str, Any]:
        """Every segment run in batch (compiled SQL) beside its real-time members."""
        return {"segments": service.agreement(stores(workspace.id), workspace.id, _ms())}

    @router.get("/segments/{name}")
    def get_segment(workspace: Reader, name: str) -> dict[str, Any]:
        return service.segment(stores(workspace.id), workspace.id, name)

    @router.delete("/segments/{name}", status_code=204)
    def delete_segment(workspace: Writer, name: str) -> Response:
        service.delete(stores(workspace.id), workspace.id, "segment", name)
        return Response(status_code=204)

    @router.get("/segments/{name}/members")
    def members(workspace: Reader, name: str,
                limit: Annotated[int, Query(ge=1, le=10_000)] = 100) -> dict[str, Any]:
        """The members now, each with when and why they entered."""
        return {"members": stores(workspace.id).members(workspace.id, name, limit)}

    @router.get("/segments/{name}/sizes")
    def sizes(workspace: Reader, name: str) -> dict[str, Any]:
        """The segment's size at the end of each day it changed."""
        return {"sizes": service.size_over_time(stores(workspace.id), workspace.id, name)}

    @router.get("/segments/{name}/history")
    def segment_history(workspace: Reader, name: str,
                        limit: Annotated[int, Query(ge=1, le=10_000)] = 100) -> dict[str, Any]:
        return {"history": stores(workspace.id).history(workspace.id, segment=name, limit=limit)}

    @router.get("/moments")
    def list_moments(workspace: Reader) -> dict[str, Any]:
        """The active moments."""
        found = stores(workspace.id).definitions(workspace.id, "moment")
        return {"moments": [{"name": d.name, "version": d.version, "definition": d.body} for d in found]}

    @router.post("/moments", status_code=201)
    def define_moment(workspace: Writer, body: Definition) -> dict[str, Any]:
        """Save a moment: when a person enters a segment, send a message (consent-gated, capped,
        outside quiet hours)."""
        return moments_service.define_moment(stores(workspace.id), workspace.id, body, iso(now()))

    @router.get("/moments/firings")
    def firings(workspace: Reader, moment: str | None = None, person: str | None = None,
                limit: Annotated[int, Query(ge=1, le=10_000)] = 100) -> dict[str, Any]:
        """Each firing with its decision (fired, refused, deferred), rule and reason, newest first."""
        return {"firings": moments(workspace.id).firings(workspace.id, moment, person, limit)}

    @router.get("/syncs")
    def list_syncs(workspace: Reader) -> dict[str, Any]:
        """The audience syncs: which segment's changes go to which webhook destination."""
        found = stores(workspace.id).definitions(workspace.id, "sync")
        return {"syncs": [{"name": d.name, "version": d.version, "definition": d.body} for d in found]}

    @router.post("/syncs", status_code=201)
    def define_sync(workspace: Writer, body: Definition) -> dict[str, Any]:
        """Save an audience sync: every entry and exit of the segment, with its reason, goes to
        the destination through the consent gate."""
        return audience.define_sync(stores(workspace.id), workspace.id, body, iso(now()))

    @router.get("/people/{person_id}/segments")
    def person(workspace: Reader, person_id: str) -> dict[str, Any]:
        """A person's computed traits (explained), segments and membership history."""
        return dict(service.person(stores(workspace.id), workspace.id, person_id))

    return router


def provider_router(c: Container) -> APIRouter:
    """The SMS/push provider's callbacks: outside ``/api/`` (no API token; the body is signed)."""
    stores = c.per_store(SegmentsStore)
    router = APIRouter(prefix=CALLBACK_PREFIX, tags=["outbound provider"], responses=error_responses({
        400: "The body is not a status (JSON: status delivered, failed or bounced; detail).",
        401: "A missing or wrong X-Frontoffice-Signature.",
        404: "No SMS or push message of that id in the workspace.",
        409: "No provider is configured."}))

    @router.post("/workspaces/{ws}/messages/{message_id}/status", status_code=200)
    async def message_status(ws: str, message_id: str, request: Request) -> Response:
        """The SMS/push provider's delivery status callback, signed with the provider secret
        (``X-Frontoffice-Signature: sha256=<HMAC of the body>``; no API token)."""
        secret = c.settings.message_provider_secret
        raw = await request.body()
        if not secret:
            return error(409, "no_provider", "No SMS/push provider is configured here "
                                             "(message_provider_url, message_provider_secret).")
        if not provider.verify(secret, raw, request.headers.get(provider.SIGNATURE_HEADER)):
            return error(401, "bad_signature", "The X-Frontoffice-Signature header is missing or does not "
                                               "match the body signed with the provider secret.")
        try:
            doc = orjson.loads(raw)
        except orjson.JSONDecodeError:
            return error(400, "invalid_json", 'The body is not JSON; send {"status": ..., "detail": ...}.')
        found = await run_in_threadpool(provider.apply_status, stores(ws).store, ws, message_id, doc)
        return Response(orjson.dumps(found), media_type="application/json")

    return router
