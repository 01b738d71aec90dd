"""Commerce: orders, returns, subscriptions, stock and prices, projected from the log."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from frontoffice.capability import Capability, ConsolePage, Purge, Report
from frontoffice.domain.tenancy import Scope

if TYPE_CHECKING:
    import click
    from fastapi import APIRouter

    from frontoffice.bootstrap import Container
    from frontoffice.console.kit import ConsoleKit
    from frontoffice.dsr.report import PersonView
    from frontoffice.privacy.purge import Erasing
    from frontoffice.projection.contract import Projection
    from frontoffice.settings import Settings
    from frontoffice.storage.sql import SqlStore


def _routers(c: Container) -> list[APIRouter]:
    from frontoffice.commerce.api import commerce_router

    return [commerce_router(c)]


def _commands() -> list[click.Command]:
    from frontoffice.commerce.cli import commerce

    return [commerce]


def _projections(store: SqlStore, settings: Settings) -> list[Projection]:
    from frontoffice.commerce.projector import CommerceHub
    from frontoffice.projection.contract import Plain

    return [Plain("commerce", CommerceHub(store))]


def _purge(erasing: Erasing) -> None:
    """Orders and subscriptions found through the person's customer keys, with all their keys."""
    from frontoffice.privacy.subjects import canonical_subject

    ws = erasing.workspace_id
    entities = {(str(r[1]), str(r[2])) for r in erasing.select(
        "SELECT customer_key, kind, entity_id FROM commerce_keys WHERE workspace_id = ?", (ws,))
        if canonical_subject(str(r[0])) in erasing.person.identifiers}
    for kind, entity_id in sorted(entities):
        for table in ("commerce_keys", "commerce_entities"):
            erasing.cur.execute(erasing.store.sql(f"DELETE FROM {table} WHERE workspace_id = ? AND "
                                                  "kind = ? AND entity_id = ?"), (ws, kind, entity_id))
            erasing.count(table, max(erasing.cur.rowcount, 0))


def _sections(person: PersonView) -> dict[str, Any]:
    import orjson

    from frontoffice.storage.commerce_sql import CommerceStore

    ws, cs = person.workspace_id, CommerceStore(person.store)
    keys = person.profile["commerce"].get("customer_keys", [])
    order_ids = cs.entity_ids_for_keys(ws, "order", keys)
    orders = [orjson.loads(e.doc) for i in order_ids if (e := cs.entity(ws, "order", i))]
    returns = [orjson.loads(e.doc) for i in order_ids for e in cs.entities(ws, "return", i)]
    subscriptions = [orjson.loads(e.doc) for i in cs.entity_ids_for_keys(ws, "subscription", keys)
                     if (e := cs.entity(ws, "subscription", i))]
    return {"commerce": {"traits": person.profile["commerce"], "orders": orders, "returns": returns,
                         "subscriptions": subscriptions}}


def _html(doc: Mapping[str, Any]) -> str:
    from frontoffice.dsr.report import table

    commerce = doc["commerce"]
    return "".join(["<h2>Orders</h2>", table(("order",), ([o] for o in commerce["orders"])),
                    "<h2>Returns</h2>", table(("return",), ([r] for r in commerce["returns"])),
                    "<h2>Subscriptions</h2>",
                    table(("subscription",), ([s] for s in commerce["subscriptions"]))])


def _prices_page(kit: ConsoleKit) -> APIRouter:
    from frontoffice.console.pages.commerce import prices_router

    return prices_router(kit)


def _deliveries_page(kit: ConsoleKit) -> APIRouter:
    from frontoffice.console.pages.commerce import deliveries_router

    return deliveries_router(kit)


def _returns_page(kit: ConsoleKit) -> APIRouter:
    from frontoffice.console.pages.commerce import returns_router

    return returns_router(kit)


CAPABILITY = Capability(
    name="commerce",
    tables=("commerce_cursor", "commerce_entities", "commerce_holds", "commerce_keys",
            "commerce_positions", "commerce_secrets"),
    schema="frontoffice.commerce.tables",
    routers=_routers, commands=_commands, projections=_projections,
    purge=Purge(tables=("commerce_entities", "commerce_keys"), run=_purge),
    report=Report(sections=_sections, html=_html),
    console_pages=(
        ConsolePage("/commerce/prices", "Price conflicts", Scope.EVENTS_READ, _prices_page),
        ConsolePage("/commerce/deliveries", "Late and failed deliveries", Scope.EVENTS_READ,
                    _deliveries_page),
        ConsolePage("/commerce/returns", "Returns", Scope.EVENTS_READ, _returns_page),
    ),
)
