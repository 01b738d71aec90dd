"""Person-level consent: a merged person's consent per purpose (over all their subjects) and the
conflicts the merge found, each with the record that won and why."""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated

from fastapi import APIRouter
from pydantic import BaseModel, Field

from frontoffice.api.access import require
from frontoffice.api.schemas import error_responses
from frontoffice.bootstrap import Container
from frontoffice.consent.person_service import person_consent
from frontoffice.consent.ports import ConflictRow
from frontoffice.domain.tenancy import Scope, Workspace
from frontoffice.identity.service import require_person

Reader = Annotated[Workspace, require(Scope.EVENTS_READ)]
_ERRORS = error_responses(
    {
        401: "Missing or unknown API token.",
        403: "The token lacks `events:read`, is disabled, or belongs to another workspace.",
        404: "No such workspace or person.",
    }
)


class PersonPurposeOut(BaseModel):
    purpose: str
    status: str
    subject: str = Field(description="The subject whose own record decides the person's consent.")
    change_id: str
    at: str
    method: str
    explicit: bool
    reason: str = Field(description="Why this record won over the person's other subjects.")


class PersonConsentOut(BaseModel):
    person_id: str
    subjects: list[str] = Field(description="Subject keys of the person that consent can be recorded for.")
    purposes: list[PersonPurposeOut]
    conflicts: list[ConflictRow] = Field(description="Where two subjects of the person disagree, "
                                                        "which record was kept and why.")


def consent_people_router(c: Container) -> APIRouter:
    # a located workspace's people and consent are in its storage: one set of hubs per storage
    identities, consents, peoples = c.hubs.identity, c.hubs.consent, c.hubs.person_consent
    router = APIRouter(
        prefix="/api/v1/workspaces/{ws}/consent/people", tags=["admin", "consent"], responses=_ERRORS
    )

    @router.get("/{person_id}", response_model=PersonConsentOut)
    def show(workspace: Reader, person_id: str) -> PersonConsentOut:
        """A person's consent per purpose after merging: the most restrictive record of their subjects,
        unless a newer explicit grant exists; with every conflict found. An old person id follows
        its merge."""
        identities(workspace.id).catch_up(workspace.id)
        consents(workspace.id).catch_up(workspace.id)
        peoples(workspace.id).catch_up(workspace.id)
        data = c.store_for(workspace.id)
        view = person_consent(data, workspace.id, require_person(data, workspace.id, person_id))
        return PersonConsentOut(
            person_id=view.person_id,
            subjects=list(view.subjects),
            purposes=[PersonPurposeOut(**asdict(p)) for p in view.purposes],
            conflicts=list(view.conflicts),
        )

    return router
