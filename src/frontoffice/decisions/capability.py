"""Decisions: the action catalogue, eligibility, next-best-action, outcomes and models."""

from __future__ import annotations

from typing import TYPE_CHECKING

from frontoffice.capability import Capability
from frontoffice.decisions.tables import TABLES

if TYPE_CHECKING:
    import click
    from fastapi import APIRouter

    from frontoffice.bootstrap import Container, Hubs
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


CAPABILITY = Capability(
    name="decisions",
    tables=TABLES,
    schema="frontoffice.decisions.tables",
    migrations="frontoffice.decisions",
    routers=_routers, commands=_commands, projections=_projections,
)
