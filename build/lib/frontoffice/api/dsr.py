"""Data-subject request API: open, submit the token, status, list (overdue), execute, extend,
download the access artefact, audit trail.

Every endpoint needs an API token with ``dsr:admin`` on the workspace. The intake is not public on
purpose: opening a request sends a message to a person, so a public endpoint would let anyone mail
or text people at will and learn from the answer whether an identifier is known. The brand's
privacy form (its backend) or privacy team holds the token, relays the request and the code the
person received; the audit log records which token did what.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel, Field

from frontoffice.api.access import Caller, container, require
from frontoffice.api.schemas import error_responses
from frontoffice.bootstrap import Container
from frontoffice.domain.events import now
from frontoffice.domain.tenancy import Scope, Workspace
from frontoffice.dsr import service
from frontoffice.dsr.config import DsrConfig
from frontoffice.dsr.execute import Hubs
from frontoffice.dsr.model import Kind
from frontoffice.dsr.notify import OutboxNotifier
from frontoffice.dsr.sql import DsrSql
from frontoffice.services.consent import ConsentHub
from frontoffice.services.identity import IdentityHub
from frontoffice.storage.sql import SqlStore

DsrAdmin = Annotated[Workspace, require(Scope.DSR_ADMIN)]
_ERRORS = error_responses({
    400: "Invalid input (unknown kind, identifier that cannot identify anyone, bad details).",
    401: "Missing or unknown API token.",
    403: "The token lacks `dsr:admin` or belongs to another workspace; or a wrong, expired, used or "
         "locked verification token (`verification_failed`, the message says which).",
    404: "No such workspace, request, person or artefact.",
    409: "The request is not in the state this step needs (`wrong_state`).",
    422: "A parameter or body field has the wrong type or range.",
})


class DsrIn(BaseModel):
    kind: Literal["access", "portability", "erasure", "rectification", "restriction", "objection"]
    identifier_kind: Literal["email", "phone", "user_id", "loyalty_id"] = Field(
        description="Kind of the one identifier the requester gives.")
    identifier: str = Field(min_length=1, max_length=320)
    traits: dict[str, Any] | None = Field(default=None, description="Rectification: the corrected traits.")
    purposes: list[str] | None = Field(default=None, max_length=20,
                                       description="Objection: the purposes objected to (default: profiling, "
                                                   "marketing_*, targeted_advertising, sale_or_sharing).")


class TokenIn(BaseModel):
    token: str = Field(min_length=1, max_length=64, description="The code the person received.")


class ExtendIn(BaseModel):
    reason: str = Field(min_length=1, max_length=1000, description="Why; recorded and told to the person.")


class RequestOut(BaseModel):
    id: str
    kind: str
    status: str
    person_id: str
    requester: str = Field(description="The identifier given, masked.")
    token_sent_to: str | None = Field(description="Where the token went, masked (a verified contact).")
    region: str
    region_reason: str
    opened_at: str
    due_at: str
    extended_due_at: str | None
    extension_reason: str | None
    deadline: str
    overdue: bool
    verified_at: str | None
    closed_at: str | None
    reason: str | None = Field(description="Why it was rejected or expired.")
    outcome: dict[str, Any] | None


class AuditOut(BaseModel):
    id: int
    at: str
    actor: str
    action: str
    detail: dict[str, Any]


def _access(request: Request, workspace: DsrAdmin, token: Caller) -> tuple[Workspace, str, SqlStore]:
    """The workspace, the actor, and the storage holding the workspace's data."""
    return workspace, f"token:{token.id}", container(request).store_for(workspace.id)


Access = Annotated[tuple[Workspace, str, SqlStore], Depends(_access)]


def dsr_router(c: Container) -> APIRouter:
    router = APIRouter(prefix="/api/v1/workspaces/{ws}/dsr", tags=["admin", "dsr"], responses=_ERRORS)
    config = DsrConfig.of(c.settings)
    # a located workspace's requests, people and consent are in its storage
    identities, consents = c.per_store(IdentityHub), c.per_store(ConsentHub)

    def out(request: Any) -> RequestOut:
        return RequestOut(**request.as_dict(now()))

    @router.post("", response_model=RequestOut, status_code=201)
    def open_request(granted: Access, body: DsrIn) -> RequestOut:
        """Open a request from one identifier; the token goes only to a contact the person verifiably
        owns (the given one if verified, else another verified one, masked in `token_sent_to`).
        Without a verified contact the request is `rejected` with the reason."""
        workspace, actor, store = granted
        details: dict[str, Any] = {"traits": body.traits} if body.traits is not None else {}
        if body.purposes is not None:
            details["purposes"] = body.purposes
        opened = service.open_request(
            store, workspace.id, Kind(body.kind), body.identifier_kind, body.identifier, details=details,
            actor=actor, now=now(), config=config, notifier=OutboxNotifier(store))
        return out(opened.request)

    @router.post("/{request_id}/verify", response_model=RequestOut)
    def verify(granted: Access, request_id: str, body: TokenIn) -> RequestOut:
        """Submit the code the person received. Single use; wrong codes count towards the limit."""
        workspace, actor, store = granted
        return out(service.verify(store, workspace.id, request_id, body.token, actor=actor, now=now(),
                                  config=config))

    @router.post("/{request_id}/execute", response_model=RequestOut)
    def execute(granted: Access, request_id: str) -> RequestOut:
        """Carry out a verified request (access report, erasure, rectification, restriction, objection)."""
        workspace, actor, store = granted
        hubs = Hubs(identities(workspace.id), consents(workspace.id))
        return out(service.execute(store, workspace.id, request_id, hubs=hubs, actor=actor, now=now()))

    @router.post("/{request_id}/extend", response_model=RequestOut)
    def extend(granted: Access, request_id: str, body: ExtendIn) -> RequestOut:
        """Extend the deadline once, by the region pack's extension, with a recorded reason."""
        workspace, actor, store = granted
        return out(service.extend(store, workspace.id, request_id, body.reason, actor=actor, now=now()))

    @router.get("/{request_id}", response_model=RequestOut)
    def status(granted: Access, request_id: str) -> RequestOut:
        """The request's state, deadline and outcome."""
        workspace, _, store = granted
        return out(service.require(store, workspace.id, request_id))

    @router.get("", response_model=list[RequestOut])
    def list_requests(granted: Access,
                      status: Annotated[str | None, Query(max_length=40)] = None,
                      overdue: bool = False) -> list[RequestOut]:
        """Requests by deadline; `overdue=true` keeps the open ones past their deadline. Requests whose
        token ran out unused are marked `expired` first."""
        workspace, actor, store = granted
        moment = now()
        service.expire_stale(store, workspace.id, actor=actor, now=moment)
        found = service.list_requests(store, workspace.id, now=moment, status=status, overdue=overdue)
        return [out(r) for r in found]

    @router.get("/{request_id}/artefact", responses={200: {"content": {"application/json": {},
                                                                        "text/html": {}}}})
    def artefact(granted: Access, request_id: str,
                 format: Annotated[Literal["json", "html"], Query()] = "json") -> Response:
        """The access / portability artefact: the JSON document or the self-contained HTML report.
        Each download is written to the audit trail."""
        workspace, actor, store = granted
        content = service.download(store, workspace.id, request_id, format, actor=actor, now=now())
        media = "application/json" if format == "json" else "text/html; charset=utf-8"
        return Response(content, media_type=media, headers={
            "Content-Disposition": f'attachment; filename="{request_id}.{format}"',
            "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'",
            "Cache-Control": "no-store"})

    @router.get("/{request_id}/audit", response_model=list[AuditOut])
    def audit(granted: Access, request_id: str) -> list[AuditOut]:
        """Every step of the request, oldest first: who, when, what (identifiers masked)."""
        workspace, _, store = granted
        service.require(store, workspace.id, request_id)
        return [AuditOut(id=r.id, at=r.at, actor=r.actor, action=r.action, detail=r.detail)
                for r in DsrSql(store).trail(workspace.id, request_id)]

    return router
