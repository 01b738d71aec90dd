"""Privacy: subject keys (crypto-shredding), the suppression list, erasures, scrubbing."""

from __future__ import annotations

from typing import TYPE_CHECKING

from frontoffice.capability import Capability, ConsolePage
from frontoffice.domain.tenancy import Scope

if TYPE_CHECKING:
    from fastapi import APIRouter

    from frontoffice.bootstrap import Container
    from frontoffice.console.kit import ConsoleKit


def _routers(c: Container) -> list[APIRouter]:
    from frontoffice.privacy.api import privacy_router

    return [privacy_router(c)]


def _consent_page(kit: ConsoleKit) -> APIRouter:
    from frontoffice.console.pages.privacy import consent_router

    return consent_router(kit)


def _erasures_page(kit: ConsoleKit) -> APIRouter:
    from frontoffice.console.pages.privacy import erasures_router

    return erasures_router(kit)


# an erasure shreds the subject keys itself (privacy/erasure.py); the suppression list and the
# erasure log hold keyed hashes and counts only
CAPABILITY = Capability(
    name="privacy",
    tables=("privacy_erasures", "privacy_key_epochs", "privacy_subject_keys",
            "privacy_suppressed_events", "privacy_suppressions"),
    schema="frontoffice.privacy.tables",
    routers=_routers,
    commands={"privacy": "frontoffice.privacy.cli:privacy"},
    console_pages=(
        ConsolePage("/privacy/consent", "Consent statistics", Scope.PRIVACY_ADMIN, _consent_page),
        ConsolePage("/privacy/erasures", "Erasure log", Scope.PRIVACY_ADMIN, _erasures_page),
    ),
)
