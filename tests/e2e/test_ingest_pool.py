"""The collector's ingest processes: a member killed with -9 under load loses nothing that was
acknowledged, its in-flight requests get a retryable 503, a replacement takes over, and retries
store every event exactly once. The API process alone (no pool) takes the same traffic."""

from __future__ import annotations

import os
import signal
import subprocess
import threading
import time
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest

from tests.e2e.conftest import Live, basic, post, track
from tests.e2e.test_crash_recovery import send_until_200

pytestmark = pytest.mark.e2e
BATCH = 50


def members(server_pid: int) -> list[int]:
    found = subprocess.run(["ps", "-o", "pid=,args=", "--ppid", str(server_pid)],
                           capture_output=True, text=True, check=False).stdout
    return sorted(int(line.split()[0]) for line in found.splitlines()
                  if "frontoffice.ingest" in line)


def batch(name: str, index: int) -> dict[str, object]:
    return {"batch": [{"type": "track", "event": "Pool", "userId": f"{name}-u{n % 5}",
                       "messageId": f"{name}-b{index}-e{n}"} for n in range(BATCH)]}


def test_a_member_killed_under_load_loses_no_acknowledged_event_and_is_replaced(
        spawn: Callable[..., Live]) -> None:
    live = spawn({"FRONTOFFICE_INGEST_PROCESSES": "2"})
    assert live.server.proc is not None
    server_pid = live.server.proc.pid
    before = members(server_pid)
    assert len(before) == 2

    statuses: dict[str, list[int]] = {}
    sent: dict[str, int] = {}

    def run(name: str) -> None:
        codes = statuses.setdefault(name, [])
        with httpx.Client(base_url=live.url, timeout=30,
                          headers={"Authorization": basic(live.tenant.write_key)}) as http:
            for index in range(40):
                sent[name] = index + 1
                codes.append(http.post("/v1/batch", json=batch(name, index)).status_code)

    threads = [threading.Thread(target=run, args=(f"s{i}",)) for i in range(4)]
    for t in threads:
        t.start()
    time.sleep(0.3)
    os.kill(before[0], signal.SIGKILL)
    for t in threads:
        t.join(timeout=120)

    everything = dict(sent)
    codes = [c for cs in statuses.values() for c in cs]
    assert set(codes) <= {200, 503}, codes
    deadline = time.monotonic() + 20
    while len(members(server_pid)) < 2 and time.monotonic() < deadline:
        time.sleep(0.1)
    after = members(server_pid)
    assert len(after) == 2 and before[0] not in after, "the killed member was not replaced"

    stored = live.message_ids()
    for name, cs in statuses.items():
        for index, code in enumerate(cs):
            ids = [f"{name}-b{index}-e{n}" for n in range(BATCH)]
            present = [stored.get(m, 0) for m in ids]
            if code == 200:
                assert present == [1] * BATCH, f"{name} batch {index} was acknowledged"
            else:
                assert present in ([0] * BATCH, [1] * BATCH), f"{name} batch {index} is torn"
    with httpx.Client(base_url=live.url, timeout=30,
                      headers={"Authorization": basic(live.tenant.write_key)}) as http:
        for name, count in everything.items():
            for index in range(count):
                send_until_200(http, batch(name, index))
    final = live.message_ids()
    expected = {f"{name}-b{i}-e{n}" for name, count in everything.items()
                for i in range(count) for n in range(BATCH)}
    assert set(final) == expected
    assert set(final.values()) == {1}


def test_without_a_pool_the_api_process_appends_itself(spawn: Callable[..., Live],
                                                       tmp_path: Path) -> None:
    live = spawn({"FRONTOFFICE_INGEST_PROCESSES": "0"})
    assert live.server.proc is not None
    assert members(live.server.proc.pid) == []
    events = [track(), track()]
    answer = post(live, "/v1/batch", {"batch": events})
    assert answer.status_code == 200, answer.text
    assert answer.json()["accepted"] == 2
    assert sorted(live.message_ids()) == sorted(e["messageId"] for e in events)
    bad = post(live, "/v1/batch", b"{not json")
    assert bad.status_code == 400 and bad.json()["code"] == "invalid_json"
