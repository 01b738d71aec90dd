"""Idle cost and lookup lag of the projection worker with N quiet workspaces.

    python -m bench.bench_worker_idle [--workspaces 3000] [--only runner|old]

Makes N workspaces with one identify event each, starts the worker (``worker.run`` in a thread),
waits until it has projected them all, then prints the worker's CPU over a few idle seconds (%
of one core, measured with ``time.process_time``) and how long a new event in one quiet
workspace takes to be resolved into a person. The baseline, in the same run on a database of its
own, is the loop the worker had before the projection runner (every workspace and projection
polled in turn, deliveries inline); ``--only`` runs one of the two.
"""

from __future__ import annotations

import argparse
import tempfile
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from frontoffice import worker
from frontoffice.consent.person_service import PersonConsentHub
from frontoffice.consent.service import ConsentHub
from frontoffice.destinations.delivery import deliver_workspace
from frontoffice.domain.events import EventRecord, Limits, normalise, now
from frontoffice.domain.tenancy import Status, Workspace, new_id
from frontoffice.identity.hub import IdentityHub
from frontoffice.identity.service import lookup
from frontoffice.settings import Settings
from frontoffice.storage import open_store
from frontoffice.storage.port import AppendBatch
from frontoffice.storage.sql import SqlStore

SOURCE = "bench-source"


def identify(user: str) -> EventRecord:
    limits = Limits(Settings().max_event_bytes, Settings().max_json_depth)
    result = normalise({"type": "identify", "userId": user, "messageId": f"m-{user}",
                        "traits": {"email": f"{user}@mail-bench.com"}},
                       index=0, batch={}, forced_type=None, source_id=SOURCE,
                       received_at=datetime.now(UTC), limits=limits)
    assert isinstance(result, EventRecord), result
    return result


def quiet_workspaces(store: SqlStore, n: int) -> list[str]:
    """``n`` active workspaces, each with one identify event in its log."""
    ids = []
    for i in range(n):
        ws = Workspace(new_id(), f"quiet-{i:05d}", "EU", Status.ACTIVE, datetime.now(UTC))
        store.add_workspace(ws)
        ids.append(ws.id)
    store.append([AppendBatch(ws, SOURCE, [identify(f"first-{i}")]) for i, ws in enumerate(ids)])
    return ids


def resolved(store: SqlStore, ws: str, user: str) -> bool:
    return bool(lookup(store, ws, "user_id", user))


def wait(predicate: Callable[[], bool], seconds: float, step: float = 0.01) -> float | None:
    """Seconds until ``predicate`` held, or None after ``seconds``."""
    started = time.monotonic()
    while time.monotonic() - started < seconds:
        if predicate():
            return time.monotonic() - started
        time.sleep(step)
    return None


def old_loop(settings: Settings, stop: threading.Event) -> None:
    """The worker before the projection runner: every workspace, every projection, in turn."""
    store = open_store(settings.resolved_database_url)
    hubs = IdentityHub(store), ConsentHub.of(store), PersonConsentHub.of(store)
    try:
        while not stop.is_set():
            for workspace in store.workspaces():
                if workspace.status is Status.ACTIVE:
                    hubs[0].follow(workspace.id)
                    hubs[1].catch_up(workspace.id)
                    hubs[2].catch_up(workspace.id)
                    deliver_workspace(store, workspace.id, now())
            stop.wait(0.1)
    finally:
        store.close()


def measure(args: argparse.Namespace, old: bool) -> tuple[float, float | None]:
    """Idle CPU (share of a core) and the lag of a new event, for the runner or the old loop."""
    folder = Path(tempfile.mkdtemp(prefix="bench-worker-"))
    url = args.database_url or f"sqlite:///{folder / 'frontoffice.db'}"
    store = open_store(url)
    store.upgrade()
    made = time.monotonic()
    ids = quiet_workspaces(store, args.workspaces)
    name = "old loop" if old else "runner"
    print(f"{name}: {args.workspaces:,} workspaces with one event each made in "
          f"{time.monotonic() - made:.1f} s")
    settings = Settings.load({}, overrides={"database_url": url, "data_dir": folder,
                                            "identity_match_interval_seconds": 0,
                                            "worker_projection_threads": args.projection_threads})
    stop = threading.Event()
    thread = threading.Thread(target=old_loop if old else worker.run, args=(settings, stop), daemon=True)
    started = time.monotonic()
    thread.start()
    caught_up = wait(lambda: resolved(store, ids[-1], f"first-{len(ids) - 1}"), 600, 0.2)
    print(f"{name}: first catch-up of every workspace {time.monotonic() - started:.1f} s"
          + ("" if caught_up is not None else " (not done)"))
    time.sleep(1.0)
    cpu, wall = time.process_time(), time.monotonic()
    time.sleep(args.idle_seconds)
    idle = (time.process_time() - cpu) / (time.monotonic() - wall)
    store.append([AppendBatch(ids[len(ids) // 2], SOURCE, [identify("late-comer")])])
    lag = wait(lambda: resolved(store, ids[len(ids) // 2], "late-comer"), 60)
    print(f"{name}: idle CPU {idle:.1%} of a core; a new event resolved after "
          f"{'-' if lag is None else f'{lag:.2f} s'}")
    stop.set()
    thread.join(timeout=30)
    store.close()
    return idle, lag


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--workspaces", type=int, default=3000)
    parser.add_argument("--database-url", default=None,
                        help="an empty database (default: a new SQLite file per run)")
    parser.add_argument("--idle-seconds", type=float, default=5.0)
    parser.add_argument("--only", choices=("runner", "old"), default=None,
                        help="run one of the two (default: the runner, then the old loop as baseline)")
    parser.add_argument("--projection-threads", type=int, default=2)
    args = parser.parse_args()
    results = {kind: measure(args, old=kind == "old") for kind in ("runner", "old")
               if args.only in (None, kind)}
    if len(results) == 2:
        (new_idle, new_lag), (old_idle, old_lag) = results["runner"], results["old"]
        print(f"runner / old loop: idle CPU {new_idle / max(old_idle, 1e-9):.3f}×"
              + (f", lag {new_lag / old_lag:.3f}×" if new_lag and old_lag else ""))


if __name__ == "__main__":
    main()
