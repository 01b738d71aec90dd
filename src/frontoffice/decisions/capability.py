"""Decisions: the action catalogue, eligibility, next-best-action, outcomes and models."""

from __future__ import annotations

from typing import TYPE_CHECKING

from frontoffice.capability import Capability
from frontoffice.decisions.tables import TABLES

if TYPE_CHECKING:
    import click
    from fastapi import APIRouter

    from frontoffice.bootstrap import Container


def _routers(c: Container) -> list[APIRouter]:
    from frontoffice.decisions.api import decisions_router

    return [decisions_router(c)]


def _commands() -> list[click.Command]:
    from frontoffice.decisions.cli import actions, nba

    return [actions, nba]


CAPABILITY = Capability(
    name="decisions",
    tables=TABLES,
    schema="frontoffice.decisions.tables",
    migrations="frontoffice.decisions",
    routers=_routers, commands=_commands,
)
