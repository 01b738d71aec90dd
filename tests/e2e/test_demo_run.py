"""`make demo`'s job from end to end: generate, send over HTTP, import, and again (the second run
shows the same state and erases nobody else)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import orjson
import pytest

from frontoffice.demo.moments_tour import showcase_calls
from frontoffice.demo.tenant import RESIDENT, SOURCES, WORKSPACE
from frontoffice.residency.gate import required_location
from frontoffice.storage import open_store
from tests.support.demo import DEMO_PEOPLE
from tests.support.server import free_port

pytestmark = pytest.mark.xdist_group("demo")  # shares the worker's one demo run (demo_once)


def run_demo(data_dir: Path) -> str:
    env = {**os.environ, "FRONTOFFICE_PORT": str(free_port()), "COLUMNS": "250"}
    done = subprocess.run(
        [sys.executable, "-m", "frontoffice", "--data-dir", str(data_dir), "demo", "run",
         "--people", str(DEMO_PEOPLE), "--no-serve"],
        env=env, capture_output=True, text=True, timeout=300, check=False)
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


def test_demo_run_loads_every_record_once_and_is_safe_to_repeat(
        demo_once: tuple[Path, str], tmp_path: Path) -> None:
    tmp_path = tmp_path / "data"
    shutil.copytree(demo_once[0], tmp_path)  # the second run below changes it
    first = demo_once[1].replace(str(demo_once[0]), "<data dir>")
    brand = tmp_path / "demo-brand"
    expected = sum(
        sum(1 for line in (brand / name).read_bytes().splitlines() if line.strip())
        for name in ("events.ndjson", "marketplace.ndjson", "messages.ndjson")
    ) + sum(1 for _ in (brand / "pos.csv").read_text(encoding="utf-8").splitlines()[1:])
    store = open_store(f"sqlite:///{tmp_path / 'frontoffice.db'}")
    workspace = store.workspace(WORKSPACE)
    assert workspace is not None
    # Russian and Chinese customers' calls go to workspaces stored in their own files.
    resident = {name: open_store(f"sqlite:///{tmp_path / 'residency' / (country.lower() + '.db')}")
                for country, name in RESIDENT.items()}

    def sent_through_collector() -> int:  # commerce, consent and identity add their own events
        total = 0
        for name, kept in [(WORKSPACE, store), *resident.items()]:
            ws = store.workspace(name)
            assert ws is not None
            total += sum(kept.count_events(ws.id, s.id) for s in store.sources(ws.id)
                         if s.name in SOURCES)
        return total

    for name, kept in resident.items():
        ws = store.workspace(name)
        assert ws is not None and kept.count_events(ws.id) > 0, f"{name} received nothing"
        assert store.count_events(ws.id) == 0, f"{name}'s events are in the main database"
        # store receipts of its customers are imported there too, not into the main workspace
        pos = store.source(ws.id, "pos")
        assert pos is not None and kept.count_events(ws.id, pos.id) > 0, f"{name}: no receipts"
    main_pos = store.source(workspace.id, "pos")
    assert main_pos is not None
    receipts = [orjson.loads(e.record.payload)
                for e in store.events(workspace.id, source_id=main_pos.id, limit=100_000)]
    assert receipts and not [r for r in receipts if required_location(r) is not None]
    # + the consent tour's one page call with Sec-GPC, + the moments tour's showcase customer
    assert sent_through_collector() == expected + 1 + len(showcase_calls(datetime.now(UTC)))
    commerce = store.source(workspace.id, "commerce")
    assert commerce is not None and store.count_events(workspace.id, commerce.id) > 0
    assert store.count_quarantine(workspace.id) == 0
    sample = store.events(workspace.id, limit=1)[0]
    assert orjson.loads(sample.record.payload)["context"]["source"]
    assert "fo_at_demo-reader-token-0001" in first and "curl" in first
    assert "price conflicts across channels" in first and "golden records" in first

    assert "residency: RU customers' calls went to workspace 'demo-ru'" in first
    assert "consent: one policy check" in first and "erasure request" in first
    assert "next best actions (POST /decisions/decide)" in first and "refused by" in first
    # the loyalty moments fired for the showcase customer: three e-mails and a service task
    assert first.count("email message queued") == 3 and "opened: 감사합니다" in first
    # the insights step flags the seeded shop's incidents: the store's late click-and-collect orders
    assert "flags on workspace 'outlet'" in first and "late_delivery_rate of " in first
    # one console login per role, printed with the console's address
    assert "/console/" in first and all(f"demo-{role.replace('_', '-')} ({role})" in first for role in (
        "admin", "marketer", "agent", "lead", "privacy_officer"))

    second = run_demo(tmp_path).replace(str(tmp_path), "<data dir>")
    assert sent_through_collector() == expected + 1 + len(showcase_calls(datetime.now(UTC)))
    assert "already stored" in second and "Traceback" not in second
    # the second run shows the same state and erases nobody else
    before, after = _state(first), _state(second)
    assert before["sources"] and before == after
    assert all(sent == stored and rejected == 0
               for sent, stored, rejected in after["sources"].values()), after["sources"]  # type: ignore[attr-defined]
    assert "was carried out by an earlier run" in second
    store.close()
    for kept in resident.values():
        kept.close()
