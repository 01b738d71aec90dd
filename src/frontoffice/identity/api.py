"""People API: golden records, lookups by any identifier, timeline, identity graph, history,
and person decisions (split, merge). The projection itself is kept up by the worker process
(frontoffice.worker), not by the API.
"""

from __future__ import annotations

from typing import Annotated, Any

import orjson
from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from frontoffice.api.access import require
from frontoffice.api.schemas import ErrorBody, EventOut
from frontoffice.bootstrap import Container
from frontoffice.domain.tenancy import Scope, Workspace
from frontoffice.identity import service as identity
from frontoffice.tenancy.tokens import ApiAuthError

Reader = Annotated[Workspace, require(Scope.EVENTS_READ)]
IdentityAdmin = Annotated[Workspace, require(Scope.IDENTITY_ADMIN)]
_ERRORS: dict[int | str, dict[str, Any]] = {
    code: {"model": ErrorBody, "description": text}
    for code, text in {
        400: "Invalid input: the message says which field and why.",
        401: "Missing or unknown API token.",
        403: "The token lacks the scope, is disabled, or belongs to another workspace.",
        404: "No such workspace or person.",
        422: "A parameter or body field has the wrong type or range.",
    }.items()
}


class IdentifierOut(BaseModel):
    kind: str
    value: str


class RecordOut(BaseModel):
    record_id: str
    source_id: str
    seq: int
    observed_at: str


class PersonCommerceOut(BaseModel):
    """Computed on read from the commerce projection (``frontoffice.commerce.traits``)."""

    customer_keys: list[str] = Field(description="The commerce customer keys the person's "
                                     "identifiers map to; an order reachable by several counts once.")
    order_count: int = Field(description="Orders not cancelled.")
    lifetime_value: dict[str, float] = Field(description="Per currency, net of refunds.")
    units_bought: int
    return_rate: float = Field(description="Units returned / units bought.")
    return_reasons: dict[str, int]
    kept_sizes: dict[str, str] = Field(description="The most kept size per category.")
    preferred_store: str | None
    preferred_fulfilment: str | None
    late_deliveries: int
    failed_deliveries: int
    active_subscriptions: list[str]


class PersonOut(BaseModel):
    person_id: str = Field(description="The live id; an old id of a merged person redirects here.")
    requested_id: str
    record_count: int
    first_seen: str
    last_seen: str
    traits: dict[str, Any] = Field(description="Golden traits: value, rule and provenance each.")
    identifiers: list[IdentifierOut]
    records: list[RecordOut]
    commerce: PersonCommerceOut = Field(description="Commerce traits through all the person's "
                                        "emails, phones, logins and marketplace buyer ids.")


class LookupOut(BaseModel):
    kind: str
    value: str
    person_ids: list[str]


class GraphOut(BaseModel):
    person_id: str
    nodes: list[dict[str, Any]]
    edges: list[dict[str, Any]]
    decisions: list[dict[str, Any]]


class HistoryOut(BaseModel):
    person_id: str
    entries: list[dict[str, Any]]


class TimelineOut(BaseModel):
    person_id: str
    events: list[EventOut]


class SplitIn(BaseModel):
    records: list[Annotated[str, Field(min_length=1, max_length=600)]] = Field(
        min_length=1, max_length=10_000, description="Record ids to split off the person.")
    reason: str = Field(default="", max_length=1000)


class MergeIn(BaseModel):
    other_person_id: str = Field(min_length=1, max_length=200)
    reason: str = Field(default="", max_length=1000)


class DecisionOut(BaseModel):
    person_ids: list[str]


def _clean(text: str) -> str:
    if "\x00" in text:
        raise ApiAuthError(404, "not_found", "Not found.")
    return text


def identity_router(c: Container) -> APIRouter:
    hubs = c.hubs.identity  # a located workspace's people are in its storage

    router = APIRouter(prefix="/api/v1/workspaces/{ws}/people", tags=["admin", "identity"],
                       responses=_ERRORS)

    @router.get("/lookup", response_model=LookupOut)
    def lookup(workspace: Reader, kind: Annotated[str, Query(max_length=40)],
               value: Annotated[str, Query(min_length=1, max_length=600)],
               country: Annotated[str | None, Query(pattern="^[A-Za-z]{2}$")] = None) -> LookupOut:
        """People holding an identifier (normalised as resolution does: email case, phone E.164)."""
        found = identity.lookup(c.store_for(workspace.id), workspace.id, _clean(kind), _clean(value), country)
        return LookupOut(kind=kind, value=value, person_ids=found)

    @router.get("/{person_id}", response_model=PersonOut)
    def person(workspace: Reader, person_id: str) -> PersonOut:
        """The golden record: traits with provenance, identifiers, records and commerce traits."""
        data = c.store_for(workspace.id)
        return PersonOut.model_validate(identity.profile(data, workspace.id, _clean(person_id)))

    @router.get("/{person_id}/events", response_model=TimelineOut)
    def timeline(workspace: Reader, person_id: str,
                 limit: Annotated[int, Query(ge=1, le=10_000)] = 1000) -> TimelineOut:
        """The person's events across every channel, oldest first (the latest ``limit``)."""
        pid, rows = identity.timeline(c.store_for(workspace.id), workspace.id, _clean(person_id), limit)
        return TimelineOut(person_id=pid, events=[
            EventOut(seq=r.seq, source_id=r.source_id, message_id=r.record.message_id,
                     family=r.record.family, type=r.record.type, event=r.record.event,
                     user_id=r.record.user_id, anonymous_id=r.record.anonymous_id,
                     timestamp=r.record.timestamp, received_at=r.record.received_at,
                     payload=orjson.loads(r.record.payload)) for r in rows])

    @router.get("/{person_id}/graph", response_model=GraphOut)
    def graph(workspace: Reader, person_id: str) -> GraphOut:
        """Records and identifiers as nodes; which identifiers merge; merge evidence."""
        data = c.store_for(workspace.id)
        return GraphOut.model_validate(identity.identity_graph(data, workspace.id, _clean(person_id)))

    @router.get("/{person_id}/history", response_model=HistoryOut)
    def history(workspace: Reader, person_id: str) -> HistoryOut:
        """Merges, splits and blocked merges of this person, each with its evidence."""
        data = c.store_for(workspace.id)
        pid = identity.require_person(data, workspace.id, _clean(person_id))
        return HistoryOut(person_id=pid, entries=identity.history(data, workspace.id, pid))

    @router.post("/{person_id}/split", response_model=DecisionOut)
    def split(workspace: IdentityAdmin, person_id: str, body: SplitIn) -> DecisionOut:
        """Split records off a person; they never rejoin the rest automatically."""
        pids = identity.split(c.store_for(workspace.id), hubs(workspace.id), workspace.id, _clean(person_id),
                              [_clean(r) for r in body.records], body.reason)
        return DecisionOut(person_ids=pids)

    @router.post("/{person_id}/merge", response_model=DecisionOut)
    def merge(workspace: IdentityAdmin, person_id: str, body: MergeIn) -> DecisionOut:
        """Merge another person into this one (a person's decision, remembered on rebuild)."""
        pid = identity.merge(c.store_for(workspace.id), hubs(workspace.id), workspace.id, _clean(person_id),
                             _clean(body.other_person_id), body.reason)
        return DecisionOut(person_ids=[pid])

    return router

