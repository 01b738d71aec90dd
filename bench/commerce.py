"""Commerce benchmark: signed webhook intake events/s and availability latency (p50/p99).

Generates the demo brand, loads its catalogue, locations and stock into a fresh embedded
SQLite store (and PostgreSQL when FRONTOFFICE_TEST_PG_URL is set), then:

- intake: inventory webhooks of 100 events through the HTTP app in-process (signature check,
  validation, group-commit writer, projection), 4 concurrent senders; baseline: the same
  events through ``service.ingest`` without HTTP, printed as a ratio;
- availability: random SKU x channel x near queries through ``service.availability_for`` and
  through ``GET /api/v1/workspaces/{ws}/availability``; p50 and p99 in milliseconds.

    python bench/commerce.py               # full size (make bench)
    python bench/commerce.py --people 100 --batches 20 --queries 300   # small
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import orjson

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.support.pg import fresh_database  # noqa: E402

from frontoffice.api.app import create_app  # noqa: E402
from frontoffice.bootstrap import build  # noqa: E402
from frontoffice.commerce import demo_loader, service  # noqa: E402
from frontoffice.commerce.records import sign  # noqa: E402
from frontoffice.commerce.store import CommerceStore  # noqa: E402
from frontoffice.domain.events import now  # noqa: E402
from frontoffice.services import tenancy  # noqa: E402
from frontoffice.settings import Settings  # noqa: E402

SECRET = "bench-secret-0123456789"
PER_REQUEST = 100
SENDERS = 4


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def stock_batches(stock: list[dict[str, Any]], batches: int, first_version: int,
                  tag: str) -> list[list[dict[str, Any]]]:
    rng = random.Random(7)
    out = []
    for b in range(batches):
        rows = rng.sample(stock, PER_REQUEST)
        out.append([{**r, "event_id": f"{tag}-{b}-{i}", "version": first_version + b,
                     "on_hand": rng.randint(0, 80)} for i, r in enumerate(rows)])
    return out


def backends(tmp: Path) -> Iterator[tuple[str, str]]:
    yield "sqlite", f"sqlite:///{tmp / 'bench.db'}"
    url = os.environ.get("FRONTOFFICE_TEST_PG_URL")
    if url:
        with fresh_database(url) as db:
            yield "postgres", db


def run(label: str, database_url: str, folder: Path, args: argparse.Namespace) -> dict[str, Any]:
    container = build(Settings.load({}, overrides={"database_url": database_url,
                                                    "data_dir": folder}))
    store = container.store
    ws = tenancy.create_workspace(store, "bench")
    source, key = tenancy.create_source(store, ws.id, "shop", "commerce")
    cs = CommerceStore(store)
    cs.set_secret(ws.id, source.id, SECRET)
    events = dict(demo_loader.native_events(folder))
    for kind in ("locations", "products", "inventory"):
        for start in range(0, len(events[kind]), 2000):
            service.ingest(cs, ws.id, source.id, kind, events[kind][start:start + 2000], now())
    stock = events["inventory"]
    auth = "Basic " + base64.b64encode(f"{key}:".encode()).decode()

    # baseline: the same validation + log + projection without HTTP
    direct = stock_batches(stock, args.batches, 1000, "direct")
    t0 = time.perf_counter()
    for batch in direct:
        service.ingest(cs, ws.id, source.id, "inventory", batch, now())
    direct_rate = args.batches * PER_REQUEST / (time.perf_counter() - t0)

    bodies = [orjson.dumps(b) for b in stock_batches(stock, args.batches, 100_000, "http")]
    latencies: list[float] = []

    async def drive() -> float:
        transport = httpx.ASGITransport(app=create_app(container))
        async with httpx.AsyncClient(transport=transport, base_url="http://fo") as client:
            queue: asyncio.Queue[bytes] = asyncio.Queue()
            for body in bodies:
                queue.put_nowait(body)

            async def sender() -> None:
                while not queue.empty():
                    body = queue.get_nowait()
                    t = time.perf_counter()
                    r = await client.post("/commerce/v1/inventory", content=body, headers={
                        "Authorization": auth, "X-Frontoffice-Signature": sign(SECRET, body),
                        "Content-Type": "application/json"})
                    latencies.append(time.perf_counter() - t)
                    if r.status_code != 200:
                        raise RuntimeError(r.text)

            t0 = time.perf_counter()
            await asyncio.gather(*(sender() for _ in range(SENDERS)))
            rate = len(bodies) * PER_REQUEST / (time.perf_counter() - t0)

            skus = sorted({s["sku"] for s in stock})
            stores = [x["location_id"] for x in events["locations"] if x["kind"] == "store"]
            rng = random.Random(3)
            http_ms: list[float] = []
            for _ in range(args.queries // 4):
                t = time.perf_counter()
                r = await client.get("/api/v1/workspaces/bench/availability", params={
                    "sku": rng.choice(skus), "channel": "web", "near": rng.choice(stores)},
                    headers={"Authorization": f"Bearer {token}"})
                http_ms.append((time.perf_counter() - t) * 1000)
                assert r.status_code == 200, r.text
            result["http_p50_ms"], result["http_p99_ms"] = pct(http_ms, .5), pct(http_ms, .99)
            return rate

    _, token = tenancy.create_token(store, ws.id, "bench", ["events:read"])
    result: dict[str, Any] = {}
    rate = asyncio.run(drive())

    skus = sorted({s["sku"] for s in stock})
    stores = [x["location_id"] for x in events["locations"] if x["kind"] == "store"]
    rng = random.Random(5)
    query_ms: list[float] = []
    for _ in range(args.queries):
        t = time.perf_counter()
        service.availability_for(cs, ws.id, rng.choice(skus), rng.choice(("web", "app", "pos")),
                                 None, rng.choice(stores), now())
        query_ms.append((time.perf_counter() - t) * 1000)
    container.close()
    return {
        "backend": label, "intake_events_per_s": round(rate), "direct_events_per_s": round(direct_rate),
        "http_over_direct": round(rate / direct_rate, 2),
        "intake_request_p50_ms": round(pct(latencies, .5) * 1000, 1),
        "intake_request_p99_ms": round(pct(latencies, .99) * 1000, 1),
        "availability_p50_ms": round(statistics.median(query_ms), 2),
        "availability_p99_ms": round(pct(query_ms, .99), 2),
        "availability_http_p50_ms": round(result["http_p50_ms"], 2),
        "availability_http_p99_ms": round(result["http_p99_ms"], 2),
        "availability_queries_per_s": round(1000 / statistics.mean(query_ms)),
    }


def main(argv: list[str] | None = None) -> list[dict[str, Any]]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=2000)
    parser.add_argument("--batches", type=int, default=200)
    parser.add_argument("--queries", type=int, default=5000)
    args = parser.parse_args(argv)
    rows = []
    with tempfile.TemporaryDirectory(prefix="fo-commerce-bench-") as tmp:
        folder = Path(tmp)
        subprocess.run([sys.executable, "-m", "frontoffice", "demo", "generate", "--people",
                        str(args.people), "--out", str(folder)], check=True, capture_output=True)
        for label, url in backends(folder):
            row = run(label, url, folder, args)
            rows.append(row)
            print(orjson.dumps(row).decode())
    return rows


if __name__ == "__main__":
    main()
