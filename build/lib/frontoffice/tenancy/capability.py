"""Tenancy: workspaces, sources and API tokens (the rules are in domain/tenancy.py and
services/tenancy.py until issue 13 folds them into this package)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from frontoffice.capability import Capability

if TYPE_CHECKING:
    import click
    from fastapi import APIRouter

    from frontoffice.bootstrap import Container


def _routers(c: Container) -> list[APIRouter]:
    from frontoffice.api.admin import admin_router

    return [admin_router(c)]


def _commands() -> list[click.Command]:
    from frontoffice.cli.admin import source, token, workspace

    return [workspace, source, token]


CAPABILITY = Capability(
    name="tenancy",
    tables=("api_tokens", "sources", "workspaces"),
    routers=_routers, commands=_commands,
)
