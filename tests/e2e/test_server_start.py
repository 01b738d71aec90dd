"""Starting a server waits for that server: a port another server holds meanwhile (as when
two test workers or two demos pick the same free port) is not mistaken for it."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from tests.e2e.conftest import Live, sqlite_url
from tests.support.server import ServerProcess


def test_health_names_the_process_that_answers(fresh: Live) -> None:
    health = httpx.get(fresh.url + "/healthz", timeout=10).json()
    assert fresh.server.proc is not None and health["pid"] == fresh.server.proc.pid
    assert health["status"] == "ok"


@pytest.mark.parametrize("shared_database_url", ["sqlite"], indirect=True)  # the port, not the storage
def test_a_server_whose_port_is_taken_is_not_reported_started(fresh: Live, tmp_path: Path) -> None:
    second = ServerProcess(sqlite_url(tmp_path), tmp_path, port=fresh.server.port,
                           repick_port=False)
    try:
        with pytest.raises(RuntimeError, match=r"port \d+ is taken: The server exited with code 1"):
            second.start()
    finally:
        second.stop()
    # refused before it opened the storage or started its ingest processes
    said = (tmp_path / f"server-{fresh.server.port}.log").read_text()
    assert "address already in use" in said and "listening" not in said, said
    # left to pick its own port, it starts on another one
    third = ServerProcess(sqlite_url(tmp_path), tmp_path, port=fresh.server.port)
    try:
        third.start()
        assert third.port != fresh.server.port and third.proc is not None
        assert httpx.get(third.url + "/healthz", timeout=10).json()["pid"] == third.proc.pid
    finally:
        third.stop()
    # the server that holds the port goes on serving its own tenant
    assert fresh.server.proc is not None
    assert httpx.get(fresh.url + "/healthz", timeout=10).json()["pid"] == fresh.server.proc.pid
