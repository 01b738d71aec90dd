"""Privacy API: erase a person (crypto-shredding) and read the erasure log.

The DSR workflow calls :func:`frontoffice.privacy.erasure.erase_person` itself once a request is
verified; this endpoint is the administrator's direct path (a court order, a support case).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from frontoffice.api.access import Caller, require
from frontoffice.api.schemas import error_responses
from frontoffice.bootstrap import Container
from frontoffice.domain.events import now
from frontoffice.domain.tenancy import Scope, Workspace
from frontoffice.privacy.erasure import erase_person, erasures

PrivacyAdmin = Annotated[Workspace, require(Scope.PRIVACY_ADMIN)]
_ERRORS = error_responses({
    400: "The body is not valid JSON.",
    401: "Missing or unknown API token.",
    403: "The token lacks the `privacy:admin` scope, is disabled, or belongs to another workspace.",
    404: "No such workspace or person.",
    422: "A parameter or body field has the wrong type or range.",
})


class ErasureIn(BaseModel):
    reason: str = Field(min_length=3, max_length=500,
                        description="Why (kept in the erasure log; write no personal data here).")


class ErasureOut(BaseModel):
    erasure_id: str
    person_id: str
    subjects_shredded: int = Field(description="Subject keys deleted (userIds, anonymousIds, e-mails...).")
    events_shredded: int = Field(description="Events of the log that now read as erased tombstones.")
    rows_purged: dict[str, int] = Field(description="Projection rows deleted, per table.")
    suppressed_identifiers: int = Field(description="Hashed identifiers added to the suppression list.")
    completed_at: str
    scrub_steps: list[str] = Field(description="What was run so no old copy stays in the files.")
    warnings: list[str] = Field(description="Server settings that let old copies survive (fix them, "
                                            "then run `frontoffice privacy scrub`).")


class ErasureLogOut(BaseModel):
    erasure_id: str
    person_id: str
    reason: str
    requested_by: str
    subjects_shredded: int
    rows_purged: dict[str, int]
    suppressed_identifiers: int
    requested_at: str
    completed_at: str


def privacy_router(c: Container) -> APIRouter:
    router = APIRouter(prefix="/api/v1/workspaces/{ws}", tags=["admin", "privacy"], responses=_ERRORS)

    @router.post("/persons/{person_id}/erasure", response_model=ErasureOut)
    def erase(workspace: PrivacyAdmin, token: Caller, person_id: str, body: ErasureIn) -> ErasureOut:
        """Erase a person now: their subject keys are deleted (every event of theirs reads as an
        erased tombstone), they leave every projection, their identifiers go on the suppression
        list (late events and re-imports are dropped), and the database files are scrubbed."""
        data = c.store_for(workspace.id)  # data residency: where the person's data lives
        identities = c.hubs.identity(workspace.id)
        identities.catch_up(workspace.id)  # identifiers seen up to now are all found
        report = erase_person(data, workspace.id, person_id, people=identities.people, reason=body.reason,
                              requested_by=f"token:{token.id}", now=now())
        return ErasureOut.model_validate(report.as_dict())

    @router.get("/erasures", response_model=list[ErasureLogOut])
    def log(workspace: PrivacyAdmin,
            limit: Annotated[int, Query(ge=1, le=1000)] = 100) -> list[ErasureLogOut]:
        """The erasure log, newest first: ids, reason, counts — never personal data."""
        return [ErasureLogOut.model_validate(e)
                for e in erasures(c.store_for(workspace.id), workspace.id, limit)]

    return router
