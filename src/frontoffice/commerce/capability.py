"""Commerce: orders, returns, subscriptions, stock and prices, projected from the log."""

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


def _routers(c: Container) -> list[APIRouter]:
    from frontoffice.commerce.api import commerce_router

    return [commerce_router(c)]


def _projections(hubs: Hubs, store: SqlStore) -> list[Projection]:
    from frontoffice.commerce.ports import COMMERCE
    from frontoffice.projection.contract import Plain

    return [Plain("commerce", hubs.commerce.at(store), reads=frozenset({COMMERCE}))]


def _purge(erasing: Erasing) -> None:
    """Orders and subscriptions found through the person's customer keys, with all their keys."""
    from frontoffice.commerce.store import CommerceStore
    from frontoffice.vault.subjects import canonical_subject

    identifiers = erasing.person.identifiers
    counts = CommerceStore(erasing.store).purge(
        erasing.workspace_id, lambda key: canonical_subject(key) in identifiers)
    for table, deleted in counts.items():
        erasing.count(table, deleted)


def _sections(person: PersonView) -> dict[str, Any]:
    import orjson

    from frontoffice.commerce.store import CommerceStore

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
    routers=_routers,
    commands={"commerce": "frontoffice.commerce.cli:commerce"},
    projections=_projections,
    purge=Purge(tables=("commerce_entities", "commerce_keys"), run=_purge),
    report=Report(sections=_sections, html=_html),
    console_pages=(
        ConsolePage("/commerce/prices", "Price conflicts", Scope.EVENTS_READ, _prices_page),
        ConsolePage("/commerce/deliveries", "Late and failed deliveries", Scope.EVENTS_READ,
                    _deliveries_page),
        ConsolePage("/commerce/returns", "Returns", Scope.EVENTS_READ, _returns_page),
    ),
)
