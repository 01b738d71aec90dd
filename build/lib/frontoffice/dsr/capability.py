"""Data subject requests: access, erasure and their deadlines, tokens, audit and messages."""

from __future__ import annotations

from typing import TYPE_CHECKING

from frontoffice.capability import Capability

if TYPE_CHECKING:
    import click
    from fastapi import APIRouter

    from frontoffice.bootstrap import Container


def _routers(c: Container) -> list[APIRouter]:
    from frontoffice.api.dsr import dsr_router

    return [dsr_router(c)]


def _commands() -> list[click.Command]:
    from frontoffice.cli.dsr import dsr

    return [dsr]


# the requests and their audit are kept on erasure: the proof it was asked for and done,
# holding masked values only (so no purge hook)
CAPABILITY = Capability(
    name="dsr",
    tables=("dsr_artefacts", "dsr_audit", "dsr_outbox", "dsr_requests", "dsr_tokens"),
    routers=_routers, commands=_commands,
)
