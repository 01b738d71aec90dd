"""The console in-process (httpx over ASGI), signed in as a user the console store holds."""

from __future__ import annotations

import asyncio
import re
import threading
from collections.abc import Coroutine, Iterator
from contextlib import contextmanager
from dataclasses import replace
from functools import cache
from pathlib import Path
from typing import Any, TypeVar

import httpx
from fastapi import FastAPI

from frontoffice.api.app import create_app
from frontoffice.bootstrap import Role as Process
from frontoffice.bootstrap import bootstrap
from frontoffice.console.roles import Role
from frontoffice.console.store import ConsoleStore, User
from frontoffice.console.users import hash_password
from frontoffice.domain.events import iso, now
from frontoffice.domain.tenancy import Status, new_id
from frontoffice.settings import Settings
from frontoffice.storage import open_store
from frontoffice.tenancy import service as tenancy

PASSWORD = "a long enough password"
T = TypeVar("T")


class Client:
    """A blocking httpx client over the app's ASGI interface, keeping its cookies. Its event loop
    runs in a thread of its own, so it works beside a loop already running in this thread (the
    browser tests' Playwright, in the same test process)."""

    def __init__(self, app: FastAPI) -> None:
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self._thread.start()
        self._client = httpx.AsyncClient(transport=httpx.ASGITransport(app=app),
                                         base_url="http://console.test", follow_redirects=False)

    def _run(self, call: Coroutine[Any, Any, T]) -> T:
        return asyncio.run_coroutine_threadsafe(call, self._loop).result(timeout=60)

    def get(self, path: str, **kwargs: Any) -> httpx.Response:
        return self._run(self._client.get(path, **kwargs))

    def post(self, path: str, **kwargs: Any) -> httpx.Response:
        return self._run(self._client.post(path, **kwargs))

    def close(self) -> None:
        self._run(self._client.aclose())
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join()
        self._loop.close()


@cache
def _password_hash() -> str:
    """PASSWORD hashed once per test process by the product (argon2id: ~0.2 s a hash, on purpose)."""
    return hash_password(PASSWORD)


def add_users(database_url: str, workspace: str = "acme") -> str:
    """A user of each role in ``workspace``, all with PASSWORD: stored as ``create_user`` stores
    one, under one hash of it (signing in still verifies it; ``create_user`` and its hashing are
    tested in test_console.py)."""
    store = open_store(database_url)
    try:
        ws = tenancy.ensure_workspace(store, workspace, "EU")
        for role in Role:
            login = f"{workspace}-{role.value.replace('_', '-')}"
            ConsoleStore(store).add_user(User(new_id(), ws.id, login, login, role, None, Status.ACTIVE,
                                              iso(now()), "test"), _password_hash())
        return ws.id
    finally:
        store.close()


@contextmanager
def console(database_url: str, tmp_path: Path, **settings: object) -> Iterator[Client]:
    container = bootstrap(replace(Settings(data_dir=tmp_path, database_url=database_url), **settings),
                          Process.SERVER)
    try:
        client = Client(create_app(container))
        try:
            yield client
        finally:
            client.close()
    finally:
        container.close()


def csrf_of(html: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found, html
    return found.group(1)


def sign_in(client: Client, login: str, password: str = PASSWORD) -> httpx.Response:
    form = client.get("/console/login")
    return client.post("/console/login", data={"login": login, "password": password,
                                               "csrf": csrf_of(form.text)})
