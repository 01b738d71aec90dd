"""bench/ingest.py at a small size: the benchmark itself must keep working (figures are
printed by `make bench` at full size, never asserted here). One small run of two repeats
serves both tests (a server process per repeat is most of its time)."""

from __future__ import annotations

from typing import Any

import pytest
from bench import ingest

BATCHES = 20
pytestmark = [pytest.mark.scale, pytest.mark.xdist_group("bench_ingest_small")]


@pytest.fixture(scope="module")
def results() -> list[dict[str, Any]]:
    return ingest.main(["--batches", str(BATCHES), "--senders", "2", "--no-postgres", "--repeat", "2"])


def test_ingest_benchmark_stores_every_event_it_sends(results: list[dict[str, Any]]) -> None:
    for sqlite in results[:2]:
        assert sqlite["stored"] == BATCHES * ingest.EVENTS_PER_BATCH
        assert sqlite["statuses"] == {200: sqlite["events"] // ingest.EVENTS_PER_BATCH}
        assert sqlite["server_events_per_s"] > 0 and sqlite["raw_events_per_s"] > 0
        assert float(sqlite["server_cpu_us_per_event"]) > 0  # the server's processes were found
        assert float(sqlite["dedupe_bytes_per_event"]) > 0


def test_repeated_runs_report_their_median(results: list[dict[str, Any]]) -> None:
    runs, median = results[:2], results[2]
    assert median["backend"] == "sqlite, median of 2"
    rates = sorted(float(r["server_events_per_s"]) for r in runs)
    assert median["server_events_per_s"] == rates[1]
