"""What every console page is built with: the signed-in viewer (scope-checked), templates in
the viewer's locale, forms with their CSRF check, the confirm step and the audit.

A page's router takes routes relative to ``/console/w/{ws}``; a route asks for
``kit.viewer(scope)`` (or ``kit.posted(scope)`` for a form) and renders with ``kit.render``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

import jinja2
from fastapi import Depends, Request
from fastapi.responses import HTMLResponse

from frontoffice.bootstrap import Container
from frontoffice.capability import ConsolePage
from frontoffice.console import i18n
from frontoffice.console.roles import ROLE_SCOPES
from frontoffice.console.store import ConsoleStore, Session
from frontoffice.console.users import csrf_ok, current
from frontoffice.domain.events import now
from frontoffice.domain.tenancy import Scope, Status, Workspace
from frontoffice.errors import FrontofficeError
from frontoffice.storage.sql import SqlStore

COOKIE = "fo_console"
PAGE_SIZE = 25


class NeedSignIn(FrontofficeError):
    code = "sign_in"
    status = 401


class Refused(FrontofficeError):
    """The role lacks the page's scope, or the page is another workspace's."""

    code = "forbidden"
    status = 403


class BadForm(FrontofficeError):
    """A form without its CSRF token (or with another session's)."""

    code = "csrf"
    status = 403


@dataclass(frozen=True, slots=True)
class Viewer:
    session: Session
    workspace: Workspace
    locale: str
    scopes: frozenset[Scope]

    def may(self, scope: Scope | None) -> bool:
        return scope is None or scope in self.scopes


@dataclass(frozen=True, slots=True)
class Posted:
    viewer: Viewer
    form: dict[str, str]

    @property
    def confirmed(self) -> bool:
        return self.form.get("confirm") == "yes"


@dataclass
class ConsoleKit:
    container: Container
    pages: Sequence[ConsolePage] = ()
    _envs: dict[str, jinja2.Environment] = field(default_factory=dict)

    @property
    def users(self) -> ConsoleStore:
        return ConsoleStore(self.container.store)

    def data(self, viewer: Viewer) -> SqlStore:
        """Where the viewer's workspace keeps its people, consent and commerce."""
        return self.container.store_for(viewer.workspace.id)

    def env(self, locale: str) -> jinja2.Environment:
        if locale not in self._envs:
            env = jinja2.Environment(loader=jinja2.FileSystemLoader(i18n.template_dirs()), autoescape=True,
                                     extensions=["jinja2.ext.i18n"], undefined=jinja2.ChainableUndefined)
            env.install_gettext_translations(i18n.translations(locale), newstyle=True)  # type: ignore[attr-defined]
            env.filters["when"] = lambda v: i18n.when(v, locale)
            env.filters["number"] = lambda v: i18n.number(v, locale)
            env.filters["name"] = i18n.name_markup
            self._envs[locale] = env
        return self._envs[locale]

    def locale_of(self, request: Request, session: Session | None) -> str:
        return i18n.choose(session.user.locale if session else None,
                           request.headers.get("accept-language"))

    def render(self, request: Request, viewer: Viewer | None, template: str, status: int = 200,
               locale: str | None = None, **context: Any) -> HTMLResponse:
        lang = locale or (viewer.locale if viewer else self.locale_of(request, None))
        nav = [p for p in self.pages if p.listed and viewer is not None and viewer.may(p.scope)]
        html = self.env(lang).get_template(template).render(
            request=request, viewer=viewer, lang=lang, nav=nav, status=status, **context)
        return HTMLResponse(html, status_code=status)

    def viewer(self, scope: Scope | None) -> Any:
        """Depends on the signed-in user of the path's workspace holding ``scope`` there."""

        def signed_in(request: Request, ws: str) -> Viewer:
            session = current(self.users, self.container.settings, request.cookies.get(COOKIE), now())
            if session is None:
                raise NeedSignIn("Sign in to see this page.")
            workspace = self.container.store.workspace(ws) if "\x00" not in ws else None
            if workspace is None or workspace.id != session.user.workspace_id:
                raise Refused("This page belongs to another workspace than yours.")
            if workspace.status is not Status.ACTIVE:
                raise Refused(f"Workspace {workspace.name!r} is disabled; an instance administrator "
                              "can enable it again.")
            viewer = Viewer(session, workspace, self.locale_of(request, session),
                            ROLE_SCOPES[session.user.role])
            if not viewer.may(scope):
                raise Refused(f"Your role ({session.user.role.value}) does not hold the scope "
                              f"{scope.value if scope else ''} this page needs; ask an admin.")
            request.state.viewer = viewer
            return viewer

        return Depends(signed_in)

    def posted(self, scope: Scope | None) -> Any:
        """Depends on a form posted by a viewer holding ``scope``, with the session's CSRF token."""

        needed = self.viewer(scope)

        async def form(request: Request, viewer: Viewer = needed) -> Posted:
            fields = dict(parse_qsl((await request.body()).decode("utf-8", "replace"),
                                    keep_blank_values=True))
            sent = fields.pop("csrf", None) or request.headers.get("x-csrf-token")
            if not csrf_ok(viewer.session.csrf, sent):
                raise BadForm("This form was not sent from a console page of your session "
                              "(its CSRF token is missing or wrong); reload the page and send it again.")
            return Posted(viewer, fields)

        return Depends(form)

    def confirm(self, request: Request, posted: Posted, action: str, what: str,
                details: Sequence[tuple[str, str]] = ()) -> HTMLResponse:
        """The confirm step: what the action will do, and the same form again with confirm=yes."""
        return self.render(request, posted.viewer, "confirm.html", action=action, what=what,
                           details=details, fields=posted.form)

    def audit(self, viewer: Viewer, action: str, target: str) -> None:
        self.users.audit(viewer.workspace.id, viewer.session.user.user_id, action, target, now())

    def base(self, viewer: Viewer) -> str:
        return f"/console/w/{viewer.workspace.name}"


def page_of(request: Request) -> int:
    try:
        return max(1, int(request.query_params.get("page", "1")))
    except ValueError:
        return 1

