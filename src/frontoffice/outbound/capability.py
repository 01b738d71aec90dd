"""Outbound: who may be messaged or exported, each decision logged with its rule."""

from __future__ import annotations

from typing import TYPE_CHECKING

from frontoffice.capability import Capability, Purge

if TYPE_CHECKING:
    from fastapi import APIRouter

    from frontoffice.bootstrap import Container
    from frontoffice.privacy.purge import Erasing


def _routers(c: Container) -> list[APIRouter]:
    from frontoffice.outbound.api import outbound_router

    return [outbound_router(c)]


def _purge(erasing: Erasing) -> None:
    # both name "the person id, or the subject key when no person is known"; a queued message
    # holds the address and the template's variables
    erasing.delete_by_person_or_subject("outbound_decisions", "person")
    erasing.delete_by_person_or_subject("message_outbox", "person_id")


CAPABILITY = Capability(
    name="outbound",
    tables=("message_deliveries", "message_outbox", "outbound_decisions"),
    schema="frontoffice.outbound.tables",
    routers=_routers,
    purge=Purge(tables=("message_outbox", "outbound_decisions"), run=_purge),
)
