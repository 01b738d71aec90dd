"""One `frontoffice demo run` per test worker, started the way README's tour says (`make demo`
in a folder of its own, serving until Ctrl-C) and shared: the README tour runs its commands
against it and stops it, the demo tests read a copy of its data taken when it began serving."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from tests.support.server import free_port

DEMO_PEOPLE = 40
DEMO_DIR = ".frontoffice"  # the data directory `make demo` uses in the folder it runs in


@dataclass
class ServingDemo:
    process: subprocess.Popen[bytes]
    folder: Path  # where it runs; its data in folder / DEMO_DIR
    env: dict[str, str]  # the tour's environment: FRONTOFFICE_PORT, PATH with `frontoffice`
    printed: Path  # its stdout and stderr, as a terminal would show them
    errors: Path
    snapshot: Path  # its data directory as it was when it began serving
    shown: str  # what it printed until then, the data directory named as the snapshot

    @property
    def data_dir(self) -> Path:
        return self.folder / DEMO_DIR


def start_demo(folder: Path, people: int = DEMO_PEOPLE) -> ServingDemo:
    port = free_port()
    bin_dir = str(Path(sys.executable).parent)
    env = {**os.environ, "FRONTOFFICE_PORT": str(port), "COLUMNS": "200",
           "PATH": f"{bin_dir}:{os.environ['PATH']}"}
    # what the demo and everything it starts print goes to files, as to a terminal: a pipe nobody
    # reads while the tour runs would block whichever process fills it
    printed, errors = folder / "demo.out", folder / "demo.err"
    # started with SIGINT ignored, as a shell's background job is (and as a test runner's worker
    # may pass on): Ctrl-C must stop it all the same
    inherited = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        # 250 columns: no line of its report wraps, whatever the length of the folder's path
        process = subprocess.Popen(
            [sys.executable, "-m", "frontoffice", "demo", "run", "--people", str(people)],
            cwd=folder, env={**env, "COLUMNS": "250"}, stdout=printed.open("w"),
            stderr=errors.open("w"), start_new_session=True)
    finally:
        signal.signal(signal.SIGINT, inherited)
    try:
        deadline = time.monotonic() + 600
        while "\nServing on" not in printed.read_text() and process.poll() is None \
                and time.monotonic() < deadline:
            time.sleep(0.05)
        shown = printed.read_text()
        assert "\nServing on" in shown, shown + errors.read_text()
        snapshot = folder.parent / f"{folder.name}-snapshot"
        copy_data(folder / DEMO_DIR, snapshot)
    except BaseException:
        kill_demo(process)
        raise
    shown = shown.split("\nServing on", 1)[0].replace(str((folder / DEMO_DIR).resolve()), str(snapshot))
    return ServingDemo(process, folder, env, printed, errors, snapshot, shown)


def copy_data(data_dir: Path, to: Path) -> None:
    """A copy of a data directory in use: each SQLite database through SQLite's online backup
    (one consistent state, whatever the server is writing), every other file as it is."""
    databases = {p.relative_to(data_dir) for p in data_dir.rglob("*.db")}
    shutil.copytree(data_dir, to, ignore=shutil.ignore_patterns("*.db", "*.db-wal", "*.db-shm"))
    for relative in databases:
        source = sqlite3.connect(f"file:{data_dir / relative}?mode=ro", uri=True)
        target = sqlite3.connect(to / relative)
        try:
            source.backup(target)
        finally:
            target.close()
            source.close()


def kill_demo(process: subprocess.Popen[bytes]) -> None:
    """SIGKILL the demo and everything it started (its own session), when it is still running."""
    if process.poll() is None:
        for pid in descendants(process.pid) | {process.pid}:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        process.wait(timeout=60)


def descendants(pid: int) -> set[int]:
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
            children.setdefault(ppid, []).append(int(entry.name))
    found, todo = set(), [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.add(child)
            todo.append(child)
    return found
