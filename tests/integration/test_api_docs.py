"""/docs and /redoc work offline: their pages load scripts and styles from this server only."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from frontoffice.api.app import create_app
from frontoffice.bootstrap import Role, bootstrap
from frontoffice.settings import Settings

pytestmark = pytest.mark.anyio
LINKED = re.compile(r"""(?:src|href)\s*=\s*["']([^"']+)["']""")


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
async def client(tmp_path: Path) -> AsyncIterator[httpx.AsyncClient]:
    settings = Settings.load({}, overrides={"data_dir": tmp_path})
    container = bootstrap(settings, Role.SERVER, ingest_processes=0)
    transport = httpx.ASGITransport(app=create_app(container))
    async with httpx.AsyncClient(transport=transport, base_url="http://fo") as http:
        yield http
    container.close()


@pytest.mark.parametrize(("page", "script"), [("/docs", "swagger-ui-bundle.js"),
                                               ("/redoc", "redoc.standalone.js")])
async def test_the_api_docs_pages_load_every_asset_from_this_server(client: httpx.AsyncClient, page: str,
                                                                    script: str) -> None:
    answer = await client.get(page)
    assert answer.status_code == 200
    html = answer.text
    assert "://" not in html, "a page of the docs names another host (a CDN?)"
    linked = LINKED.findall(html)
    assert any(url.endswith(script) for url in linked), linked
    for url in linked:
        assert url.startswith("/"), url
        asset = await client.get(url)
        assert asset.status_code == 200, url
        if url.endswith(".js"):
            assert "javascript" in asset.headers["content-type"]
            assert len(asset.content) > 100_000  # the real bundle, not a stub
    assert (await client.get("/openapi.json")).status_code == 200
