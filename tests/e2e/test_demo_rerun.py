"""`make demo` run again shows the same state, and Ctrl-C stops it quietly."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

from tests.support.server import free_port

PEOPLE = "40"  # the smallest brand that still has a customer per market for the tour


def _env() -> dict[str, str]:
    return {**os.environ, "FRONTOFFICE_PORT": str(free_port()), "COLUMNS": "250"}


def run_demo(data_dir: Path) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "frontoffice", "--data-dir", str(data_dir), "demo", "run",
         "--people", PEOPLE, "--no-serve"],
        env=_env(), capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def _state(output: str) -> dict[str, object]:
    """What a run says is stored: counts, people, the erasure, and per source how many events
    were sent and how many the collector refused."""
    lines = output.splitlines()

    def line(prefix: str) -> list[str]:
        return [re.sub(r", due \S+|opened by|of", "", ln).split(" was carried")[0]
                for ln in lines if ln.startswith(prefix)]

    sources = {}
    for ln in lines:
        cells = [c.strip() for c in ln.split("│") if c.strip()]
        if len(cells) == 5 and cells[1].isdigit():
            name, sent, now, before, rejected = cells
            sources[name] = (int(sent), int(now) + int(before), int(rejected))
    erasure = re.findall(r"erasure request (dsr_\w+)", output)
    return {"log": line("event log of workspace"), "residency": line("residency:"),
            "people": line("golden records:"), "erasure": erasure[:1], "sources": sources}


def test_a_second_demo_run_shows_the_same_state_and_erases_nobody_else(tmp_path: Path) -> None:
    first, second = run_demo(tmp_path), run_demo(tmp_path)
    before, after = _state(first), _state(second)
    assert before["sources"] and before == after
    assert all(sent == stored and rejected == 0
               for sent, stored, rejected in after["sources"].values()), after["sources"]  # type: ignore[attr-defined]
    assert "was carried out by an earlier run" in second
    assert "already stored" in second and "Traceback" not in second


def _descendants(pid: int) -> set[int]:
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


def _alive(pid: int) -> bool:
    try:
        state = (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def test_ctrl_c_stops_the_demo_quietly_and_leaves_no_process(tmp_path: Path) -> None:
    demo = subprocess.Popen(
        [sys.executable, "-m", "frontoffice", "--data-dir", str(tmp_path), "demo", "run",
         "--people", PEOPLE],
        env=_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        start_new_session=True)  # its own process group, as a terminal's foreground job
    assert demo.stdout is not None
    seen = []
    for line in demo.stdout:
        seen.append(line)
        if line.startswith("Serving on"):
            break
    assert seen and seen[-1].startswith("Serving on"), "".join(seen)
    time.sleep(1)
    processes = _descendants(demo.pid)
    assert len(processes) >= 4  # the server, its worker and two ingest processes
    os.killpg(demo.pid, signal.SIGINT)  # what Ctrl-C in a terminal does
    rest, errors = demo.communicate(timeout=90)
    assert demo.returncode in (0, 130), errors
    assert "Traceback" not in errors and "KeyboardInterrupt" not in errors, errors
    assert "starting another" not in errors, errors  # no ingest process restarted while stopping
    assert rest.strip() == "stopped.", rest
    deadline = time.monotonic() + 10
    while [p for p in processes if _alive(p)] and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not [p for p in processes if _alive(p)]
