"""Tenancy: workspaces, sources and API tokens (the rules are in domain/tenancy.py and
services/tenancy.py until issue 13 folds them into this package)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from frontoffice.capability import Capability

if TYPE_CHECKING:
    from fastapi import APIRouter

    from frontoffice.bootstrap import Container


def _routers(c: Container) -> list[APIRouter]:
    from frontoffice.tenancy.api import admin_router

    return [admin_router(c)]


CAPABILITY = Capability(
    name="tenancy",
    tables=("api_tokens", "sources", "workspaces"),
    schema="frontoffice.tenancy.tables",
    routers=_routers,
    commands={"workspace": "frontoffice.tenancy.cli:workspace",
              "source": "frontoffice.tenancy.cli:source",
              "token": "frontoffice.tenancy.cli:token"},
)
