"""Decisions: the action catalogue, eligibility, next-best-action, outcomes and models."""

from __future__ import annotations

from typing import TYPE_CHECKING

from frontoffice.capability import Capability, ConsolePage
from frontoffice.decisions.tables import TABLES
from frontoffice.domain.tenancy import Scope

if TYPE_CHECKING:
    import click
    from fastapi import APIRouter

    from frontoffice.bootstrap import Container, Hubs
    from frontoffice.console.kit import ConsoleKit
    from frontoffice.projection.contract import Projection
    from frontoffice.storage.sql import SqlStore


def _routers(c: Container) -> list[APIRouter]:
    from frontoffice.decisions.api import decisions_router

    return [decisions_router(c)]


def _commands() -> list[click.Command]:
    from frontoffice.decisions.cli import actions, nba, recs

    return [actions, nba, recs]


def _projections(hubs: Hubs, store: SqlStore) -> list[Projection]:
    from frontoffice.decisions.outcome_events import OutcomeHub
    from frontoffice.decisions.store import DecisionsStore
    from frontoffice.domain.events import now
    from frontoffice.projection.contract import Plain

    window = hubs.settings.decisions_return_window_days
    return [Plain("decision outcomes", OutcomeHub(store, DecisionsStore(store), window, now))]


def _catalogue_page(kit: ConsoleKit) -> APIRouter:
    from frontoffice.decisions.console_pages import catalogue_router

    return catalogue_router(kit)


def _next_page(kit: ConsoleKit) -> APIRouter:
    from frontoffice.decisions.console_pages import next_router

    return next_router(kit)


def _models_page(kit: ConsoleKit) -> APIRouter:
    from frontoffice.decisions.console_pages import models_router

    return models_router(kit)


CAPABILITY = Capability(
    name="decisions",
    tables=TABLES,
    schema="frontoffice.decisions.tables",
    migrations="frontoffice.decisions",
    routers=_routers, commands=_commands, projections=_projections,
    console_pages=(
        ConsolePage("/decisions/next", "Next best actions", Scope.EVENTS_READ, _next_page),
        ConsolePage("/decisions/actions", "Action catalogue", Scope.EVENTS_READ, _catalogue_page),
        ConsolePage("/decisions/models", "Model versions", Scope.EVENTS_READ, _models_page),
    ),
)
