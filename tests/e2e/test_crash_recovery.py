"""kill -9 under load: every acknowledged event survives, and client retries never duplicate.

Several senders post 100-event batches with unique messageIds while the server is killed with
SIGKILL. A 200 means "on disk": after a restart on the same database every event of every
acknowledged batch is there exactly once. The senders then retry every batch that got no 200,
and re-send some that did (as clients do when the 200 is lost), and the log ends up with every
event ever sent exactly once.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field

import httpx
import pytest

from tests.e2e.conftest import Live, basic

pytestmark = pytest.mark.e2e

SENDERS = 4
BATCH = 100
MAX_BATCHES_PER_SENDER = 150
LOAD_SECONDS = 1.5


@dataclass
class Sender:
    name: str
    batches: list[list[str]] = field(default_factory=list)  # messageIds of each batch, in order
    acked: set[int] = field(default_factory=set)  # indexes of batches answered 200
    failures: list[str] = field(default_factory=list)

    def batch(self, index: int) -> dict[str, object]:
        return {"batch": [{"type": "track", "event": "Load", "userId": f"{self.name}-u{n % 7}",
                           "messageId": mid, "properties": {"n": n}}
                          for n, mid in enumerate(self.batches[index])],
                "sentAt": "2030-01-01T00:00:00Z"}


def load_until_killed(live: Live, killed: threading.Event) -> list[Sender]:
    senders = [Sender(f"s{i}") for i in range(SENDERS)]

    def run(sender: Sender) -> None:
        with httpx.Client(base_url=live.url, timeout=10,
                          headers={"Authorization": basic(live.tenant.write_key)}) as http:
            for index in range(MAX_BATCHES_PER_SENDER):
                sender.batches.append([f"{sender.name}-b{index}-e{n}" for n in range(BATCH)])
                try:
                    response = http.post("/v1/batch", json=sender.batch(index))
                except httpx.HTTPError as exc:
                    sender.failures.append(type(exc).__name__)
                else:
                    if response.status_code == 200:
                        sender.acked.add(index)
                    else:
                        sender.failures.append(str(response.status_code))
                if killed.is_set() and index not in sender.acked:
                    return  # the server is gone: stop after the first refused batch

    threads = [threading.Thread(target=run, args=(s,)) for s in senders]
    for t in threads:
        t.start()
    deadline = time.monotonic() + LOAD_SECONDS
    while time.monotonic() < deadline and sum(len(s.acked) for s in senders) < SENDERS * 20:
        time.sleep(0.02)
    live.server.kill9()
    killed.set()
    for t in threads:
        t.join(timeout=60)
    return senders


def send_until_200(http: httpx.Client, body: dict[str, object]) -> dict[str, object]:
    for _ in range(50):
        try:
            response = http.post("/v1/batch", json=body)
        except httpx.TransportError:
            time.sleep(0.1)
            continue
        if response.status_code == 200:
            result: dict[str, object] = response.json()
            return result
        assert response.status_code in {429, 503}, response.text
        time.sleep(float(response.headers.get("Retry-After", "0.2")))
    raise AssertionError("a retried batch never got a 200")


def test_acknowledged_events_survive_kill9_and_retries_store_each_event_once(live: Live) -> None:
    senders = load_until_killed(live, threading.Event())
    acked_batches = sum(len(s.acked) for s in senders)
    unacked_batches = sum(len(s.batches) - len(s.acked) for s in senders)
    assert acked_batches > 0, "the load never got a 200 before the kill"
    assert unacked_batches >= SENDERS, "every sender should have lost at least one batch"

    live.server.start()
    stored = live.message_ids()
    for sender in senders:
        for index, ids in enumerate(sender.batches):
            present = [stored.get(m, 0) for m in ids]
            if index in sender.acked:
                assert present == [1] * BATCH, f"{sender.name} batch {index} was acknowledged"
            else:  # a batch is one transaction: all of it or none of it
                assert present in ([0] * BATCH, [1] * BATCH), f"{sender.name} batch {index} is torn"

    # Retries: every batch without a 200, and every third batch that got one.
    resent_acked = 0
    with httpx.Client(base_url=live.url, timeout=30,
                      headers={"Authorization": basic(live.tenant.write_key)}) as http:
        for sender in senders:
            for index, ids in enumerate(sender.batches):
                if index in sender.acked and index % 3:
                    continue
                before = sum(stored.get(m, 0) for m in ids)
                result = send_until_200(http, sender.batch(index))
                assert result["rejected"] == []
                assert result["accepted"] == BATCH - before
                assert result["duplicates"] == before
                if index in sender.acked:
                    resent_acked += 1
    assert resent_acked > 0

    everything = [m for s in senders for ids in s.batches for m in ids]
    final = live.message_ids()
    assert len(set(everything)) == len(everything)
    assert {m: final.get(m, 0) for m in everything} == dict.fromkeys(everything, 1)
    events, quarantined = live.counts()
    assert events == len(everything) == sum(final.values())
    assert quarantined == 0


def test_sigterm_stops_the_server_cleanly_and_keeps_every_acknowledged_event(live: Live) -> None:
    """A deploy stops the server with SIGTERM: shutdown finishes without errors in the log."""
    sender = Sender("graceful")
    with httpx.Client(base_url=live.url, timeout=10,
                      headers={"Authorization": basic(live.tenant.write_key)}) as http:
        for index in range(5):
            sender.batches.append([f"graceful-b{index}-e{n}" for n in range(BATCH)])
            assert http.post("/v1/batch", json=sender.batch(index)).status_code == 200
        with live.api() as api:  # a read on another thread's connection, as the admin API does
            assert api.get(f"/api/v1/workspaces/{live.tenant.workspace}/events").status_code == 200
    log = live.server.data_dir / f"server-{live.server.port}.log"
    process = live.server.proc
    assert process is not None
    process.terminate()
    process.wait(timeout=30)
    live.server.proc = None
    text = log.read_text(errors="replace")
    assert "Traceback" not in text and "shutdown failed" not in text, text[-2000:]

    live.server.start()
    stored = live.message_ids()
    assert sorted(stored) == sorted(m for ids in sender.batches for m in ids)
    assert set(stored.values()) == {1}
