"""The projection worker runs beside the server and never outlives it."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from tests.support.server import ServerProcess, make_tenant


def worker_pids(data_dir: Path) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            argv = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if b"worker" in argv and str(data_dir).encode() in argv:
            found.append(int(entry.name))
    return found


def wait_until(predicate: object, seconds: float = 10) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():  # type: ignore[operator]
            return True
        time.sleep(0.1)
    return False


@pytest.mark.parametrize("stop", ["sigterm", "kill9"])
def test_the_worker_stops_with_the_server(tmp_path: Path, stop: str) -> None:
    url = f"sqlite:///{tmp_path / 'frontoffice.db'}"
    make_tenant(url, "acme")
    server = ServerProcess(url, tmp_path, serve_args=())
    server.start()
    assert wait_until(lambda: len(worker_pids(tmp_path)) == 1), "no worker process started"
    (pid,) = worker_pids(tmp_path)
    if stop == "kill9":
        server.kill9()
    else:  # the server stops its worker before it exits: none is left writing on its own
        proc = server.proc
        assert proc is not None
        server.stop()
        assert proc.returncode == 0
        assert not os.path.exists(f"/proc/{pid}"), "the server exited before its worker"
    assert wait_until(lambda: not os.path.exists(f"/proc/{pid}") or
                      b"zombie" in Path(f"/proc/{pid}/status").read_bytes().lower()), (
        "the worker outlived the server")
