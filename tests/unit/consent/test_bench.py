"""The benchmark script runs and reports positive rates (figures themselves come from make bench)."""

from __future__ import annotations

from bench.consent import bench_checks, bench_decode


def test_the_consent_benchmark_runs_small() -> None:
    checks, baseline = bench_checks(50, 2_000)
    assert checks > 0 and baseline > 0
    assert bench_decode(20, worst=False) > 0 and bench_decode(5, worst=True) > 0
