"""Decisions: the action catalogue, eligibility, next-best-action, outcomes and models."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from frontoffice.capability import Capability, ConsolePage, Purge, Report
from frontoffice.decisions.tables import TABLES
from frontoffice.domain.tenancy import Scope

if TYPE_CHECKING:
    from fastapi import APIRouter

    from frontoffice.bootstrap import Container, Hubs
    from frontoffice.console.kit import ConsoleKit
    from frontoffice.dsr.report import PersonView
    from frontoffice.privacy.purge import Erasing
    from frontoffice.projection.contract import Projection
    from frontoffice.storage.sql import SqlStore


def _routers(c: Container) -> list[APIRouter]:
    from frontoffice.decisions.api import decisions_router

    return [decisions_router(c)]


def _projections(hubs: Hubs, store: SqlStore) -> list[Projection]:
    from frontoffice.commerce.store import CommerceStore
    from frontoffice.decisions.adapters import CommerceInteractions
    from frontoffice.decisions.outcome_events import OutcomeHub
    from frontoffice.decisions.refresh import Refresher
    from frontoffice.decisions.store import DecisionsStore
    from frontoffice.domain.events import now
    from frontoffice.identity.people_store import PeopleSql
    from frontoffice.projection.contract import Plain
    from frontoffice.segments.store import SegmentsStore

    window = hubs.settings.decisions_return_window_days
    own = DecisionsStore(store)
    history = CommerceInteractions(PeopleSql(store), CommerceStore(store))
    return [Plain("decision outcomes", OutcomeHub(store, own, window, now)),
            Refresher(history, SegmentsStore(store), own, hubs.settings.decisions_refresh_hours,
                      now)]


def _purge(erasing: Erasing) -> None:
    """The person's decisions and what came of them (outcomes name only the decision)."""
    import sqlalchemy as sa

    if "decisions_log" not in erasing.tables:
        return
    log = erasing.table("decisions_log")
    ids = erasing.conn.execute(sa.select(log.c.decision_id).where(
        log.c.workspace_id == erasing.workspace_id,
        log.c.person_id.in_(erasing.person.person_ids))).scalars().all()
    erasing.delete("decisions_outcomes", "decision_id", list(ids))
    erasing.delete_by_person("decisions_log", "person_id")


def _sections(person: PersonView) -> dict[str, Any]:
    """The decisions made about the person (automated decision-making, GDPR art. 15(1)(h))."""
    from frontoffice.decisions.store import DecisionsStore

    found = DecisionsStore(person.store).of_person(person.workspace_id, person.person_id, "")
    return {"decisions": [{
        "decision_id": d.decision_id, "at": d.at, "channel": d.channel, "placement": d.placement,
        "model_version": d.model_version, "chosen": d.chosen,
        "reasons": {a["action_id"]: a["reasons"] for a in d.doc.get("shown", [])},
        "refusals": d.doc.get("refusals", [])} for d in found]}


def _html(doc: Mapping[str, Any]) -> str:
    from frontoffice.dsr.report import table

    return "<h2>Next-best-action decisions</h2>" + table(
        ("at", "channel", "chosen", "model"),
        ([d["at"], d["channel"], ", ".join(d["chosen"]), d["model_version"]]
         for d in doc["decisions"]))


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
    routers=_routers,
    matched_first=True,  # decide: a request per page view, behind ~90 admin routes otherwise
    commands={"actions": "frontoffice.decisions.cli:actions",
              "nba": "frontoffice.decisions.cli:nba",
              "recs": "frontoffice.decisions.cli:recs"},
    projections=_projections,
    purge=Purge(tables=("decisions_log", "decisions_outcomes"), run=_purge),
    report=Report(sections=_sections, html=_html),
    console_pages=(
        ConsolePage("/decisions/next", "Next best actions", Scope.EVENTS_READ, _next_page),
        ConsolePage("/decisions/actions", "Action catalogue", Scope.EVENTS_READ, _catalogue_page),
        ConsolePage("/decisions/models", "Model versions", Scope.EVENTS_READ, _models_page),
    ),
)
