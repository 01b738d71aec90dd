"""Data residency through the real server (`frontoffice serve` with its ingest processes and the
projection worker), main database on SQLite and PostgreSQL, Russian storage in a SQLite file: the
Russian workspace's events and people live only there; a Russian person's events sent to a
European workspace are refused with the reason."""

from __future__ import annotations

import base64
import json
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from frontoffice.residency.locations import create_resident_workspace
from frontoffice.storage import open_store
from frontoffice.storage.sql import SqlStore
from frontoffice.tenancy import service as tenancy
from tests.support.server import ServerProcess


@pytest.fixture
def ru_file(tmp_path: Path) -> Path:
    folder = tmp_path / "ru"
    folder.mkdir()
    return folder / "ru.db"


@pytest.fixture
def server(database_url: str, tmp_path: Path, ru_file: Path) -> Iterator[ServerProcess]:
    proc = ServerProcess(database_url, tmp_path, serve_args=(), env_extra={
        "FRONTOFFICE_STORAGE_LOCATIONS": json.dumps({"RU": f"sqlite:///{ru_file}"}),
        "FRONTOFFICE_DATA_LOCATION": "DE", "FRONTOFFICE_INGEST_PROCESSES": "2"})
    yield proc
    proc.stop()


def _keys(database_url: str, ru_file: Path) -> dict[str, tuple[str, str]]:
    store = open_store(database_url)
    try:
        store.upgrade()
        ru, _ = create_resident_workspace(store, "brand-ru", "RU", None, "DE", {"RU": f"sqlite:///{ru_file}"})
        eu = tenancy.create_workspace(store, "brand-eu", "EU")
        keys = {name: (ws.id, tenancy.create_source(store, ws.id, "web", "web")[1])
                for name, ws in (("ru", ru), ("eu", eu))}
        keys["ru-reader"] = (ru.id, tenancy.create_token(store, ru.id, "reader", ["events:read"])[1])
        return keys
    finally:
        store.close()


def _send(server: ServerProcess, key: str, *events: dict[str, Any]) -> httpx.Response:
    auth = "Basic " + base64.b64encode(f"{key}:".encode()).decode()
    return httpx.post(f"{server.url}/v1/batch", json={"batch": list(events)}, headers={"Authorization": auth},
                      timeout=30)


def _wait(check: Any, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.2)


def _count(store: SqlStore, sql: str, *params: object) -> int:
    return int(store.query(sql, params)[0][0])


def test_the_russian_workspace_lives_in_its_storage_and_refuses_nothing_russian(
        server: ServerProcess, database_url: str, ru_file: Path) -> None:
    keys = _keys(database_url, ru_file)
    server.start()
    marker = uuid.uuid4().hex
    ivan = {"type": "identify", "userId": f"ivan-{marker}", "messageId": f"m-{marker}",
            "traits": {"email": f"ivan-{marker}@example.ru", "phone": "+7 912 345-67-89"},
            "context": {"locale": "ru-RU"}}
    r = _send(server, keys["ru"][1], ivan)
    assert r.status_code == 200 and r.json()["accepted"] == 1, r.text
    refused = _send(server, keys["eu"][1], {**ivan, "messageId": f"x-{marker}"},
                    {"type": "track", "event": "Viewed", "userId": "hans", "context": {"locale": "de-DE"}})
    assert refused.status_code == 200, refused.text
    [why] = refused.json()["rejected"]
    assert why["index"] == 0 and "must be stored in RU" in why["reason"]
    ru = open_store(f"sqlite:///{ru_file}")
    main = open_store(database_url)
    try:
        ws = keys["ru"][0]
        assert _count(ru, "SELECT count(*) FROM events WHERE workspace_id = ?", ws) == 1
        # the worker projects the Russian workspace from the Russian storage
        _wait(lambda: _count(ru, "SELECT count(*) FROM identity_persons WHERE workspace_id = ?", ws) == 1)
        assert _count(main, "SELECT count(*) FROM events WHERE workspace_id = ?", ws) == 0
        assert _count(main, "SELECT count(*) FROM identity_records WHERE workspace_id = ?", ws) == 0
        assert _count(main, "SELECT count(*) FROM quarantine WHERE message_id LIKE ?", f"%{marker}%") == 0
        assert _count(main, "SELECT count(*) FROM events WHERE message_id LIKE ?", f"%{marker}%") == 0
    finally:
        ru.close()
        main.close()
    assert f"m-{marker}".encode() in b"".join(p.read_bytes() for p in ru_file.parent.glob("ru.db*"))
    # The admin API reads the Russian workspace from where it lives.
    api = {"Authorization": f"Bearer {keys['ru-reader'][1]}"}
    events = httpx.get(f"{server.url}/api/v1/workspaces/brand-ru/events", headers=api, timeout=30)
    assert events.status_code == 200, events.text
    assert [e["message_id"] for e in events.json()["events"]] == [f"m-{marker}"]
    people = httpx.get(f"{server.url}/api/v1/workspaces/brand-ru/people/lookup", headers=api, timeout=30,
                       params={"kind": "user_id", "value": f"ivan-{marker}"})
    assert people.status_code == 200 and len(people.json()["person_ids"]) == 1, people.text
    if database_url.startswith("sqlite:///"):
        main_file = Path(database_url.removeprefix("sqlite:///"))
        files = main_file.parent.glob(main_file.name + "*")  # the database, its WAL and journal
        assert marker.encode() not in b"".join(p.read_bytes() for p in files)
