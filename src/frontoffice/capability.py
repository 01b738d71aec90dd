"""What a capability declares: the contract between a capability package and the centre.

A capability (identity, consent, commerce, ...) declares one ``Capability`` in its own
``capability.py``; the centre (the app, the CLI, the worker, erasure, the access report) reads
only the registry (``frontoffice.capabilities``), never a list of capabilities of its own.

Hooks that belong to an outer layer (API routers, CLI commands) are functions that import
their modules when called, so declaring a capability imports nothing but this module: a
domain package never pulls FastAPI or click in at import time, and the registry cannot form an
import cycle. This module itself imports only types.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from fastapi import APIRouter

    from frontoffice.bootstrap import Container, Hubs
    from frontoffice.console.kit import ConsoleKit
    from frontoffice.domain.tenancy import Scope
    from frontoffice.dsr.report import PersonView
    from frontoffice.privacy.purge import Erasing
    from frontoffice.projection.contract import Projection
    from frontoffice.storage.sql import SqlStore


@dataclass(frozen=True, slots=True)
class Purge:
    """How to delete an erased person's rows from the capability's tables, in the erasure's
    transaction. ``tables``: those it deletes from (a repeated ``privacy scrub`` rewrites them)."""

    tables: tuple[str, ...]
    run: Callable[[Erasing], None]


@dataclass(frozen=True, slots=True)
class Report:
    """The capability's part of a person's access report: top-level JSON sections, and the
    HTML that shows them (every value escaped; it reads the finished document)."""

    sections: Callable[[PersonView], dict[str, Any]]
    html: Callable[[Mapping[str, Any]], str] | None = None


@dataclass(frozen=True, slots=True)
class ConsolePage:
    """A page of the web console (docs/console.md), served under ``/console/w/{ws}``.

    ``path``: where it starts below the workspace (``/people``); ``title``: its name, a gettext
    message id the console translates; ``scope``: the API scope a user's role must hold on the
    workspace to see it (None: every signed-in user); ``router(kit)``: its FastAPI router, routes
    relative to ``/console/w/{ws}``, built with the console's kit (templates, the signed-in user,
    CSRF, audit); ``listed``: shown on the home page and in the navigation."""

    path: str
    title: str
    scope: Scope | None
    router: Callable[[ConsoleKit], APIRouter]
    listed: bool = True


@dataclass(frozen=True, slots=True)
class Capability:
    """One capability: the tables it owns and the hooks it contributes; every hook is optional.

    ``tables``: every table of the schema it owns (a table has exactly one owner; others read it
    through the owner's port). ``schema``: the module that declares them,
    ``define(metadata, dialect)`` (SQLAlchemy Core; ``frontoffice.storage.tables.schema`` is every
    capability's together). ``migrations``: the package whose ``migrations/`` folder holds its
    alembic revisions after the baseline (one history: each names the one before it).
    ``routers``: the API routers, in the order they are matched; ``matched_first``: they answer
    a request per page view (``decide``), so they are tried before the rest of the admin API
    (every route FastAPI tries first costs each request ~17 k instructions).
    ``commands``: top-level CLI commands or groups, by name, each as ``"module:attribute"``:
    imported only when that command runs (or help lists it), so a command starts without
    importing every capability. ``projections``: for one storage, in the
    order they run for a workspace, made from the process's hubs (``bootstrap.Hubs``: one
    configuration for every process)."""

    name: str
    tables: tuple[str, ...] = ()
    schema: str | None = None
    migrations: str | None = None
    routers: Callable[[Container], list[APIRouter]] | None = None
    commands: Mapping[str, str] = field(default_factory=dict)
    projections: Callable[[Hubs, SqlStore], list[Projection]] | None = None
    purge: Purge | None = None
    report: Report | None = None
    console_pages: tuple[ConsolePage, ...] = ()
    matched_first: bool = False
