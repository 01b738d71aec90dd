"""Admin and read API: workspaces, sources, tokens, the event log and the quarantine.

Every route takes ``Authorization: Bearer <token>``; a workspace token only ever sees its own
workspace, an instance token with ``workspaces:admin`` manages workspaces.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from frontoffice.api.access import Caller, refuse_disabled, require, require_instance
from frontoffice.api.schemas import (
    EventOut,
    EventPage,
    LogOut,
    QuarantineOut,
    QuarantinePage,
    SourceIn,
    SourceOut,
    TokenIn,
    TokenOut,
    WorkspaceIn,
    WorkspaceOut,
    error_responses,
)
from frontoffice.bootstrap import Container
from frontoffice.domain import jsontext
from frontoffice.domain.events import iso
from frontoffice.domain.tenancy import ApiToken, Scope, Source, Status, Workspace, ungrantable
from frontoffice.residency.locations import create_resident_workspace, parse_storage_locations
from frontoffice.tenancy import service as tenancy
from frontoffice.tenancy.tokens import ApiAuthError, check_scope

Instance = Annotated[ApiToken, require_instance(Scope.WORKSPACES_ADMIN)]
SourcesAdmin = Annotated[Workspace, require(Scope.SOURCES_ADMIN)]
TokensAdmin = Annotated[Workspace, require(Scope.TOKENS_ADMIN)]
Reader = Annotated[Workspace, require(Scope.EVENTS_READ)]
MAX_CURSOR = 2**63 - 1
_SCOPES = {s.value: s for s in Scope}
_ERRORS = error_responses({
    400: "Invalid input: the message says which field and why.",
    401: "Missing or unknown API token.",
    403: "The token lacks the scope, is disabled, belongs to another workspace or to a disabled "
         "one (`workspace_disabled`); or it asked to grant a scope it does not hold "
         "(`scope_not_held`).",
    404: "No such workspace, source or token.",
    409: "Already exists.",
    422: "A parameter or body field has the wrong type or range.",
})


def _ws(w: Workspace) -> WorkspaceOut:
    return WorkspaceOut(id=w.id, name=w.name, region=w.region, status=w.status.value,
                        created_at=iso(w.created_at))


def _src(s: Source, write_key: str | None = None) -> SourceOut:
    return SourceOut(id=s.id, workspace_id=s.workspace_id, name=s.name, channel=s.channel.value,
                     trust=s.trust.value, key_hint=s.key_hint, status=s.status.value,
                     created_at=iso(s.created_at), write_key=write_key)


def _tok(t: ApiToken, secret: str | None = None) -> TokenOut:
    return TokenOut(id=t.id, workspace_id=t.workspace_id, name=t.name,
                    scopes=sorted(s.value for s in t.scopes), key_hint=t.key_hint,
                    status=t.status.value, created_at=iso(t.created_at), token=secret)


def refuse_ungrantable(granter: ApiToken, scopes: list[str]) -> None:
    """403 ``scope_not_held`` unless ``granter`` holds every scope asked for (an unknown scope is
    left to ``create_token``'s 400)."""
    missing = ungrantable(granter, frozenset(_SCOPES[s] for s in scopes if s in _SCOPES))
    if missing:
        names = ", ".join(f"'{s.value}'" for s in sorted(missing))
        raise ApiAuthError(403, "scope_not_held",
                           f"This token cannot grant {names}: a token may only grant scopes it holds. "
                           "Create the token with one that holds them, or ask the instance operator "
                           "(`frontoffice token create`).")


def admin_router(c: Container) -> APIRouter:
    router = APIRouter(prefix="/api/v1", tags=["admin"], responses=_ERRORS)
    store = c.store

    @router.get("/workspaces", response_model=list[WorkspaceOut])
    def list_workspaces(token: Caller) -> list[WorkspaceOut]:
        """Every workspace (an instance token with `workspaces:admin`), or a workspace token's own."""
        if token.workspace_id is None:
            check_scope(token, Scope.WORKSPACES_ADMIN, None)
            return [_ws(w) for w in store.workspaces()]
        if token.status is not Status.ACTIVE:
            raise ApiAuthError(403, "forbidden", "This token is disabled.")
        own = [w for w in store.workspaces() if w.id == token.workspace_id]
        for workspace in own:
            refuse_disabled(workspace)
        return [_ws(w) for w in own]

    @router.post("/workspaces", response_model=WorkspaceOut, status_code=201)
    def create_workspace(body: WorkspaceIn, _admin: Instance) -> WorkspaceOut:
        created, _ = create_resident_workspace(  # a region with local residency needs its storage
            store, body.name, body.region, body.data_location, c.settings.data_location,
            parse_storage_locations(c.settings.storage_locations))
        return _ws(created)

    @router.post("/workspaces/{ws}/disable", response_model=WorkspaceOut)
    def disable_workspace(ws: str, _admin: Instance) -> WorkspaceOut:
        """Refuse the workspace's write keys and API tokens at once, until it is enabled again."""
        return set_status(ws, Status.DISABLED)

    @router.post("/workspaces/{ws}/enable", response_model=WorkspaceOut)
    def enable_workspace(ws: str, _admin: Instance) -> WorkspaceOut:
        """Accept the workspace's write keys and API tokens again."""
        return set_status(ws, Status.ACTIVE)

    def set_status(ws: str, status: Status) -> WorkspaceOut:
        workspace = tenancy.require_workspace(store, ws)
        store.set_workspace_status(workspace.id, status)
        c.keys.invalidate()
        return _ws(tenancy.require_workspace(store, ws))

    @router.get("/workspaces/{ws}/sources", response_model=list[SourceOut])
    def list_sources(workspace: SourcesAdmin) -> list[SourceOut]:
        return [_src(s) for s in store.sources(workspace.id)]

    @router.post("/workspaces/{ws}/sources", response_model=SourceOut, status_code=201)
    def create_source(workspace: SourcesAdmin, body: SourceIn) -> SourceOut:
        source, key = tenancy.create_source(store, workspace.id, body.name, body.channel,
                                            body.write_key, body.trust)
        c.keys.invalidate()  # an SDK may have tried this key before it existed
        return _src(source, key)

    @router.post("/workspaces/{ws}/sources/{source}/disable", response_model=SourceOut)
    def disable_source(workspace: SourcesAdmin, source: str) -> SourceOut:
        disabled = tenancy.disable_source(store, workspace.id, source)
        c.keys.invalidate()
        return _src(tenancy.require_source(store, workspace.id, disabled.id))

    @router.get("/workspaces/{ws}/tokens", response_model=list[TokenOut])
    def list_tokens(workspace: TokensAdmin) -> list[TokenOut]:
        return [_tok(t) for t in store.tokens(workspace.id)]

    @router.post("/workspaces/{ws}/tokens", response_model=TokenOut, status_code=201)
    def create_token(workspace: TokensAdmin, body: TokenIn, granter: Caller) -> TokenOut:
        """A token of this workspace, with scopes the calling token holds itself."""
        refuse_ungrantable(granter, body.scopes)
        token, secret = tenancy.create_token(store, workspace.id, body.name, body.scopes, body.value)
        return _tok(token, secret)

    @router.post("/workspaces/{ws}/tokens/{token}/disable", response_model=TokenOut)
    def disable_token(workspace: TokensAdmin, token: str) -> TokenOut:
        tenancy.disable_token(store, workspace.id, token)
        c.tokens.invalidate()
        found = [t for t in store.tokens(workspace.id) if token in (t.id, t.name)]
        return _tok(found[0])

    @router.get("/workspaces/{ws}/log", response_model=LogOut)
    def log_counts(workspace: Reader) -> LogOut:
        """How many events the workspace's log holds, and how many inputs it quarantined."""
        kept = c.store_for(workspace.id)
        return LogOut(events=kept.count_events(workspace.id),
                      quarantined=kept.count_quarantine(workspace.id), last_seq=kept.last_seq(workspace.id))

    @router.get("/workspaces/{ws}/events", response_model=EventPage)
    def read_events(
        workspace: Reader,
        after: Annotated[int, Query(ge=0, le=MAX_CURSOR)] = 0,
        limit: Annotated[int, Query(ge=1, le=10_000)] = 1000,
        source: str | None = None,
    ) -> EventPage:
        source_id = tenancy.require_source(store, workspace.id, source).id if source else None
        rows = c.store_for(workspace.id).events(workspace.id, after_seq=after, limit=limit,
                                                source_id=source_id)
        events = [
            EventOut(seq=r.seq, source_id=r.source_id, message_id=r.record.message_id,
                     family=r.record.family, type=r.record.type, event=r.record.event,
                     user_id=r.record.user_id, anonymous_id=r.record.anonymous_id,
                     timestamp=r.record.timestamp, received_at=r.record.received_at,
                     payload=jsontext.loads(r.record.payload))
            for r in rows
        ]
        return EventPage(events=events, next_after=rows[-1].seq if len(rows) == limit else None)

    @router.get("/workspaces/{ws}/quarantine", response_model=QuarantinePage)
    def read_quarantine(
        workspace: Reader,
        after: Annotated[int, Query(ge=0, le=MAX_CURSOR)] = 0,
        limit: Annotated[int, Query(ge=1, le=10_000)] = 1000,
    ) -> QuarantinePage:
        rows = c.store_for(workspace.id).quarantine(workspace.id, after_id=after, limit=limit)
        entries = [
            QuarantineOut(id=q.id, source_id=q.source_id, origin=q.origin, reference=q.reference,
                          message_id=q.message_id, reason=q.reason,
                          payload=q.payload.decode("utf-8", "replace"), received_at=q.received_at)
            for q in rows
        ]
        return QuarantinePage(entries=entries,
                              next_after=rows[-1].id if len(rows) == limit else None)

    return router

