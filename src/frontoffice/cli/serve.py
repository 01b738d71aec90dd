"""``frontoffice serve``: the API server (collector, admin API) under uvicorn."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time

import click
import httpx
import uvicorn

from frontoffice import worker as projection_worker
from frontoffice.api.app import create_app
from frontoffice.api.connections import ConnectionRules, guarded_protocol
from frontoffice.bootstrap import Role, bootstrap
from frontoffice.cli.context import err_console, friendly_errors, settings_from
from frontoffice.errors import FrontofficeError
from frontoffice.settings import Settings


@click.command()
@click.option("--host", default=None, help="Listen address (setting 'host').")
@click.option("--port", type=int, default=None, help="Listen port (setting 'port').")
@click.option("--worker/--no-worker", default=True, show_default=True,
              help="Also run the projection worker (people, consent) as a child process; turn it "
                   "off when workers run elsewhere.")
@click.option("--ingest-processes", type=int, default=None,
              help="Processes that parse and append collector batches (setting "
                   "'ingest_processes'; 0 = all in the API process).")
@click.option("--log-level", default="warning", show_default=True,
              type=click.Choice(["critical", "error", "warning", "info", "debug"]))
@click.pass_context
@friendly_errors
def serve(ctx: click.Context, host: str | None, port: int | None, worker: bool,
          ingest_processes: int | None, log_level: str) -> None:
    """Serve the Segment-compatible collector and the admin API."""
    settings = settings_from(ctx)
    host = host or settings.host
    port = port or settings.port
    processes = settings.ingest_processes if ingest_processes is None else ingest_processes
    if processes < 0:
        raise click.BadParameter("must be 0 or more", param_hint="--ingest-processes")
    # the port first: a port in use fails at once, before the storage is opened and the ingest
    # processes are started only to be stopped again
    listening = _bind(host, port)
    container = bootstrap(settings, Role.SERVER, ingest_processes=processes)
    app = create_app(container)
    err_console.print(
        f"frontoffice listening on http://{host}:{port} "
        f"({container.store.dialect}; collector at {settings.collector_prefix or ''}/v1/batch, "
        f"{processes or 'no'} ingest processes)"
    )
    # uvicorn's httptools protocol, with slow-client timeouts, a per-address connection cap and
    # JSON for the HTTP errors it answers itself
    config = uvicorn.Config(app, host=host, port=port, log_level=log_level, loop="uvloop",
                            http=guarded_protocol(ConnectionRules.of(settings)), access_log=False,
                            timeout_graceful_shutdown=5)
    # uvicorn re-raises the SIGTERM it caught once it has shut down; with the default handler
    # that kills this process before the worker is stopped, leaving it to write on its own
    signal.signal(signal.SIGTERM, _exit_on_sigterm)
    children = _start_workers(settings) if worker else []
    failed = False
    try:
        uvicorn.Server(config).run(sockets=[listening])
    except SystemExit as exc:  # ours on SIGTERM (code 0); uvicorn's when it cannot start
        failed = exc.code not in (None, 0)
    finally:
        for child in children:
            stop_child(child, 30)
    if failed:
        raise FrontofficeError(
            f"The server could not start on {host}:{port} (the reason is above); if the port "
            "is in use, stop what holds it or choose another with --port.")


def _bind(host: str, port: int) -> socket.socket:
    """The listening socket, bound the way uvicorn binds its own (address reuse, IPv6 when the
    host is an IPv6 address)."""
    listening = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET)
    listening.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        listening.bind((host, port))
    except OSError as exc:
        listening.close()
        reason = (exc.strerror or str(exc)).lower()
        raise FrontofficeError(f"The server could not start on {host}:{port}: {reason}; stop what "
                               "holds the port or choose another with --port.") from exc
    return listening


def wait_until_serving(server: subprocess.Popen[bytes], base_url: str,
                       timeout_s: float = 30.0) -> None:
    """Return once ``server`` (a ``frontoffice serve`` process) answers ``/healthz`` itself: a
    port taken meanwhile by another server answers with that server's pid and is not taken for
    this one. Raises (and stops ``server``) when it exits or does not answer in time."""
    deadline = time.monotonic() + timeout_s
    with httpx.Client(timeout=1) as client:  # one client: each new one loads the CA bundle (~25 ms)
        while time.monotonic() < deadline:
            if server.poll() is not None:
                raise FrontofficeError(f"The server exited with code {server.returncode}; see what "
                                       "it printed (is the port in use?).")
            try:
                health = client.get(f"{base_url}/healthz")
                if health.status_code == 200 and health.json().get("pid") == server.pid:
                    return
            except (httpx.HTTPError, ValueError):
                pass
            time.sleep(0.05)
    server.terminate()
    raise FrontofficeError(f"The server did not answer {base_url}/healthz within {timeout_s:.0f} s.")


def _exit_on_sigterm(signum: int, frame: object) -> None:
    raise SystemExit(0)


def stop_child(child: subprocess.Popen[bytes], seconds: float) -> None:
    """Ask a child process to stop (SIGTERM: it finishes what it is doing) and wait; kill it
    after ``seconds``."""
    if child.poll() is not None:
        return
    child.terminate()
    try:
        child.wait(timeout=seconds)
    except subprocess.TimeoutExpired:
        child.kill()
        child.wait()


def _start_workers(settings: Settings) -> list[subprocess.Popen[bytes]]:
    """The worker, and a second one for the projections ``worker_own_process`` names."""
    args = [sys.executable, "-m", "frontoffice", "--data-dir", str(settings.data_dir)]
    if settings.database_url:
        args += ["--database-url", settings.database_url]
    args += ["worker", "--parent-pid", str(os.getpid())]
    own = ",".join(sorted(projection_worker.names(settings.worker_own_process)))
    return [subprocess.Popen(a) for a in [args, *([[*args, "--only", own]] if own else [])]]


@click.command("worker")
@click.option("--parent-pid", type=int, default=None,
              help="Stop when this process is gone (set by `frontoffice serve`).")
@click.option("--only", default=None,
              help="Run only these projections (comma-separated names) and deliver nothing; the "
                   "worker without it runs the others (setting 'worker_own_process').")
@click.pass_context
@friendly_errors
def worker_cmd(ctx: click.Context, parent_pid: int | None, only: str | None) -> None:
    """Keep people and consent projections in step with the event log (until stopped)."""
    settings = settings_from(ctx)
    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    projection_worker.run(settings, stop, parent_pid, projection_worker.names(only))
