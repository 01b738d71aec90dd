"""Identity resolution as a client sees it run: status, records, the matcher's merges, and a
micro-batch of matching on demand (``/api/v1/workspaces/{ws}/identity/...``)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from frontoffice.api.access import require
from frontoffice.api.schemas import error_responses
from frontoffice.bootstrap import Container
from frontoffice.domain.tenancy import Scope, Workspace
from frontoffice.identity import progress

Reader = Annotated[Workspace, require(Scope.EVENTS_READ)]
IdentityAdmin = Annotated[Workspace, require(Scope.IDENTITY_ADMIN)]
After = Annotated[int, Query(ge=0, le=2**62, description="The last seq already read.")]
Limit = Annotated[int, Query(ge=1, le=1000)]
_ERRORS = error_responses({
    400: "Invalid input, or the matcher cannot run yet (the message says why and what to do).",
    401: "Missing or unknown API token.",
    403: "The token lacks the scope, is disabled, or belongs to another workspace.",
    404: "No such workspace.",
    422: "A parameter or body field has the wrong type or range.",
})


class StatusOut(BaseModel):
    log_seq: int = Field(description="The newest event of the workspace's log.")
    resolved_seq: int = Field(description="The newest event identity resolution has read; "
                              "resolution has caught up when it equals log_seq.")
    people: int
    records: int
    review_pending: int = Field(description="Pairs waiting in the review queue.")
    model_trained_at: str | None = Field(description="When the matching model was trained; null: "
                                         "not yet.")


class RecordOut(BaseModel):
    record_id: str
    seq: int
    person_id: str
    given_name: str | None
    family_name: str | None


class RecordPage(BaseModel):
    items: list[RecordOut]
    next_after: int | None = Field(description="Pass as ?after= for the next page; null at the end.")


class MatchOut(BaseModel):
    record_a: str
    record_b: str
    rule: str = Field(description='"probabilistic" (the model) or "namesake" (a rare name shared '
                      'by two people only).')
    detail: str = Field(description="The evidence: match weight and the comparisons behind it.")
    weight: float | None
    probability: float | None
    person_id: str | None = Field(description="The person both records belong to now.")


class MatchPage(BaseModel):
    items: list[MatchOut]
    next_after: int | None = Field(description="Pass as ?after= for the next page; null at the end.")


class MatchIn(BaseModel):
    rescore_all: bool = Field(default=False, description="Score every record without a login "
                              "again, not only those that arrived since the last run.")


class MatchReportOut(BaseModel):
    candidates: int = Field(description="Records without a login that were scored.")
    against: int = Field(description="Distinct known records they were scored against.")
    pairs: int = Field(description="Scored pairs at or above the review threshold.")
    merged: int
    queued: int = Field(description="Pairs sent to the review queue.")
    namesakes: int = Field(description="Joins the namesake pass made.")
    trained: bool = Field(description="Whether the model was trained by this run (first run).")
    seconds: float
    note: str = Field(description="Why nothing was scored, when nothing was.")


def identity_status_router(c: Container) -> APIRouter:
    hubs = c.hubs.identity  # a located workspace's people are in its storage
    router = APIRouter(prefix="/api/v1/workspaces/{ws}/identity", tags=["admin", "identity"],
                       responses=_ERRORS)

    @router.get("/status", response_model=StatusOut)
    def status(workspace: Reader) -> StatusOut:
        """How far identity resolution has read the log, and what it holds."""
        return StatusOut.model_validate(progress.status(c.store_for(workspace.id), workspace.id),
                                        from_attributes=True)

    @router.get("/records", response_model=RecordPage)
    def records(workspace: Reader, after: After = 0, limit: Limit = 500) -> RecordPage:
        """The records identity placed, in log order, with their person and the name they carry."""
        rows = progress.records(c.store_for(workspace.id), workspace.id, after, limit)
        return RecordPage(items=[RecordOut.model_validate(r) for r in rows],
                          next_after=rows[-1]["seq"] if len(rows) == limit else None)

    @router.get("/matches", response_model=MatchPage)
    def matches(workspace: Reader, after: After = 0, limit: Limit = 500) -> MatchPage:
        """The merges the matcher decided, oldest first, with their evidence. ``limit`` counts the
        identity decisions read (merges, reviews, splits), so a page may hold fewer merges."""
        rows, more = progress.matches(c.store_for(workspace.id), workspace.id, after, limit)
        return MatchPage(items=[MatchOut.model_validate(r) for r in rows], next_after=more)

    @router.post("/match", response_model=MatchReportOut)
    def match(workspace: IdentityAdmin, body: MatchIn | None = None) -> MatchReportOut:
        """Run one micro-batch of probabilistic matching now (the worker runs one within its
        interval once the log is quiet); the first run trains the model."""
        report = progress.match_now(hubs(workspace.id), workspace.id,
                                    body.rescore_all if body else False)
        return MatchReportOut.model_validate(report)

    return router
