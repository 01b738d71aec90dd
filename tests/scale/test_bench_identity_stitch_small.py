"""bench/identity_stitch.py at a small size: the benchmark must keep working and measure what it
says (figures are printed by `make bench` at full size, never asserted here)."""

from __future__ import annotations

import pytest
from bench import identity_stitch


@pytest.mark.scale
def test_stitch_benchmark_follows_every_tracking_event_it_sends() -> None:
    figures = identity_stitch.main(["--people", "40", "--rate", "0"])
    assert figures["events"] >= figures["stored"] > 0 and figures["stitched_records"] == figures["stored"]
    assert 0 < figures["stitch_ms_p50"] <= figures["stitch_ms_p99"] <= figures["stitch_ms_max"]
    assert figures["lag_ms_p99"] >= figures["lag_ms_p50"] >= 0
    assert figures["projector_peak_mib"] > 0
