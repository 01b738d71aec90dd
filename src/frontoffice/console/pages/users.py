"""Workspace admin: console users (create, disable) and the audit of console actions.

Managing users hands out scopes, so it needs ``tokens:admin`` like managing tokens does, and a
user may only give a role whose scopes they hold."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from frontoffice.console.kit import PAGE_SIZE, ConsoleKit, Posted, Refused, Viewer, page_of
from frontoffice.console.roles import ROLE_SCOPES, Role, grantable, parse_role
from frontoffice.console.users import create_user, disable_user
from frontoffice.domain.events import now
from frontoffice.domain.tenancy import Scope


def users_router(kit: ConsoleKit) -> APIRouter:
    router = APIRouter(prefix="/admin")
    admin, admin_form = kit.viewer(Scope.TOKENS_ADMIN), kit.posted(Scope.TOKENS_ADMIN)

    @router.get("/users", response_class=HTMLResponse)
    def users(request: Request, q: str = "", viewer: Viewer = admin) -> HTMLResponse:
        page = page_of(request)
        rows, total = kit.users.users(viewer.workspace.id, q, (page - 1) * PAGE_SIZE, PAGE_SIZE)
        roles = [r for r in Role if grantable(viewer.session.user.role, r)]
        return kit.render(request, viewer, "admin_users.html", rows=rows, total=total, page=page, q=q,
                          more=total > page * PAGE_SIZE, roles=roles, role_scopes=ROLE_SCOPES)

    @router.post("/users", response_class=HTMLResponse)
    def change(request: Request, posted: Posted = admin_form) -> HTMLResponse:
        viewer, form = posted.viewer, posted.form
        back = f"{kit.base(viewer)}/admin/users"
        if form.get("disable"):
            found = kit.users.user(form["disable"])
            if found is None or found[0].workspace_id != viewer.workspace.id:
                raise Refused("That user is not one of your workspace's.")
            if not posted.confirmed:
                return kit.confirm(request, posted, "disable_user", found[0].login)
            disable_user(kit.users, found[0].user_id, now())
            kit.audit(viewer, "user.disable", found[0].user_id)
            return kit.render(request, viewer, "done.html", back=back)
        role = parse_role(form.get("role", ""))
        if not posted.confirmed:
            return kit.confirm(request, posted, "create_user", form.get("login", ""),
                               [("role", role.value),
                                ("scopes", " ".join(sorted(s.value for s in ROLE_SCOPES[role])))])
        user = create_user(kit.users, viewer.workspace.id, form.get("login", ""), role,
                           form.get("password", ""), display_name=form.get("display_name", ""),
                           by=viewer.session.user.user_id, at=now(), granter=viewer.session.user.role)
        kit.audit(viewer, "user.create", user.user_id)
        return kit.render(request, viewer, "done.html", back=back)

    return router


def audit_router(kit: ConsoleKit) -> APIRouter:
    router = APIRouter(prefix="/admin")
    admin = kit.viewer(Scope.TOKENS_ADMIN)

    @router.get("/audit", response_class=HTMLResponse)
    def audit(request: Request, action: str = "", viewer: Viewer = admin) -> HTMLResponse:
        page = page_of(request)
        rows, total = kit.users.audit_rows(viewer.workspace.id, (page - 1) * PAGE_SIZE, PAGE_SIZE,
                                           [action] if action else ())
        return kit.render(request, viewer, "admin_audit.html", rows=rows, total=total, page=page,
                          action=action, more=total > page * PAGE_SIZE, q=action)

    return router
