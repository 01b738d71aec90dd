"""Route fields built from equal parts share one pydantic adapter; any part that differs (a bound,
a default, an alias, the type) keeps its own, so each route validates as it declares."""

from __future__ import annotations

import asyncio
from typing import Annotated, Any

import httpx
from fastapi import FastAPI, Header, Query

from frontoffice.api.field_adapters import share_field_adapters, shared_adapters


def _app() -> FastAPI:
    app = FastAPI()

    @app.get("/wide")
    def wide(limit: Annotated[int, Query(le=100)] = 10) -> dict[str, int]:
        return {"limit": limit}

    @app.get("/narrow")
    def narrow(limit: Annotated[int, Query(le=5)] = 3) -> dict[str, int]:
        return {"limit": limit}

    @app.get("/named")
    def named(key: Annotated[str, Header(alias="x-key")] = "none",
              other: Annotated[str, Header(alias="x-other")] = "none") -> dict[str, str]:
        return {"key": key, "other": other}

    @app.get("/text")
    def text(limit: Annotated[str, Query()] = "10") -> dict[str, str]:
        return {"limit": limit}

    return app


def _answers(app: FastAPI, *requests: tuple[str, dict[str, Any]]) -> list[tuple[int, Any]]:
    async def ask() -> list[tuple[int, Any]]:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as client:
            return [((r := await client.get(path, **options)).status_code, r.json())
                    for path, options in requests]

    return asyncio.run(ask())


def test_fields_that_differ_in_any_part_validate_as_each_declares() -> None:
    share_field_adapters()
    wide, narrow, wide_default, narrow_default, text, named = _answers(
        _app(), ("/wide", {"params": {"limit": 50}}), ("/narrow", {"params": {"limit": 50}}),
        ("/wide", {}), ("/narrow", {}), ("/text", {"params": {"limit": "07"}}),
        ("/named", {"headers": {"x-key": "a", "x-other": "b"}}))
    assert wide == (200, {"limit": 50}) and narrow[0] == 422
    assert wide_default == (200, {"limit": 10}) and narrow_default == (200, {"limit": 3})
    assert text == (200, {"limit": "07"})
    assert named == (200, {"key": "a", "other": "b"})


def test_a_second_app_of_the_same_routes_builds_no_new_adapter() -> None:
    share_field_adapters()
    _app()
    held = shared_adapters()
    _app()
    assert shared_adapters() == held
