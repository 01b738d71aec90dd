"""Privacy: subject keys (crypto-shredding), the suppression list, erasures, scrubbing."""

from __future__ import annotations

from typing import TYPE_CHECKING

from frontoffice.capability import Capability

if TYPE_CHECKING:
    import click
    from fastapi import APIRouter

    from frontoffice.bootstrap import Container


def _routers(c: Container) -> list[APIRouter]:
    from frontoffice.api.privacy import privacy_router

    return [privacy_router(c)]


def _commands() -> list[click.Command]:
    from frontoffice.cli.privacy import privacy

    return [privacy]


# an erasure shreds the subject keys itself (privacy/erasure.py); the suppression list and the
# erasure log hold keyed hashes and counts only
CAPABILITY = Capability(
    name="privacy",
    tables=("privacy_erasures", "privacy_key_epochs", "privacy_subject_keys",
            "privacy_suppressed_events", "privacy_suppressions"),
    routers=_routers, commands=_commands,
)
