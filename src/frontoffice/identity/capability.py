"""Identity: people, their records and identifiers, merges and splits, the review queue."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from frontoffice.capability import Capability, ConsolePage, Purge, Report
from frontoffice.domain.tenancy import Scope

if TYPE_CHECKING:
    from fastapi import APIRouter

    from frontoffice.bootstrap import Container, Hubs
    from frontoffice.console.kit import ConsoleKit
    from frontoffice.dsr.report import PersonView
    from frontoffice.privacy.purge import Erasing
    from frontoffice.projection.contract import Projection
    from frontoffice.storage.sql import SqlStore

# rows naming one of the person's ids in this column are the person's
BY_PERSON = (("identity_records", "person_id"), ("identity_index", "person_id"),
             ("identity_persons", "person_id"), ("identity_redirects", "person_id"),
             ("identity_history", "person_id"), ("identity_outbox", "person_id"),
             ("identity_review", "person_a"), ("identity_review", "person_b"))
# rows naming the person in a JSON or text column (key, column): matched in Python
BY_MENTION = (("identity_history", "id", "others"), ("identity_decisions", "id", "side_a || side_b"),
              ("identity_review", "id", "side_a || side_b"))


def _routers(c: Container) -> list[APIRouter]:
    from frontoffice.identity.api import identity_router
    from frontoffice.identity.review_api import identity_review_router
    from frontoffice.identity.status_api import identity_status_router

    return [identity_router(c), identity_review_router(c), identity_status_router(c)]


def _projections(hubs: Hubs, store: SqlStore) -> list[Projection]:
    from frontoffice.identity.hub import IdentityFollow

    return [IdentityFollow(hubs.identity.at(store))]


def _purge(erasing: Erasing) -> None:
    for table, key, column in BY_MENTION:
        erasing.delete_mentioning(table, key, column)
    for table, column in BY_PERSON:
        erasing.delete_by_person(table, column)
    erasing.delete_by_person("identity_redirects", "old_person_id")


def _sections(person: PersonView) -> dict[str, Any]:
    p = person.profile
    return {"profile": {"traits": p["traits"], "first_seen": p["first_seen"],
                        "last_seen": p["last_seen"], "record_count": p["record_count"]},
            "identifiers": p["identifiers"], "records": p["records"]}


def _trait_rows(traits: Mapping[str, Any], sources: Mapping[str, Any]) -> list[list[object]]:
    def source(sid: str) -> str:
        known = sources.get(sid)
        return f"{known['name']} ({known['channel']})" if known else sid

    rows: list[list[object]] = []
    for name, t in sorted(traits.items()):
        if "values" in t:
            rows += [[name, v["value"], t["rule"], source(v["source_id"]), v["observed_at"]]
                     for v in t["values"]]
        else:
            rows.append([name, t["value"], t["rule"], source(t["source_id"]), t["observed_at"]])
    return rows


def _html(doc: Mapping[str, Any]) -> str:
    from frontoffice.dsr.report import table

    return "".join([
        "<h2>Profile (each value with where it came from)</h2>",
        table(("trait", "value", "rule", "source", "observed at"),
              _trait_rows(doc["profile"]["traits"], doc["sources"])),
        "<h2>Identifiers</h2>",
        table(("kind", "value"), ((i["kind"], i["value"]) for i in doc["identifiers"]))])


def _graph_pages(kit: ConsoleKit) -> APIRouter:
    from frontoffice.console.pages.identity_graph import graph_router

    return graph_router(kit)


def _review_pages(kit: ConsoleKit) -> APIRouter:
    from frontoffice.console.pages.review import review_router

    return review_router(kit)


CAPABILITY = Capability(
    name="identity",
    tables=("identity_checkpoint", "identity_decisions", "identity_history", "identity_index",
            "identity_matcher", "identity_outbox", "identity_persons", "identity_records",
            "identity_redirects", "identity_review", "identity_training"),
    migrations="frontoffice.identity",
    schema="frontoffice.identity.tables",
    routers=_routers,
    commands={"resolve": "frontoffice.identity.cli:resolve",
              "people": "frontoffice.identity.cli:people",
              "identity": "frontoffice.identity.review_cli:identity"},
    projections=_projections,
    purge=Purge(tables=tuple(sorted({t for t, _ in BY_PERSON} | {t for t, _, _ in BY_MENTION})),
                run=_purge),
    report=Report(sections=_sections, html=_html),
    console_pages=(
        ConsolePage("/identity/review", "Identity review", Scope.IDENTITY_ADMIN, _review_pages),
        ConsolePage("/people/{person_id}/graph", "Identity graph", Scope.EVENTS_READ, _graph_pages,
                    listed=False),
    ),
)
