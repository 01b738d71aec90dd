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
