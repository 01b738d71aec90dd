"""Segments: computed traits, segments and moments, in real time and in batch (issue 17)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from frontoffice.capability import Capability, ConsolePage, Purge, Report
from frontoffice.domain.tenancy import Scope
from frontoffice.segments.tables import PERSON_TABLES, TABLES

if TYPE_CHECKING:
    from fastapi import APIRouter

    from frontoffice.bootstrap import Container, Hubs
    from frontoffice.console.kit import ConsoleKit
    from frontoffice.dsr.report import PersonView
    from frontoffice.privacy.purge import Erasing
    from frontoffice.projection.contract import Projection
    from frontoffice.storage.sql import SqlStore


def _routers(c: Container) -> list[APIRouter]:
    from frontoffice.segments.api import provider_router, segments_router

    return [segments_router(c), provider_router(c)]


def _projections(hubs: Hubs, store: SqlStore) -> list[Projection]:
    """The segments projection with everything its moments act through: the outbox (e-mail over
    SMTP, SMS and push through the provider), webhook destinations, the inbox's tasks and
    next-best-action's offers (wired here, the package's top layer: inbox and decisions read
    segments' membership, so segments' own modules never import them)."""
    from frontoffice.decisions.offers import DecisionOffers
    from frontoffice.inbox.tasks import InboxTasks
    from frontoffice.segments.adapters import SegmentsProjection, action_ports, mailer_from, provider_from

    s = hubs.settings
    actions = action_ports(store, s, tasks=InboxTasks(store), offers=DecisionOffers(store, s))
    return [SegmentsProjection(store, mailer_from(s), actions=actions, provider=provider_from(s))]


def _purge(erasing: Erasing) -> None:
    for table in PERSON_TABLES:
        erasing.delete_by_person(table, "person_id")


def _sections(person: PersonView) -> dict[str, Any]:
    """The person's computed traits (each explained), segments, membership history and moments."""
    from frontoffice.segments import service
    from frontoffice.segments.moments_store import MomentsStore
    from frontoffice.segments.store import SegmentsStore

    found = dict(service.person(SegmentsStore(person.store), person.workspace_id, person.person_id))
    found["moments"] = MomentsStore(person.store).firings(person.workspace_id, person_id=person.person_id)
    return {"segments": found}


def _html(doc: Mapping[str, Any]) -> str:
    from frontoffice.dsr.report import table

    found = doc["segments"]
    return "".join([
        "<h2>Computed traits</h2>",
        table(("trait", "value"), ([t["trait"], t["value"]] for t in found["traits"])),
        "<h2>Segments</h2>", table(("segment",), ([s] for s in found["segments"])),
        "<h2>Membership history</h2>",
        table(("at", "segment", "change", "why"), ([h["at"], h["segment"], h["change"], h["why"]]
                                                   for h in found["history"])),
        "<h2>Moments</h2>",
        table(("moment", "decision", "reason"), ([m["moment"], m["decision"], m["reason"]]
                                                 for m in found["moments"]))])


def _list_page(kit: ConsoleKit) -> APIRouter:
    from frontoffice.segments.console_pages import segments_pages

    return segments_pages(kit)


CAPABILITY = Capability(
    name="segments",
    tables=TABLES,
    schema="frontoffice.segments.tables",
    migrations="frontoffice.segments",
    routers=_routers,
    commands={"segments": "frontoffice.segments.cli:segments",
              "traits": "frontoffice.segments.cli:traits",
              "moments": "frontoffice.segments.cli:moments"},
    projections=_projections,
    purge=Purge(tables=PERSON_TABLES, run=_purge),
    report=Report(sections=_sections, html=_html),
    console_pages=(ConsolePage("/segments", "Segments", Scope.EVENTS_READ, _list_page),),
)
