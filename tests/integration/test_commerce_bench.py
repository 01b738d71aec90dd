"""bench/commerce.py keeps working: a small run on SQLite prints every figure."""

from __future__ import annotations

import pytest
from bench.commerce import main


def test_the_commerce_benchmark_runs_small(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("FRONTOFFICE_TEST_PG_URL", raising=False)
    [row] = main(["--people", "40", "--batches", "5", "--queries", "100"])
    assert row["backend"] == "sqlite" and row["intake_events_per_s"] > 0
    assert row["availability_p50_ms"] > 0
