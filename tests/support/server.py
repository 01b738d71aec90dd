"""Start the real `frontoffice serve` process for end-to-end tests."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

from frontoffice.cli.serve import wait_until_serving
from frontoffice.errors import FrontofficeError
from frontoffice.storage import open_store
from frontoffice.tenancy import service as tenancy


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Tenant:
    workspace: str
    write_key: str
    token: str
    source_id: str
    workspace_id: str


def make_tenant(database_url: str, workspace: str, source: str = "web",
                channel: str = "web") -> Tenant:
    store = open_store(database_url)
    try:
        store.upgrade()
        ws = tenancy.ensure_workspace(store, workspace, "EU")
        src, key = tenancy.create_source(store, ws.id, source, channel)
        _, token = tenancy.create_token(store, ws.id, f"{source}-reader",
                                        ["events:read", "sources:admin", "tokens:admin"])
        return Tenant(workspace, key, token, src.id, ws.id)
    finally:
        store.close()


class _PortTaken(RuntimeError):
    pass


@dataclass
class ServerProcess:
    database_url: str
    data_dir: Path
    env_extra: dict[str, str] = field(default_factory=dict)
    port: int = field(default_factory=free_port)
    # The projection worker is left out unless a test needs it: most e2e tests exercise the
    # collector, and a worker resolving people would only compete with it for the CPU.
    serve_args: tuple[str, ...] = ("--no-worker",)
    # Another process may bind the free port between picking and serving (a parallel test
    # worker's server): then start again on a new one, unless the test chose the port.
    repick_port: bool = True
    proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 120.0) -> None:
        # a bound, not a wait: it returns as soon as the server answers (or exits); a loaded
        # 2-core machine running two test workers can take half a minute to import it
        for attempt in range(3):
            try:
                self._start_once(timeout)
                return
            except _PortTaken:
                if not self.repick_port or attempt == 2:
                    raise
                self.port = free_port()

    def _start_once(self, timeout: float) -> None:
        # One ingest process: the production path (the API hands batches to an ingest process)
        # at half the start cost of the default pool of two; the pool's own tests ask for two.
        env = {**os.environ, "FRONTOFFICE_DATABASE_URL": self.database_url,
               "FRONTOFFICE_DATA_DIR": str(self.data_dir), "FRONTOFFICE_INGEST_PROCESSES": "1",
               **self.env_extra}
        log_path = self.data_dir / f"server-{self.port}.log"
        start = log_path.stat().st_size if log_path.exists() else 0
        with log_path.open("ab") as log:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "frontoffice", "serve", "--port", str(self.port),
                 *self.serve_args], env=env, stdout=log, stderr=log)
        try:
            wait_until_serving(self.proc, self.url, timeout)
        except FrontofficeError as exc:
            self.stop()
            with log_path.open("rb") as log:
                log.seek(start)
                said = log.read().decode("utf-8", "replace")
            if "address already in use" in said.lower():
                raise _PortTaken(f"port {self.port} is taken: {exc} (log: {log_path})") from exc
            raise RuntimeError(f"{exc} (log: {log_path})") from exc

    def kill9(self) -> None:
        if self.proc is not None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait()
            self.proc = None

    def stop(self) -> None:
        if self.proc is not None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
            self.proc = None
