"""Identity review queue ("possibly the same person") and the people change feed.

Accepting merges the two people; rejecting remembers "never merge these records automatically".
Both are events of the log (family ``identity``), so a rebuild of the projection keeps them.
"""

from __future__ import annotations

import math
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query
from pydantic import BaseModel, Field

from frontoffice.api.access import Caller, require
from frontoffice.api.schemas import error_responses
from frontoffice.bootstrap import Container
from frontoffice.domain.tenancy import ApiToken, Scope, Workspace
from frontoffice.identity import review_service as identity_review
from frontoffice.services import identity_review_bulk as review_bulk
from frontoffice.services.identity import IdentityHub

Reader = Annotated[Workspace, require(Scope.EVENTS_READ)]
IdentityAdmin = Annotated[Workspace, require(Scope.IDENTITY_ADMIN)]
Cursor = Annotated[int, Query(ge=0, le=2**62, description="The last id already read.")]
ReviewId = Annotated[int, Path(ge=1, le=2**62)]
_ERRORS = error_responses({
    400: "Invalid input: the message says which parameter and why.",
    401: "Missing or unknown API token.",
    403: "The token lacks the scope, is disabled, or belongs to another workspace.",
    404: "No such workspace or review.",
    409: "The review was already decided (the message says how, by whom and when).",
    422: "A parameter or body field has the wrong type or range.",
})


class ReviewOut(BaseModel):
    id: int = Field(description="Queue position; page with ?after=<last id>.")
    records: list[str] = Field(description="The two records the model compared.")
    person_ids: list[str] = Field(description="Their people when the pair was queued.")
    current_person_ids: list[str | None] = Field(description="Their people now.")
    match_weight: float = Field(description="Splink match weight (log2 Bayes factor, prior included).")
    match_probability: float
    explanation: str = Field(description='e.g. "match weight 9.3 from given name (exact as written), '
                             'birth date (exact); against: postcode (different)".')
    sides: list[dict[str, Any]] = Field(description="Key attributes of each record: names, birth "
                                        "date, street, postcode, city, country, email, phone.")
    status: Literal["pending", "accepted", "rejected"]
    created_at: str
    decided_at: str | None
    decided_by: str | None


class ReviewPage(BaseModel):
    items: list[ReviewOut]
    next_after: int | None = Field(description="Pass as ?after= for the next page; null at the end.")


class DecisionIn(BaseModel):
    reason: str = Field(default="", max_length=1000, description="Kept with the decision.")


class RankedPage(BaseModel):
    total: int = Field(description="Pending pairs in the weight range.")
    items: list[ReviewOut] = Field(description="Strongest first; page with ?offset=.")


class BulkIn(BaseModel):
    action: Literal["accept", "reject"]
    min_weight: float | None = Field(default=None, description="Lowest match weight (inclusive).")
    max_weight: float | None = Field(default=None, description="Highest match weight (exclusive).")
    apply: bool = Field(default=False, description="false: only say what would change.")
    reason: str = Field(default="", max_length=1000, description="Kept with each decision.")


class BulkOut(BaseModel):
    action: Literal["accept", "reject"]
    decided: bool = Field(description="Whether the pairs were decided (apply) or only previewed.")
    pending: int = Field(description="Pending pairs in the queue before: selected + outside.")
    selected: int = Field(description="Pending pairs in the range (accept: joins + already_together).")
    outside: int
    joins: int
    already_together: int
    people_before: int
    people_after: int
    lowest: float | None
    highest: float | None
    review_ids: list[int]


class ChangeOut(BaseModel):
    id: int = Field(description="Cursor: pass the last id read as ?after=.")
    type: Literal["person.merged", "person.split", "person.updated"]
    person_id: str
    payload: dict[str, Any] = Field(description="See docs/identity-review.md for each type's payload.")
    created_at: str


class ChangePage(BaseModel):
    changes: list[ChangeOut]
    next_after: int = Field(description="The cursor to continue from (unchanged when nothing new).")


def _range(low: float | None, high: float | None) -> review_bulk.WeightRange:
    return review_bulk.WeightRange(-math.inf if low is None else low, math.inf if high is None else high)


def identity_review_router(c: Container) -> APIRouter:
    hubs = c.per_store(IdentityHub)  # a located workspace's queue and people are in its storage
    router = APIRouter(prefix="/api/v1/workspaces/{ws}/identity", tags=["admin", "identity"],
                       responses=_ERRORS)

    @router.get("/review", response_model=ReviewPage)
    def review(workspace: Reader,
               status: Annotated[Literal["pending", "accepted", "rejected"] | None, Query()] = "pending",
               after: Cursor = 0,
               limit: Annotated[int, Query(ge=1, le=identity_review.MAX_PAGE)] = 50) -> ReviewPage:
        """Pairs the model found possibly the same person, oldest first, with the explanation."""
        items = identity_review.review_items(c.store_for(workspace.id), workspace.id, status, after, limit)
        return ReviewPage(items=[ReviewOut.model_validate(i) for i in items],
                          next_after=items[-1]["id"] if len(items) == limit else None)

    @router.get("/review/by-weight", response_model=RankedPage)
    def by_weight(workspace: Reader, min_weight: float | None = None, max_weight: float | None = None,
                  offset: Annotated[int, Query(ge=0)] = 0,
                  limit: Annotated[int, Query(ge=1, le=identity_review.MAX_PAGE)] = 50) -> RankedPage:
        """Pending pairs in a weight range, strongest first, with how many there are."""
        total, items = review_bulk.by_weight(c.store_for(workspace.id), workspace.id,
                                             weights=_range(min_weight, max_weight), offset=offset,
                                             limit=limit)
        return RankedPage(total=total, items=[ReviewOut.model_validate(i) for i in items])

    @router.post("/review/bulk", response_model=BulkOut)
    def bulk(workspace: IdentityAdmin, token: Caller, body: BulkIn) -> BulkOut:
        """Accept or reject every pending pair in a weight range; with ``apply`` false (the
        default), only what would change."""
        store, weights, accept = c.store_for(workspace.id), _range(body.min_weight, body.max_weight), \
            body.action == "accept"
        plan = (review_bulk.decide_range(store, hubs(workspace.id), workspace.id, accept, weights,
                                         f"token {token.name} ({token.id})", body.reason)
                if body.apply else review_bulk.preview(store, workspace.id, accept, weights))
        return BulkOut(decided=body.apply, **plan.as_dict())

    def decide(workspace: Workspace, token: ApiToken, review_id: int, accept: bool,
               body: DecisionIn | None) -> ReviewOut:
        item = identity_review.decide(c.store_for(workspace.id), hubs(workspace.id), workspace.id,
                                      review_id, accept,
                                      f"token {token.name} ({token.id})", body.reason if body else "")
        return ReviewOut.model_validate(item)

    @router.post("/review/{review_id}/accept", response_model=ReviewOut)
    def accept(workspace: IdentityAdmin, token: Caller, review_id: ReviewId,
               body: DecisionIn | None = None) -> ReviewOut:
        """The same person: merge the two people (reason: "accepted by <token> from review <id>, …")."""
        return decide(workspace, token, review_id, True, body)

    @router.post("/review/{review_id}/reject", response_model=ReviewOut)
    def reject(workspace: IdentityAdmin, token: Caller, review_id: ReviewId,
               body: DecisionIn | None = None) -> ReviewOut:
        """Not the same person: these two records never merge automatically again, whichever tier
        proposes it (a shared email included), also after a rebuild."""
        return decide(workspace, token, review_id, False, body)

    @router.get("/changes", response_model=ChangePage)
    def changes(workspace: Reader, after: Cursor = 0,
                limit: Annotated[int, Query(ge=1, le=identity_review.MAX_PAGE)] = 100) -> ChangePage:
        """``person.merged``, ``person.split`` and ``person.updated`` in the order they happened."""
        rows = identity_review.changes(c.store_for(workspace.id), workspace.id, after, limit)
        return ChangePage(changes=[ChangeOut.model_validate(r) for r in rows],
                          next_after=rows[-1]["id"] if rows else after)

    return router
