"""Segments' HTTP API: computed traits and segments as data (versioned), a preview before
saving, members, the batch run and its agreement with real time, and a person's memberships."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Query
from fastapi.responses import Response

from frontoffice.api.access import require
from frontoffice.api.schemas import error_responses
from frontoffice.bootstrap import Container
from frontoffice.domain.events import iso, now
from frontoffice.domain.tenancy import Scope, Workspace
from frontoffice.segments import moments_service, service
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

    @router.get("/people/{person_id}/segments")
    def person(workspace: Reader, person_id: str) -> dict[str, Any]:
        """A person's computed traits (explained), segments and membership history."""
        return dict(service.person(stores(workspace.id), workspace.id, person_id))

    return router
