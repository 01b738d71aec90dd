"""Insights (issue 20): daily rollups of commerce and service events rebuilt from the log, and
flags with statistics (history, peers, suppliers of one product, false-discovery control);
``/api/v1/workspaces/{ws}/insights``, ``frontoffice insights`` and the console's flag pages."""

from __future__ import annotations

from typing import TYPE_CHECKING

from frontoffice.capability import Capability, ConsolePage
from frontoffice.domain.tenancy import Scope
from frontoffice.insights.tables import TABLES

if TYPE_CHECKING:
    from fastapi import APIRouter

    from frontoffice.bootstrap import Container, Hubs
    from frontoffice.console.kit import ConsoleKit
    from frontoffice.projection.contract import Projection
    from frontoffice.storage.sql import SqlStore


def _routers(c: Container) -> list[APIRouter]:
    from frontoffice.insights.api import insights_router

    return [insights_router(c)]


def _projections(hubs: Hubs, store: SqlStore) -> list[Projection]:
    from frontoffice.insights.worker import InsightsProjection

    return [InsightsProjection(store, hubs.settings)]


def _pages(kit: ConsoleKit) -> APIRouter:
    from frontoffice.insights.console_pages import flags_router

    return flags_router(kit)


CAPABILITY = Capability(
    name="insights",
    tables=TABLES,
    schema="frontoffice.insights.tables",
    migrations="frontoffice.insights",
    routers=_routers,
    commands={"insights": "frontoffice.insights.cli:insights"},
    projections=_projections,
    console_pages=(ConsolePage("/insights", "Insights", Scope.INSIGHTS_READ, _pages),),
)
