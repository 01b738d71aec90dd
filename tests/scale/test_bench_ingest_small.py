"""bench/ingest.py at a small size: the benchmark itself must keep working (figures are
printed by `make bench` at full size, never asserted here)."""

from __future__ import annotations

import pytest
from bench import ingest


@pytest.mark.scale
def test_ingest_benchmark_stores_every_event_it_sends() -> None:
    results = ingest.main(["--batches", "40", "--senders", "4", "--no-postgres"])
    (sqlite,) = results
    assert sqlite["stored"] == 40 * ingest.EVENTS_PER_BATCH
    assert sqlite["statuses"] == {200: sqlite["events"] // ingest.EVENTS_PER_BATCH}
    assert sqlite["server_events_per_s"] > 0 and sqlite["raw_events_per_s"] > 0
    assert float(sqlite["server_cpu_us_per_event"]) > 0  # the server's processes were found
    assert float(sqlite["dedupe_bytes_per_event"]) > 0


@pytest.mark.scale
def test_repeated_runs_report_their_median() -> None:
    results = ingest.main(["--batches", "20", "--senders", "2", "--no-postgres", "--repeat", "3"])
    runs, median = results[:3], results[3]
    assert median["backend"] == "sqlite, median of 3"
    rates = sorted(float(r["server_events_per_s"]) for r in runs)
    assert median["server_events_per_s"] == rates[1]
