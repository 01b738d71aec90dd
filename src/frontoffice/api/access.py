"""Which workspace a request may touch: one rule for every router."""

from __future__ import annotations

from frontoffice.api.tokens import ApiAuthError, TokenCache
from frontoffice.domain.tenancy import Scope, Workspace
from frontoffice.storage.port import Store


def authorised_workspace(tokens: TokenCache, store: Store, authorization: str | None,
                         scope: Scope, ws: str) -> Workspace:
    """The workspace named ``ws`` if the token may use ``scope`` on it.

    Unauthenticated callers learn nothing (401 first); a workspace token asking for any other
    workspace, existing or not, gets the same 403, so it cannot probe for names.
    """
    token = tokens.authenticate(authorization)
    workspace = None if "\x00" in ws else store.workspace(ws)
    if token.workspace_id is not None and (workspace is None or workspace.id != token.workspace_id):
        raise ApiAuthError(403, "forbidden", "This token can only be used on its own workspace.")
    if workspace is None:
        raise ApiAuthError(404, "not_found", f"No workspace {ws!r}.")
    tokens.authorise(authorization, scope, workspace.id)
    return workspace
