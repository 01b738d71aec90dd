"""Consent API: record consent (purposes, TC or GPP string) with its proof, show a subject's
consent with history, and the policy check. The worker process (frontoffice.worker) keeps the
projection up with the log; reads here catch up first.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from pydantic import AliasChoices, BaseModel, Field

from frontoffice.api.access import Caller, require
from frontoffice.api.jsonresponse import error
from frontoffice.api.schemas import error_responses
from frontoffice.bootstrap import Container
from frontoffice.consent.errors import ConsentStringError
from frontoffice.consent.ledger import ConsentChange
from frontoffice.domain.events import now
from frontoffice.domain.tenancy import Scope, Workspace
from frontoffice.services import consent

ConsentWriter = Annotated[Workspace, require(Scope.CONSENT_WRITE)]
Reader = Annotated[Workspace, require(Scope.EVENTS_READ)]
Subject = Annotated[str, Field(min_length=3, max_length=600, description="kind:value, e.g. user_id:cus_1")]
_ERRORS = error_responses({
    400: "Invalid input; a rejected TC/GPP string says why (`reason`) and where (`bit`). "
         "Nothing is recorded.",
    401: "Missing or unknown API token.",
    403: "The token lacks the scope (`consent:write` to record, `events:read` to read), is disabled, "
         "or belongs to another workspace.",
    404: "No such workspace.",
    422: "A parameter or body field has the wrong type or range.",
})


class ConsentIn(BaseModel):
    subject: Subject
    purposes: dict[str, Literal["granted", "denied", "withdrawn"] | bool] | None = Field(
        default=None, description="Purpose → granted / denied / withdrawn (or true / false).")
    tc_string: str | None = Field(default=None, max_length=20_000,
                                  validation_alias=AliasChoices("tcString", "tc_string"))
    gpp_string: str | None = Field(default=None, max_length=20_000,
                                   validation_alias=AliasChoices("gppString", "gpp_string"))
    method: Literal["api", "banner"] = "api"
    explicit: bool = Field(default=False, description="Given as a separate, explicit consent.")
    notice_version: str | None = Field(default=None, max_length=200,
                                       description="The notice or policy version the person was shown.")
    source: str = Field(default="api", min_length=1, max_length=200,
                        description="Where it was captured, e.g. web-banner, call-centre.")
    at: datetime | None = Field(default=None, description="When the person gave it; default: now.")
    ip: str | None = Field(default=None, max_length=100,
                           description="The person's IP when relayed by a backend; default: the caller's. "
                                       "Only its salted hash is kept.")
    user_agent: str | None = Field(default=None, max_length=2000,
                                   description="The person's user agent; default: the caller's. Hashed.")


class ChangeOut(BaseModel):
    change_id: str
    seq: int | None = Field(description="Event-log seq the change was projected from.")
    purpose: str
    status: str
    at: str
    source: str
    method: str
    notice_version: str | None
    raw: str | None
    ip_hash: str | None
    user_agent_hash: str | None
    explicit: bool


class PurposeOut(BaseModel):
    purpose: str
    status: str
    current: ChangeOut
    history: list[ChangeOut]


class RegionOut(BaseModel):
    region: str
    source: str | None
    reason: str


class SubjectOut(BaseModel):
    subject: str
    known: bool = Field(description="Whether the log mentions this subject at all.")
    region: RegionOut
    purposes: list[PurposeOut]


class RecordedOut(SubjectOut):
    captured: list[str] = Field(description="Ids of the changes written to the log by this request.")


class CheckOut(BaseModel):
    subject: str
    purpose: str
    channel: str
    allowed: bool
    reason: str
    rule: str
    region: RegionOut


def _change(c: ConsentChange, view: consent.SubjectConsent) -> ChangeOut:
    return ChangeOut(change_id=c.change_id, seq=view.seq_of(c.change_id), purpose=c.purpose, status=c.status,
                     at=c.at.isoformat(), source=c.source, method=c.method, notice_version=c.notice_version,
                     raw=c.raw, ip_hash=c.ip_hash, user_agent_hash=c.user_agent_hash, explicit=c.explicit)


def subject_out(view: consent.SubjectConsent) -> SubjectOut:
    return SubjectOut(
        subject=view.subject, known=view.known,
        region=RegionOut(region=view.region.region, source=view.region.source, reason=view.region.reason),
        purposes=[PurposeOut(purpose=p, status=c.status, current=_change(c, view),
                             history=[_change(h, view) for h in view.state.history.get(p, ())])
                  for p, c in sorted(view.state.current.items())])


def consent_router(c: Container) -> APIRouter:
    hubs = c.per_store(consent.ConsentHub)  # a located workspace's consent is in its storage

    router = APIRouter(prefix="/api/v1/workspaces/{ws}/consent", tags=["admin", "consent"],
                       responses=_ERRORS)

    @router.post("", response_model=RecordedOut)
    def record(workspace: ConsentWriter, body: ConsentIn, request: Request,
               token: Caller) -> RecordedOut | Response:
        """Record consent with its proof: written to the event log (one event per change), then
        projected into the ledger. TC/GPP strings are decoded strictly; a rejected one records nothing."""
        capture = consent.Capture(
            subject=body.subject, purposes=body.purposes, tc_string=body.tc_string,
            gpp_string=body.gpp_string, method=body.method, explicit=body.explicit,
            notice_version=body.notice_version, source=body.source,
            at=body.at, ip=body.ip or (request.client.host if request.client else None),
            user_agent=body.user_agent or request.headers.get("user-agent"), token_id=token.id)
        data = c.store_for(workspace.id)
        try:
            records = consent.prepare(data, workspace.id, capture, now())
        except ConsentStringError as exc:
            return error(400, exc.code, str(exc), reason=exc.reason, bit=exc.bit)
        consent.append(data, hubs(workspace.id), workspace.id, records)
        view = consent.subject_consent(data, workspace.id, body.subject)
        return RecordedOut(**subject_out(view).model_dump(), captured=[r.message_id for r in records])

    @router.get("/check", response_model=CheckOut)
    def check(workspace: Reader, subject: Annotated[str, Query(min_length=3, max_length=600)],
              purpose: Annotated[str, Query(min_length=1, max_length=100)],
              channel: Annotated[str, Query(min_length=1, max_length=100)]) -> CheckOut:
        """May `purpose` be used on `channel` for this subject now? Fails closed, with the reason and rule.
        The region comes from what the log says about the subject (unknown: the strictest pack)."""
        hubs(workspace.id).catch_up(workspace.id)
        result = consent.check(c.store_for(workspace.id), workspace.id, subject, purpose, channel, now())
        r = result.region
        d = result.decision
        return CheckOut(subject=result.subject, purpose=purpose, channel=channel,
                        allowed=d.allowed, reason=d.reason, rule=d.rule,
                        region=RegionOut(region=r.region, source=r.source, reason=r.reason))

    @router.get("/{subject}", response_model=SubjectOut)
    def show(workspace: Reader, subject: str) -> SubjectOut:
        """Current consent per purpose, each with its full history and proof, and the subject's region."""
        hubs(workspace.id).catch_up(workspace.id)
        return subject_out(consent.subject_consent(c.store_for(workspace.id), workspace.id, subject))

    return router

