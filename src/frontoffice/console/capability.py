"""The console: users and their sessions, the web pages under /console, ``frontoffice user``.

Its ``routers`` hook serves ``/`` and mounts the console, which collects every capability's
``console_pages`` (its own below; others add theirs in their own capability module)."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import TYPE_CHECKING

from frontoffice.capability import Capability, ConsolePage
from frontoffice.console.tables import TABLES
from frontoffice.domain.tenancy import Scope

if TYPE_CHECKING:
    from fastapi import APIRouter

    from frontoffice.bootstrap import Container
    from frontoffice.console.kit import ConsoleKit


def _routers(c: Container) -> list[APIRouter]:
    from frontoffice.console.web import console_routers

    return console_routers(c)


def _page(module: str, factory: str) -> Callable[[ConsoleKit], APIRouter]:
    """A page's router factory, imported when the console is built (not when declared)."""

    def make(kit: ConsoleKit) -> APIRouter:
        made: APIRouter = getattr(importlib.import_module(f"frontoffice.console.pages.{module}"),
                                  factory)(kit)
        return made

    return make


CAPABILITY = Capability(
    name="console",
    tables=TABLES,
    schema="frontoffice.console.tables",
    migrations="frontoffice.console",
    routers=_routers,
    commands={"user": "frontoffice.cli.users:user"},
    console_pages=(
        ConsolePage("", "Home", None, _page("home", "home_router"), listed=False),
        ConsolePage("/people", "People", Scope.EVENTS_READ, _page("people", "people_router")),
        ConsolePage("/admin/sources", "Sources and write keys", Scope.SOURCES_ADMIN,
                    _page("admin", "sources_router")),
        ConsolePage("/admin/tokens", "API tokens", Scope.TOKENS_ADMIN, _page("admin", "tokens_router")),
        ConsolePage("/admin/users", "Users", Scope.TOKENS_ADMIN, _page("users", "users_router")),
        ConsolePage("/admin/destinations", "Destinations", Scope.DESTINATIONS_ADMIN,
                    _page("admin", "destinations_router")),
        ConsolePage("/admin/settings", "Settings", Scope.SOURCES_ADMIN,
                    _page("admin", "settings_router")),
        ConsolePage("/admin/audit", "Audit", Scope.TOKENS_ADMIN, _page("users", "audit_router")),
    ),
)
