"""Fixtures of the in-process API tier: one container per test on its database, and a client
factory that mints a token with exactly the scopes a test asks for.

    async def test_x(api: Api) -> None:
        ws = api.workspace("acme")
        r = await api.client.get("/api/v1/...", headers=api.bearer(ws.id, "events:read"))
"""

from __future__ import annotations

import base64
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest

from frontoffice.api.app import create_app
from frontoffice.bootstrap import Container, Role, bootstrap
from frontoffice.domain.tenancy import Workspace
from frontoffice.settings import Settings
from frontoffice.tenancy import service as tenancy


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
def container(database_url: str, tmp_path: Path) -> Iterator[Container]:
    """The server's parts on the test's database (``database_url``: SQLite and PostgreSQL)."""
    built = bootstrap(Settings.load({}, overrides={"database_url": database_url, "data_dir": tmp_path}),
                      Role.SERVER)
    yield built
    built.close()


@dataclass
class Api:
    """An in-process client of the app, and tokens made to measure."""

    client: httpx.AsyncClient
    container: Container
    _minted: int = field(default=0)

    def workspace(self, name: str, region: str = "EU") -> Workspace:
        return tenancy.create_workspace(self.container.store, name, region)

    def token(self, workspace_id: str | None, *scopes: str) -> str:
        """A new token of ``workspace_id`` (None: of the instance) holding exactly ``scopes``."""
        self._minted += 1
        _, secret = tenancy.create_token(self.container.store, workspace_id, f"test-{self._minted}",
                                         list(scopes))
        return secret

    def bearer(self, workspace_id: str | None, *scopes: str) -> dict[str, str]:
        return bearer(self.token(workspace_id, *scopes))


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def basic(write_key: str) -> dict[str, str]:
    """The Segment-style header a source's write key is sent in."""
    return {"Authorization": "Basic " + base64.b64encode(f"{write_key}:".encode()).decode()}


@pytest.fixture
async def api(container: Container) -> AsyncIterator[Api]:
    transport = httpx.ASGITransport(app=create_app(container))
    async with httpx.AsyncClient(transport=transport, base_url="http://fo") as client:
        yield Api(client, container)
