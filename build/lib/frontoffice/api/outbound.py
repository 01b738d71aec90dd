"""Outbound API: webhook destinations (admin), decisions and messages — each through the consent gate.

Destinations need ``destinations:admin``; decisions and messages need ``outbound:write``. The
projections are caught up before a decision or a message is judged, so the gate sees the
latest consent and identity.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter
from fastapi.responses import Response
from pydantic import BaseModel, Field

from frontoffice.api.access import require
from frontoffice.api.jsonresponse import error
from frontoffice.api.schemas import error_responses
from frontoffice.bootstrap import Container
from frontoffice.destinations.address import allowed_hosts, check_new
from frontoffice.destinations.store import DEFAULT_MAX_ATTEMPTS, DestinationStore
from frontoffice.domain.events import now
from frontoffice.domain.tenancy import Scope, Status, Workspace
from frontoffice.outbound import service
from frontoffice.outbound.gate import Verdict
from frontoffice.services.consent import ConsentHub
from frontoffice.services.identity import IdentityHub
from frontoffice.storage.sql import SqlStore

DestinationsAdmin = Annotated[Workspace, require(Scope.DESTINATIONS_ADMIN)]
OutboundWriter = Annotated[Workspace, require(Scope.OUTBOUND_WRITE)]
NO_NUL = r"^[^\x00]*$"
Name = Annotated[str, Field(min_length=1, max_length=100, pattern=NO_NUL)]
Person = Annotated[str, Field(min_length=1, max_length=600, pattern=NO_NUL,
                              description="A person id, or any identifier kind:value such as "
                                          "email:ann@example.com")]
_ERRORS = error_responses({
    400: "Invalid input (URL, purpose, filter), with what to send instead.",
    401: "Missing or unknown API token.",
    403: "The token lacks the scope (`destinations:admin`, `outbound:write`), or belongs to another "
         "workspace; for a message, also: the consent gate refused it (`code` consent_refused or "
         "no_channel_identifier, with `reason` and `rule`).",
    404: "No such workspace or destination.",
    409: "A destination with that name exists.",
    422: "A parameter or body field has the wrong type or range.",
})


class DestinationIn(BaseModel):
    name: Annotated[str, Field(min_length=1, max_length=63, pattern=NO_NUL)]
    url: Annotated[str, Field(min_length=8, max_length=2000, pattern=NO_NUL)]
    purpose: Name = Field(description="What the receiver uses the data for; must cover the webhook channel.")
    event_types: list[Name] = Field(default_factory=list, description="Only these types (track, identify…).")
    event_names: list[Name] = Field(default_factory=list, description="Only track events with these names.")
    max_attempts: int = Field(default=DEFAULT_MAX_ATTEMPTS, ge=1, le=50)


class DestinationOut(BaseModel):
    id: str
    name: str
    url: str
    purpose: str
    event_types: list[str]
    event_names: list[str]
    status: str
    max_attempts: int
    cursor_seq: int
    created_at: str


class CreatedDestination(DestinationOut):
    secret: str = Field(description="HMAC-SHA256 signing secret; shown once. Verify the "
                                    "X-Frontoffice-Signature header (sha256=<hex>) with it.")


class CandidateIn(BaseModel):
    action: Name
    purpose: Name
    channel: Name


class DecisionIn(BaseModel):
    person: Person
    actions: Annotated[list[CandidateIn], Field(min_length=1, max_length=100)]


class VerdictOut(BaseModel):
    action: str
    purpose: str
    channel: str
    reason: str
    rule: str


class DecisionOut(BaseModel):
    decision_id: str
    person: str
    region: str
    allowed: list[VerdictOut]
    refused: list[VerdictOut]


class MessageIn(BaseModel):
    person: Person
    channel: Literal["email", "sms", "push"]
    purpose: Name = Field(description="marketing_email/sms/push, or essential for transactional messages.")
    template_id: Name
    variables: dict[str, Any] = Field(default_factory=dict)
    message_id: Annotated[str, Field(min_length=1, max_length=200, pattern=NO_NUL)] | None = Field(
        default=None, description="Idempotency key; the same id is queued once.")


class MessageOut(BaseModel):
    message_id: str
    status: Literal["queued", "duplicate"]
    person: str
    address: str | None
    reason: str
    rule: str


def _verdict_out(c: service.Candidate, v: Verdict) -> VerdictOut:
    return VerdictOut(action=c.action, purpose=c.purpose, channel=c.channel, reason=v.reason, rule=v.rule)


def outbound_router(c: Container) -> APIRouter:
    # a located workspace's destinations, people, consent and outbox are in its storage
    identities, consents = c.per_store(IdentityHub), c.per_store(ConsentHub)
    router = APIRouter(prefix="/api/v1/workspaces/{ws}", tags=["admin", "outbound"], responses=_ERRORS)

    def destinations(ws_id: str) -> DestinationStore:
        return DestinationStore(c.store_for(ws_id))

    def fresh(ws_id: str) -> SqlStore:
        """The workspace's storage, with its people and consent caught up."""
        identities(ws_id).catch_up(ws_id)
        consents(ws_id).catch_up(ws_id)
        return c.store_for(ws_id)

    @router.post("/destinations", response_model=CreatedDestination, status_code=201)
    def create_destination(workspace: DestinationsAdmin, body: DestinationIn) -> CreatedDestination:
        """Create a webhook destination for one purpose; it starts at the current end of the log."""
        check_new(body.url, allowed_hosts(c.settings.destinations_allow_hosts))
        dest = destinations(workspace.id).create(workspace.id, body.name, body.url, body.purpose,
                                                 body.event_types, body.event_names, body.max_attempts)
        return CreatedDestination(**dest.public(), secret=dest.secret)

    @router.get("/destinations", response_model=list[DestinationOut])
    def list_destinations(workspace: DestinationsAdmin) -> list[DestinationOut]:
        """Every destination of the workspace, without secrets."""
        return [DestinationOut(**d.public()) for d in destinations(workspace.id).all(workspace.id)]

    @router.post("/destinations/{destination}/disable", response_model=DestinationOut)
    def disable_destination(workspace: DestinationsAdmin, destination: str) -> DestinationOut:
        """Stop delivering to a destination (its cursor and log are kept)."""
        return DestinationOut(**destinations(workspace.id).set_status(workspace.id, destination,
                                                                      Status.DISABLED).public())

    @router.post("/decisions", response_model=DecisionOut)
    def decide(workspace: OutboundWriter, body: DecisionIn) -> DecisionOut:
        """Split candidate actions for a person into allowed and refused, each with the consent gate's
        reason; the decision is logged with every reason."""
        store = fresh(workspace.id)
        candidates = [service.Candidate(a.action, a.purpose, a.channel) for a in body.actions]
        result = service.decide(store, workspace.id, body.person, candidates, now())
        return DecisionOut(decision_id=result.decision_id, person=result.person, region=result.region,
                           allowed=[_verdict_out(cand, v) for cand, v in result.allowed],
                           refused=[_verdict_out(cand, v) for cand, v in result.refused])

    @router.post("/messages", response_model=MessageOut, status_code=202)
    def message(workspace: OutboundWriter, body: MessageIn) -> MessageOut | Response:
        """Queue a message in the outbox only if the consent gate allows its purpose on its channel and
        the person has an identifier for the channel; otherwise 403 with the code and reason (logged)."""
        store = fresh(workspace.id)
        request = service.MessageRequest(body.person, body.channel, body.purpose, body.template_id,
                                         body.variables, body.message_id)
        result = service.send_message(store, workspace.id, request, now())
        v = result.verdict
        if result.code in ("consent_refused", "no_channel_identifier"):
            return error(403, result.code, f"Message not queued: {v.reason}", reason=v.reason, rule=v.rule,
                         message_id=result.message_id)
        return MessageOut(message_id=result.message_id, status="queued" if result.queued else "duplicate",
                          person=v.person, address=result.address, reason=v.reason, rule=v.rule)

    return router
