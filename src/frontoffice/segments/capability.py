"""Segments: computed traits, segments and moments, in real time and in batch (issue 17)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from frontoffice.capability import Capability, ConsolePage, Purge
from frontoffice.domain.tenancy import Scope
from frontoffice.segments.tables import PERSON_TABLES, TABLES

if TYPE_CHECKING:
    import click
    from fastapi import APIRouter

    from frontoffice.bootstrap import Container, Hubs
    from frontoffice.console.kit import ConsoleKit
    from frontoffice.privacy.purge import Erasing
    from frontoffice.projection.contract import Projection
    from frontoffice.storage.sql import SqlStore


def _routers(c: Container) -> list[APIRouter]:
    from frontoffice.segments.api import segments_router

    return [segments_router(c)]


def _commands() -> list[click.Command]:
    from frontoffice.segments.cli import moments, segments, traits

    return [segments, traits, moments]


def _projections(hubs: Hubs, store: SqlStore) -> list[Projection]:
    from frontoffice.segments.adapters import SegmentsProjection, mailer_from

    return [SegmentsProjection(store, mailer_from(hubs.settings))]


def _purge(erasing: Erasing) -> None:
    for table in PERSON_TABLES:
        erasing.delete_by_person(table, "person_id")


def _list_page(kit: ConsoleKit) -> APIRouter:
    from frontoffice.segments.console_pages import segments_pages

    return segments_pages(kit)


CAPABILITY = Capability(
    name="segments",
    tables=TABLES,
    schema="frontoffice.segments.tables",
    migrations="frontoffice.segments",
    routers=_routers, commands=_commands, projections=_projections,
    purge=Purge(tables=PERSON_TABLES, run=_purge),
    console_pages=(ConsolePage("/segments", "Segments", Scope.EVENTS_READ, _list_page),),
)
