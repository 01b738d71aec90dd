"""`make demo`'s job from end to end: generate, send over HTTP, import, and again."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import orjson

from frontoffice.demo.loader import WORKSPACE
from frontoffice.storage import open_store
from tests.support.server import free_port


def run_demo(data_dir: Path) -> str:
    env = {**os.environ, "FRONTOFFICE_PORT": str(free_port())}
    done = subprocess.run(
        [sys.executable, "-m", "frontoffice", "--data-dir", str(data_dir), "demo", "run",
         "--people", "120", "--no-serve"],
        env=env, capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def test_demo_run_loads_every_record_once_and_is_safe_to_repeat(tmp_path: Path) -> None:
    first = run_demo(tmp_path)
    brand = tmp_path / "demo-brand"
    expected = sum(
        sum(1 for line in (brand / name).read_bytes().splitlines() if line.strip())
        for name in ("events.ndjson", "marketplace.ndjson", "messages.ndjson")
    ) + sum(1 for _ in (brand / "pos.csv").read_text(encoding="utf-8").splitlines()[1:])
    store = open_store(f"sqlite:///{tmp_path / 'frontoffice.db'}")
    workspace = store.workspace(WORKSPACE)
    assert workspace is not None
    def sent_through_collector() -> int:  # commerce intake adds its own events to the log
        return sum(store.count_events(workspace.id, s.id) for s in store.sources(workspace.id)
                   if s.name != "commerce")

    assert sent_through_collector() == expected
    commerce_events = store.count_events(workspace.id) - expected
    assert commerce_events > 0
    assert store.count_quarantine(workspace.id) == 0
    sample = store.events(workspace.id, limit=1)[0]
    assert orjson.loads(sample.record.payload)["context"]["source"]
    assert "fo_at_demo-reader-token-0001" in first and "curl" in first
    assert "price conflicts across channels" in first and "golden records" in first

    second = run_demo(tmp_path)
    assert sent_through_collector() == expected
    assert store.count_events(workspace.id) == expected + commerce_events
    assert "already stored" in second
    store.close()
