"""Decisions benchmark: ``decide`` with 100 candidate actions, p50/p99 in process and over HTTP.

A shop on a fresh embedded SQLite store (and PostgreSQL when FRONTOFFICE_TEST_PG_URL is set):
100 products with stock, ``--people`` people who consented to personalisation and bought a few
products each (so the recommender has data), 100 product actions on the web. Then:

- in process: ``decide`` through the wired ports (eligibility on consent, stock, prices, caps;
  the recommender; logging), with the rules and with a promoted bandit version;
- over HTTP: ``POST /api/v1/workspaces/{ws}/decisions/decide`` on a real server process
  (``frontoffice serve``: the collector runs in it), one client.

Prints p50/p99 in ms and the ratio of each p99 to the 10 ms budget (issue 18).

    python bench/decisions_decide.py                        # full size (make bench)
    BENCH_SCALE=small python bench/decisions_decide.py      # small
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import orjson

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.support.pg import fresh_database  # noqa: E402
from tests.support.server import ServerProcess  # noqa: E402

from frontoffice.bootstrap import Role, bootstrap  # noqa: E402
from frontoffice.commerce import service as commerce  # noqa: E402
from frontoffice.commerce.store import CommerceStore  # noqa: E402
from frontoffice.consent import service as consent  # noqa: E402
from frontoffice.decisions import learning, service  # noqa: E402
from frontoffice.decisions.arbiter import Arbiter  # noqa: E402
from frontoffice.decisions.catalogue import Action  # noqa: E402
from frontoffice.decisions.decide import Ask, decide  # noqa: E402
from frontoffice.decisions.wiring import wire  # noqa: E402
from frontoffice.domain.events import Limits, normalise, now  # noqa: E402
from frontoffice.identity import service as identity  # noqa: E402
from frontoffice.outbound.exports import catch_up_people  # noqa: E402
from frontoffice.settings import Settings  # noqa: E402
from frontoffice.storage.port import AppendBatch  # noqa: E402
from frontoffice.storage.sql import SqlStore  # noqa: E402
from frontoffice.tenancy import service as tenancy  # noqa: E402

PRODUCTS = 100
BUDGET_MS = 10.0
NOW = datetime(2026, 3, 1, 12, tzinfo=UTC)


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def backends(tmp: Path) -> Iterator[tuple[str, str]]:
    yield "sqlite", f"sqlite:///{tmp / 'bench.db'}"
    url = os.environ.get("FRONTOFFICE_TEST_PG_URL")
    if url:
        with fresh_database(url) as db:
            yield "postgres", db


def shop(store: SqlStore, people: int) -> tuple[str, str, list[str]]:
    """(workspace id, name, person ids)."""
    ws = tenancy.create_workspace(store, "bench", "EU")
    src, _ = tenancy.create_source(store, ws.id, "shop", "commerce")
    web, _ = tenancy.create_source(store, ws.id, "web", "web")
    cs = CommerceStore(store)
    commerce.ingest(cs, ws.id, src.id, "locations", [{
        "event_id": "wh", "version": 1, "location_id": "WH", "kind": "warehouse", "city": "Reno",
        "country": "DE", "capabilities": ["ship"]}], NOW)
    cats = ("dresses", "shoes", "coats", "bags")
    commerce.ingest(cs, ws.id, src.id, "products", [{
        "event_id": f"p{i}", "version": 1, "product_id": f"P{i}", "category": cats[i % 4],
        "variants": [{"sku": f"P{i}-M", "size": "M"}]} for i in range(PRODUCTS)], NOW)
    commerce.ingest(cs, ws.id, src.id, "inventory", [{
        "event_id": f"s{i}", "version": 1, "location_id": "WH", "sku": f"P{i}-M",
        "on_hand": 5 + i % 7} for i in range(PRODUCTS)], NOW)
    limits = Limits(Settings().max_event_bytes, Settings().max_json_depth)
    records = []
    for n in range(people):
        found = normalise({"type": "identify", "userId": f"c{n}", "messageId": f"id{n}",
                           "timestamp": "2026-02-01T10:00:00Z",
                           "traits": {"email": f"c{n}@posteo.de", "address": {"country": "DE"}}},
                          index=n, batch={}, forced_type=None, source_id=web.id,
                          received_at=NOW, limits=limits)
        records.append(found)
    store.append([AppendBatch(ws.id, web.id, records)])  # type: ignore[arg-type]
    rng = random.Random(1)
    orders = [{"event_id": f"o{n}", "version": 1, "order_id": f"O{n}", "status": "delivered",
               "channel": "web", "placed_at": "2026-02-10T10:00:00Z", "currency": "EUR",
               "total": 50.0, "customer": {"user_id": f"c{n % people}"},
               "lines": [{"line_no": 1, "sku": f"P{(n % people % 4) + 4 * rng.randrange(25)}-M",
                          "qty": 1, "unit_price": 50.0}]} for n in range(people * 3)]
    for start in range(0, len(orders), 500):
        commerce.ingest(cs, ws.id, src.id, "orders", orders[start:start + 500], NOW)
    catch_up_people(store, ws.id)
    hub = consent.ConsentHub.of(store)
    for n in range(people):
        consent.record(store, hub, ws.id, consent.Capture(
            subject=f"user_id:c{n}", explicit=True, at=NOW,
            purposes={"personalisation": "granted"}), now())
    catch_up_people(store, ws.id)
    persons = [identity.find(store, ws.id, f"c{n}@posteo.de") for n in range(people)]
    return ws.id, ws.name, persons


def actions() -> list[Action]:
    return [Action.model_validate({
        "action_id": f"a{i}", "kind": "product", "title": f"Product {i}", "channels": ["web"],
        "product_id": f"P{i}", "skus": [f"P{i}-M"], "value": 20.0 + i, "margin": 0.4,
        "category": ("dresses", "shoes", "coats", "bags")[i % 4]}) for i in range(PRODUCTS)]


def in_process(store: SqlStore, settings: Settings, ws: str, persons: list[str],
               queries: int) -> list[float]:
    wired = wire(store, settings, group_commit=True)
    arbiter = Arbiter(lambda _: wired.store)
    rng = random.Random(2)
    decide(wired.ports, arbiter, ws, Ask(persons[0], "web", "home", 5), now(), 2)  # fits recs
    times = []
    cpu = time.process_time()  # the process's: the decision log's writer thread included
    for _ in range(queries):
        t0 = time.perf_counter()
        decide(wired.ports, arbiter, ws, Ask(rng.choice(persons), "web", "home", 5), now(), 2)
        times.append((time.perf_counter() - t0) * 1000)
    wired.ports.log.flush()  # type: ignore[attr-defined]  # the group log: its commits count
    print(f"  CPU per decide in process: {(time.process_time() - cpu) * 1000 / queries:.2f} ms",
          flush=True)
    return times


def process_cpu_s(pid: int) -> float | None:
    """User + system CPU seconds of a process so far (Linux ``/proc``; None elsewhere)."""
    stat = Path(f"/proc/{pid}/stat")
    if not stat.exists():
        return None
    fields = stat.read_text().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def over_http(url: str, token: str, ws: str, persons: list[str], queries: int,
              server_pid: int | None = None) -> list[float]:
    """``server_pid``: print the server process's CPU per decide (its ingest process apart)."""
    before = process_cpu_s(server_pid) if server_pid else None
    rng = random.Random(3)
    headers = {"Authorization": f"Bearer {token}"}
    times = []
    with httpx.Client(base_url=url, headers=headers, timeout=30) as client:
        for n in range(queries + 20):
            body = {"person_id": rng.choice(persons), "channel": "web", "placement": "home", "n": 5}
            t0 = time.perf_counter()
            r = client.post(f"/api/v1/workspaces/{ws}/decisions/decide", json=body)
            elapsed = (time.perf_counter() - t0) * 1000
            r.raise_for_status()
            if n >= 20:  # the first requests warm the server (recommender fit, model load)
                times.append(elapsed)
    after = process_cpu_s(server_pid) if server_pid else None
    if before is not None and after is not None:
        print(f"  server CPU per decide over HTTP: {(after - before) * 1000 / (queries + 20):.2f} ms",
              flush=True)
    return times


def figures(label: str, times: list[float]) -> dict[str, Any]:
    p99 = pct(times, 0.99)
    row = {"case": label, "n": len(times), "p50_ms": round(pct(times, 0.5), 2),
           "p99_ms": round(p99, 2), "p99_vs_10ms_budget": round(p99 / BUDGET_MS, 2),
           "loadavg_1min": round(os.getloadavg()[0], 2)}
    print(orjson.dumps(row).decode(), flush=True)
    return row


def run(label: str, database_url: str, folder: Path, args: argparse.Namespace) -> list[dict[str, Any]]:
    settings = Settings.load({}, overrides={"database_url": database_url, "data_dir": folder})
    container = bootstrap(settings, Role.CLI)
    rows = []
    try:
        store = container.store
        ws, _, persons = shop(store, args.people)
        own = wire(store, settings).store
        for action in actions():
            service.save_action(own, ws, action, now())
        rows.append(figures(f"{label} in process, rules", in_process(
            store, settings, ws, persons, args.queries)))
        _, token = tenancy.create_token(store, ws, "bench", ["outbound:write"])
        server = ServerProcess(database_url, folder)
        server.start(timeout=120)  # a loaded 2-core machine imports slowly
        try:
            pid = server.proc.pid if server.proc else None
            rows.append(figures(f"{label} over HTTP, rules",
                                over_http(server.url, token, ws, persons, args.queries, pid)))
            trained = learning.train(own, own, ws, now())
            learning.promote(own, ws, trained["version"])
            time.sleep(2.5)  # the server re-reads the promoted version every 2 s
            rows.append(figures(f"{label} over HTTP, bandit v{trained['version']}",
                                over_http(server.url, token, ws, persons, args.queries, pid)))
        finally:
            server.stop()
        rows.append(figures(f"{label} in process, bandit v{trained['version']}", in_process(
            store, settings, ws, persons, args.queries)))
    finally:
        container.close()
    return rows


def main(argv: list[str] | None = None) -> list[dict[str, Any]]:
    small = os.environ.get("BENCH_SCALE") == "small"
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=100 if small else 1000)
    parser.add_argument("--queries", type=int, default=200 if small else 2000)
    args = parser.parse_args(argv)
    rows = []
    for label, url in backends(Path(tempfile.mkdtemp(prefix="fo-decisions-bench-"))):
        with tempfile.TemporaryDirectory(prefix="fo-decisions-") as tmp:
            rows += run(label, url, Path(tmp), args)
    return rows


if __name__ == "__main__":
    main()
