"""Who may call a route, as FastAPI dependencies: ``authenticated`` (the bearer token) and
``require(scope)`` (the scope on the path's workspace) or ``require_instance(scope)``.

Both declare the ``ApiToken`` HTTP bearer scheme with the route's scope in OpenAPI, so ``/docs``
has an Authorize button and every operation lists the scope it needs.
"""

from __future__ import annotations

from functools import cache
from typing import Annotated, Any, cast

from fastapi import Depends, Request, Security
from fastapi.concurrency import run_in_threadpool
from fastapi.openapi.models import HTTPBearer
from fastapi.security.base import SecurityBase

from frontoffice.bootstrap import Container
from frontoffice.domain.tenancy import ApiToken, Scope, Status, Workspace
from frontoffice.storage.port import Store
from frontoffice.tenancy.tokens import ApiAuthError, check_scope

SCHEME = "ApiToken"


class _BearerHeader(SecurityBase):
    """The raw ``Authorization`` header, declared in OpenAPI as HTTP bearer; checked by
    ``authenticated`` so every route answers the same 401."""

    def __init__(self) -> None:
        self.model = HTTPBearer(bearerFormat="fo_at_…", description=(
            "An API token (`frontoffice token create`, or POST /api/v1/workspaces/{ws}/tokens) sent "
            "as `Authorization: Bearer <token>`. Each operation lists the scope it needs."))
        self.scheme_name = SCHEME

    async def __call__(self, request: Request) -> str | None:
        return request.headers.get("authorization")


_BEARER = _BearerHeader()


def container(request: Request) -> Container:
    return cast(Container, request.app.state.container)


async def authenticated(request: Request,
                        authorization: Annotated[str | None, Depends(_BEARER)]) -> ApiToken:
    """The caller's token (401 when missing or unknown); scopes are checked by ``require``. A
    token the cache remembers is answered on the event loop, else looked up in a thread."""
    tokens = container(request).tokens
    found = tokens.remembered(authorization)
    if found is None:
        found = await run_in_threadpool(tokens.authenticate, authorization)
    return found


Caller = Annotated[ApiToken, Depends(authenticated)]


def authorised_workspace(store: Store, token: ApiToken, scope: Scope, ws: str) -> Workspace:
    """The workspace named ``ws`` if ``token`` may use ``scope`` on it.

    A workspace token asking for any other workspace, existing or not, gets the same 403, so it
    cannot probe for names; the tokens of a disabled workspace are refused on every route.
    """
    workspace = None if "\x00" in ws else store.workspace(ws)
    if token.workspace_id is not None and (workspace is None or workspace.id != token.workspace_id):
        raise ApiAuthError(403, "forbidden", "This token can only be used on its own workspace.")
    if workspace is None:
        raise ApiAuthError(404, "not_found", f"No workspace {ws!r}.")
    if token.workspace_id is not None:
        refuse_disabled(workspace)
    check_scope(token, scope, workspace.id)
    return workspace


def refuse_disabled(workspace: Workspace) -> None:
    """A workspace token is refused at once when its workspace is disabled (nothing is cached:
    the workspace is read on every request)."""
    if workspace.status is not Status.ACTIVE:
        raise ApiAuthError(403, "workspace_disabled",
                           f"Workspace {workspace.name!r} is disabled: its API tokens and write keys "
                           "are refused until an instance administrator enables it again (POST "
                           f"/api/v1/workspaces/{workspace.name}/enable).")


@cache
def require(scope: Scope) -> Any:
    """Depends on the workspace of the path (``{ws}``) when the token holds ``scope`` there."""

    def workspace_for(request: Request, ws: str, token: Caller) -> Workspace:
        return authorised_workspace(container(request).store, token, scope, ws)

    return Security(workspace_for, scopes=[scope.value])


@cache
def require_instance(scope: Scope) -> Any:
    """Depends on an instance token (no workspace) holding ``scope``."""

    def instance_token(token: Caller) -> ApiToken:
        return check_scope(token, scope, None)

    return Security(instance_token, scopes=[scope.value])
