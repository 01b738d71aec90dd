"""The console as a sub-application mounted at ``/console``: sign-in and sign-out, the home
page, static files, HTML error pages, and every capability's console pages (the registry's
``console_pages``) under ``/console/w/{ws}``."""

from __future__ import annotations

import secrets
from pathlib import Path

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.routing import Mount

from frontoffice import capabilities
from frontoffice.bootstrap import Container
from frontoffice.console.kit import COOKIE, BadForm, ConsoleKit, NeedSignIn
from frontoffice.console.users import SignInRefused, Throttled, csrf_ok, current, sign_in, sign_out
from frontoffice.domain.events import now
from frontoffice.errors import FrontofficeError

PREFIX = "/console"
LOGIN_CSRF = "fo_console_login"
STATIC = Path(__file__).parent / "static"


def console_routers(container: Container) -> list[APIRouter]:
    """``/`` answers with the console; ``/console`` is the console's own application."""
    pages = [p for c in capabilities.every() for p in c.console_pages]
    kit = ConsoleKit(container, pages)
    router = APIRouter(include_in_schema=False)

    @router.get("/")
    def root() -> RedirectResponse:
        return RedirectResponse(f"{PREFIX}/", status_code=303)

    router.routes.append(Mount(PREFIX, app=console_app(kit)))
    return [router]


def _secure(request: Request) -> bool:
    return request.url.scheme == "https" or request.headers.get("x-forwarded-proto") == "https"


def console_app(kit: ConsoleKit) -> FastAPI:
    app = FastAPI(docs_url=None, redoc_url=None, openapi_url=None)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    settings = kit.container.settings

    @app.get("", response_class=HTMLResponse)
    @app.get("/", response_class=HTMLResponse)
    def start(request: Request) -> Response:
        session = current(kit.users, settings, request.cookies.get(COOKIE), now())
        if session is None:
            return RedirectResponse(f"{PREFIX}/login", status_code=303)
        ws = kit.container.store.workspace(session.user.workspace_id)
        return RedirectResponse(f"{PREFIX}/w/{ws.name if ws else ''}", status_code=303)

    def login_page(request: Request, status: int = 200, error: str = "", login: str = "") -> Response:
        token = secrets.token_urlsafe(24)
        response = kit.render(request, None, "login.html", status=status, error=error, login=login,
                              csrf=token)
        response.set_cookie(LOGIN_CSRF, token, httponly=True, samesite="lax", secure=_secure(request),
                            path=PREFIX)
        return response

    @app.get("/login", response_class=HTMLResponse)
    def login_form(request: Request) -> Response:
        return login_page(request)

    @app.post("/login", response_class=HTMLResponse)
    async def login(request: Request) -> Response:
        from urllib.parse import parse_qsl

        form = dict(parse_qsl((await request.body()).decode("utf-8", "replace")))
        if not csrf_ok(request.cookies.get(LOGIN_CSRF, ""), form.get("csrf")):
            raise BadForm("The sign-in form expired or came from another site; reload it and sign in again.")
        ip = request.client.host if request.client else "unknown"
        try:
            opened = sign_in(kit.users, settings, form.get("login", ""), form.get("password", ""), ip, now())
        except Throttled as exc:
            response = login_page(request, 429, str(exc), form.get("login", ""))
            response.headers["Retry-After"] = str(exc.retry_after)
            return response
        except SignInRefused as exc:
            return login_page(request, 401, str(exc), form.get("login", ""))
        response = RedirectResponse(f"{PREFIX}/", status_code=303)
        response.set_cookie(COOKIE, opened.token, httponly=True, samesite="lax", secure=_secure(request),
                            path=PREFIX)
        response.delete_cookie(LOGIN_CSRF, path=PREFIX)
        return response

    @app.post("/logout")
    async def logout(request: Request) -> Response:
        from urllib.parse import parse_qsl

        token = request.cookies.get(COOKIE)
        session = current(kit.users, settings, token, now())
        form = dict(parse_qsl((await request.body()).decode("utf-8", "replace")))
        if session is not None and not csrf_ok(session.csrf, form.get("csrf")):
            raise BadForm("Sign-out needs the page's CSRF token; use the button on a console page.")
        sign_out(kit.users, token, now())
        response = RedirectResponse(f"{PREFIX}/login", status_code=303)
        response.delete_cookie(COOKIE, path=PREFIX)
        return response

    for page in kit.pages:
        app.include_router(page.router(kit), prefix="/w/{ws}")

    @app.exception_handler(NeedSignIn)
    def need_sign_in(request: Request, exc: NeedSignIn) -> Response:
        return RedirectResponse(f"{PREFIX}/login", status_code=303)

    @app.exception_handler(FrontofficeError)
    def refused(request: Request, exc: FrontofficeError) -> Response:
        return kit.render(request, getattr(request.state, "viewer", None), "error.html",
                          status=exc.status, code=exc.code, message=str(exc))

    return app
