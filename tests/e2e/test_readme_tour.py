"""README's tour runs as written against `make demo` (docs as tests).

Every fenced block of the tour is either a ```sh block, run here command by command with bash
in one session (so a variable one command sets serves the next), or explicitly not run: a block
in another language (```python) or one preceded by ``<!-- not run: why -->``. The demo is the
real one (`frontoffice demo run`, serving), started in a folder of its own as a fresh clone
would, with the environment the tour's first block documents: the test worker's one demo
(``serving_demo``), which the demo tests read a copy of.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.support.demo import ServingDemo, descendants, kill_demo

README = Path(__file__).resolve().parents[2] / "README.md"
pytestmark = pytest.mark.xdist_group("demo")  # the worker's one demo run (serving_demo)
FENCE = re.compile(r"(?P<marker><!-- not run: [^>]+-->\n)?```(?P<lang>\w*)\n(?P<body>.*?)```", re.S)


@dataclass
class Command:
    text: str
    expected: str | None  # the `# …` output comment on the line after it, if any


def tour_blocks(readme: str) -> list[tuple[str, bool, str]]:
    """(language, explicitly marked as not run, body) of every fenced block of the tour."""
    tour = readme.split("\n## A tour\n", 1)[1].split("\n## ", 1)[0]
    return [(m["lang"], bool(m["marker"]), m["body"]) for m in FENCE.finditer(tour)]


def commands(body: str) -> list[Command]:
    found: list[Command] = []
    pending = ""
    for line in body.splitlines():
        if not pending and line.startswith("# "):
            if found:
                found[-1].expected = line[2:].strip()
            continue
        pending += line + "\n"
        if not line.rstrip().endswith("\\"):
            found.append(Command(pending.rstrip("\n"), None))
            pending = ""
    return found


def test_every_block_of_the_tour_runs_or_is_marked_as_not_run() -> None:
    blocks = tour_blocks(README.read_text(encoding="utf-8"))
    assert [b for b in blocks if b[0] == "sh" and not b[1]], "no shell block to run"
    unmarked = [body for lang, marked, body in blocks if lang not in {"sh", "python"} and not marked]
    assert not unmarked, f"blocks neither run nor marked <!-- not run: … -->: {unmarked}"


def _same_shape(expected: Any, got: Any) -> bool:
    if isinstance(expected, dict):
        return isinstance(got, dict) and set(expected) == set(got)
    return type(expected) is type(got)


def test_the_readme_tour_runs_as_written_against_the_demo(serving_demo: ServingDemo) -> None:
    demo, work = serving_demo.process, serving_demo.folder  # the tour's files land beside the demo's
    assert demo.poll() is None, serving_demo.errors.read_text()
    try:
        runnable = [body for lang, marked, body in tour_blocks(README.read_text(encoding="utf-8"))
                    if lang == "sh" and not marked]
        steps = [c for body in runnable for c in commands(body)]
        script = []
        for n, step in enumerate(steps):
            script.append(f"{{ {step.text}\n}} >out.{n} 2>err.{n}; echo $? >rc.{n}")
        subprocess.run(["bash", "-c", "\n".join(script)], cwd=work, env=serving_demo.env, timeout=400,
                       check=True)
        for n, step in enumerate(steps):
            out, err = (work / f"out.{n}").read_text(), (work / f"err.{n}").read_text()
            said = f"{step.text}\n--- stdout\n{out}\n--- stderr\n{err}"
            assert (work / f"rc.{n}").read_text().strip() == "0", said
            answer = _json(out)
            assert not (isinstance(answer, dict) and {"code", "message"} <= set(answer)), said
            if step.expected is not None and step.expected.startswith(("{", "[")):
                assert _same_shape(json.loads(step.expected), answer), said
        # Ctrl-C ends the tour: the demo and everything it started stop quietly
        processes = descendants(demo.pid)
        assert len(processes) >= 4  # the server, its worker and two ingest processes
        os.killpg(demo.pid, signal.SIGINT)  # what Ctrl-C in a terminal does
        try:
            demo.wait(timeout=180)  # a loaded machine stops the worker mid-pass slowly
        except subprocess.TimeoutExpired:
            raise AssertionError("the demo did not stop within 3 minutes of Ctrl-C; still running: "
                                 + _states(descendants(demo.pid) | {demo.pid})) from None
        rest = serving_demo.printed.read_text().split("\nServing on", 1)[1].split("\n", 1)[1]
        logged = serving_demo.errors.read_text()
        assert demo.returncode in (0, 130), logged
        assert "Traceback" not in logged and "KeyboardInterrupt" not in logged, logged
        assert "starting another" not in logged, logged  # no ingest process restarted while stopping
        assert rest.strip() == "stopped.", rest
        deadline = time.monotonic() + 10
        while [p for p in processes if _alive(p)] and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not [p for p in processes if _alive(p)]
    finally:
        kill_demo(demo)


def _states(pids: set[int]) -> str:
    """Each process's command line, state and what its threads wait in (for a failure message)."""
    said = []
    for pid in sorted(pids):
        proc = Path("/proc") / str(pid)
        try:
            command = (proc / "cmdline").read_text().replace("\0", " ").strip()
            waits = sorted({(t / "wchan").read_text() for t in (proc / "task").iterdir()})
            state = (proc / "stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        said.append(f"{pid} [{state}] {command} waiting in {', '.join(waits)}")
    return "; ".join(said) or "nothing"


def _alive(pid: int) -> bool:
    try:
        state = (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def _json(text: str) -> Any:
    try:
        return json.loads(text)
    except ValueError:
        return None
