"""One handler answers every typed error with the status its class carries; anything unexpected
is logged with its traceback before the API answers 5xx, always as JSON."""

from __future__ import annotations

import base64
import logging
import sqlite3
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import orjson
import pytest
from fastapi import FastAPI

from frontoffice.api.app import create_app
from frontoffice.api.handlers import UnexpectedErrors, install_error_handlers
from frontoffice.bootstrap import Container, build
from frontoffice.commerce.records import sign
from frontoffice.commerce.store import CommerceStore
from frontoffice.dsr.model import DsrError, VerificationFailed, WrongState
from frontoffice.errors import AlreadyExists, FrontofficeError, InvalidInput, NotFound, Overloaded
from frontoffice.services import tenancy
from frontoffice.services.tokens import ApiAuthError
from frontoffice.settings import Settings
from tests.unit.commerce.sample import LOCATIONS

pytestmark = pytest.mark.anyio
SECRET = "whs_test_secret_0123456789"


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


def raising(error: BaseException) -> FastAPI:
    """An app with the API's error handling and one route that raises ``error``."""
    app = FastAPI()
    install_error_handlers(app)
    app.add_middleware(UnexpectedErrors)

    @app.get("/fail")
    def fail() -> None:
        raise error

    return app


async def get(app: FastAPI, path: str) -> httpx.Response:
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://fo") as client:
        return await client.get(path)


@pytest.mark.parametrize(("error", "status"), [
    (NotFound("No such thing."), 404), (AlreadyExists("Taken."), 409), (InvalidInput("Bad."), 400),
    (Overloaded("Busy; retry.", 1), 429), (DsrError("Bad details."), 400),
    (VerificationFailed("Wrong code."), 403), (WrongState("Already done."), 409),
    (ApiAuthError(403, "forbidden", "Lacks the scope."), 403),
], ids=lambda value: type(value).__name__ if isinstance(value, BaseException) else str(value))
async def test_a_typed_error_answers_the_status_its_class_carries_as_json(error: FrontofficeError,
                                                                         status: int) -> None:
    answer = await get(raising(error), "/fail")
    assert answer.status_code == status == error.status
    assert answer.json() == {"code": error.code, "message": str(error)}


async def test_an_unexpected_exception_is_logged_with_its_traceback_and_answered_json_500(
        caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.ERROR):
        answer = await get(raising(KeyError("lost-key")), "/fail")
    assert answer.status_code == 500
    assert answer.json()["code"] == "internal_error" and "KeyError" in answer.json()["message"]
    logged = [r for r in caplog.records if r.exc_info and r.exc_info[0] is KeyError]
    assert logged, caplog.text
    assert "GET /fail" in logged[0].getMessage() and "Traceback" in caplog.text


# -- a storage failure: the clients still get their retryable 503, the operator the cause --------

@pytest.fixture
async def broken_log(tmp_path: Path) -> AsyncIterator[tuple[httpx.AsyncClient, Container, str]]:
    """A server in-process whose event log refuses every write (as a full disk would)."""
    container = build(Settings.load({}, overrides={"data_dir": tmp_path}), ingest_processes=0)
    ws = tenancy.create_workspace(container.store, "acme")
    _, web_key = tenancy.create_source(container.store, ws.id, "web", "web")
    shop, shop_key = tenancy.create_source(container.store, ws.id, "shop", "commerce")
    CommerceStore(container.store).set_secret(ws.id, shop.id, SECRET)
    with sqlite3.connect(tmp_path / "frontoffice.db") as db:
        db.execute("CREATE TRIGGER full_disk BEFORE INSERT ON events "
                   "BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END")
    transport = httpx.ASGITransport(app=create_app(container))
    async with httpx.AsyncClient(transport=transport, base_url="http://fo") as client:
        yield client, container, f"{web_key}\n{shop_key}"
    container.close()


def basic(key: str) -> str:
    return "Basic " + base64.b64encode(f"{key}:".encode()).decode()


async def test_a_batch_the_event_log_cannot_take_is_answered_503_and_logged_with_its_cause(
        broken_log: tuple[httpx.AsyncClient, Container, str], caplog: pytest.LogCaptureFixture) -> None:
    client, _, keys = broken_log
    with caplog.at_level(logging.ERROR):
        answer = await client.post("/v1/track", json={"event": "Viewed", "userId": "u1"},
                                   headers={"Authorization": basic(keys.split()[0])})
    assert answer.status_code == 503 and answer.json()["code"] == "storage_unavailable"
    assert any(r.exc_info and "could not store a batch" in r.getMessage() for r in caplog.records), \
        caplog.text


async def test_a_commerce_intake_the_event_log_cannot_take_is_answered_503_and_logged_with_its_cause(
        broken_log: tuple[httpx.AsyncClient, Container, str], caplog: pytest.LogCaptureFixture) -> None:
    client, _, keys = broken_log
    raw = orjson.dumps(LOCATIONS)
    with caplog.at_level(logging.ERROR):
        answer = await client.post("/commerce/v1/locations", content=raw, headers={
            "Authorization": basic(keys.split()[1]), "Content-Type": "application/json",
            "X-Frontoffice-Signature": sign(SECRET, raw)})
    assert answer.status_code == 503 and answer.json()["code"] == "storage_unavailable", answer.text
    assert any(r.exc_info and "could not store" in r.getMessage() for r in caplog.records), caplog.text
