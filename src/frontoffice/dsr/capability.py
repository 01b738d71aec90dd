"""Data subject requests: access, erasure and their deadlines, tokens, audit and messages."""

from __future__ import annotations

from typing import TYPE_CHECKING

from frontoffice.capability import Capability, ConsolePage
from frontoffice.domain.tenancy import Scope

if TYPE_CHECKING:
    from fastapi import APIRouter

    from frontoffice.bootstrap import Container
    from frontoffice.console.kit import ConsoleKit


def _routers(c: Container) -> list[APIRouter]:
    from frontoffice.dsr.api import dsr_router

    return [dsr_router(c)]


# the requests and their audit are kept on erasure: the proof it was asked for and done,
# holding masked values only (so no purge hook)
def _requests_page(kit: ConsoleKit) -> APIRouter:
    from frontoffice.console.pages.privacy import dsr_router

    return dsr_router(kit)


CAPABILITY = Capability(
    name="dsr",
    tables=("dsr_artefacts", "dsr_audit", "dsr_outbox", "dsr_requests", "dsr_tokens"),
    schema="frontoffice.dsr.tables",
    routers=_routers,
    commands={"dsr": "frontoffice.dsr.cli:dsr"},
    console_pages=(
        ConsolePage("/privacy/requests", "Data-subject requests", Scope.DSR_ADMIN, _requests_page),
    ),
)
