"""Finding what went wrong: every rate slice against its own history (the last ``recent`` days
against the ``baseline`` days before, both whole weeks, the recent days' exposure weighted by the
history's weekday factors so a weekly pattern or a shift in the weekday mix is no finding),
against its peers (the rest of its dimension over the same days), and each supplier of a
product against the product's other suppliers size by size (``suppliers``); Benjamini–Hochberg
over every test of the run; a finding is kept when its q-value is under ``ALPHA``, the rate at
least ``MIN_RATIO`` times its comparison and backed by ``MIN_EVENTS`` events. Since when: the
level shift ruptures finds (``changepoint``). A rate where a fall is what goes wrong
(next-best-action acceptance) is tested the other way, against its history only. Pure."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from frontoffice.insights import changepoint
from frontoffice.insights.rates import (
    ALPHA,
    EVIDENCE,
    MIN_EVENTS,
    MIN_RATIO,
    RATES,
    Cell,
    Finding,
    Rate,
    Series,
    Windows,
    comparison,
    days,
    evidence_of,
    numerators,
    total,
)
from frontoffice.insights.stats import q_values, rate_test
from frontoffice.insights.suppliers import supplier_tests


def detect(series: Series, as_of: str, windows: Windows) -> list[Finding]:
    """The findings as of the end of ``as_of``, with their q-values over every test run here."""
    recent, base = days(as_of, windows.recent), days(as_of, windows.baseline, skip=windows.recent)
    metrics = {k[0] for k in series}
    tests: list[tuple[str, str, str, dict[str, Any], float, list[str], str | None]] = []
    for rate in RATES:
        for numerator in numerators(rate, metrics):
            name = (
                rate.name + numerator[len(rate.numerator.rstrip(":")) :]
                if rate.numerator.endswith(":")
                else rate.name
            )
            for dimension in rate.dimensions:
                tests += _rate_tests(series, rate, numerator, name, dimension, recent, base)
    tests += supplier_tests(series, metrics, recent)
    qs = q_values([t[4] for t in tests])
    found: dict[tuple[str, str, str], Finding] = {}
    for (metric, dimension, slice_, compared, p, evidence, since), q in zip(tests, qs, strict=True):
        counted = compared["compared_events"] if compared.get("direction") == "down" else compared["events"]
        if q > ALPHA or compared["ratio"] < MIN_RATIO or counted < MIN_EVENTS:
            continue
        f = found.setdefault((metric, dimension, slice_), Finding(metric, dimension, slice_))
        f.comparisons.append({**compared, "p_value": p, "q_value": q})
        f.evidence = list(dict.fromkeys([*f.evidence, *evidence]))[:EVIDENCE]
        f.since = min(filter(None, (f.since, since)), default=None)
    return sorted(found.values(), key=lambda f: min(c["q_value"] for c in f.comparisons))


def _rate_tests(
    series: Series, rate: Rate, numerator: str, name: str, dimension: str, recent: list[str], base: list[str]
) -> list[Any]:
    # a falling rate may reach zero: its slices are the denominator's
    slices = sorted(
        {
            k[2]
            for k in series
            if k[0] == (rate.denominator if rate.falls else numerator) and k[1] == dimension
        }
    )
    empty: Mapping[str, Cell] = {}
    out: list[Any] = []
    dim_x = sum(total(series.get((numerator, dimension, s), empty), recent) for s in slices)
    dim_n = sum(
        total(series.get((rate.denominator, dimension, s), empty), recent, rate.by_count)
        for s in {k[2] for k in series if k[0] == rate.denominator and k[1] == dimension}
    )
    for s in slices:
        num, den = (
            series.get((numerator, dimension, s), empty),
            series.get((rate.denominator, dimension, s), empty),
        )
        x, n = round(total(num, recent)), total(den, recent, rate.by_count)
        if (x < MIN_EVENTS and not rate.falls) or n <= 0:
            continue
        span = [*base, *recent]
        daily_x = [total(num, [d]) for d in span]
        daily_n = [total(den, [d], rate.by_count) for d in span]
        x0, n0 = round(sum(daily_x[: len(base)])), sum(daily_n[: len(base)])
        factors = changepoint.weekday_factors(daily_x[: len(base)], daily_n[: len(base)], base)
        weighed = changepoint.adjusted(daily_n, span, factors)
        shift = changepoint.since(daily_x, weighed, rate.falls)
        weights = (sum(weighed[len(base) :]), sum(weighed[: len(base)]))
        since = span[shift] if shift is not None else recent[0]
        # a fall's evidence is what was exposed and not taken (the decisions shown), a rise's the events
        evidence = evidence_of(den if rate.falls else num, [d for d in recent if d >= since] or recent)
        test = _falls if rate.falls else _rises
        if n0 > 0:
            out.append(
                (
                    name,
                    dimension,
                    s,
                    *test("history", x, n, x0, n0, recent, base, *weights),
                    evidence,
                    since,
                )
            )
        px, pn = round(dim_x) - x, dim_n - n
        # a falling rate against its own history only: actions (a reward, a product) differ in
        # acceptance by nature, so a lower one than its peers' is a level, not a shift
        if dimension != "all" and pn > 0 and not rate.falls:
            out.append(
                (
                    name,
                    dimension,
                    s,
                    *test("peers", x, n, px, pn, recent, recent),
                    evidence,
                    since,
                )
            )
    return out


def _rises(
    against: str,
    x: int,
    n: float,
    x0: int,
    n0: float,
    span: list[str],
    other: list[str],
    w: float | None = None,
    w0: float | None = None,
) -> tuple[dict[str, Any], float]:
    """``w``, ``w0``: the exposures weighted by weekday (against history), tested instead of ``n``, ``n0``."""
    w, w0 = w or n, w0 or n0
    return comparison(against, x, n, x0, n0, span, other, _mix(n, n0, w, w0)), rate_test(x, w, x0, w0)


def _falls(
    against: str,
    x: int,
    n: float,
    x0: int,
    n0: float,
    span: list[str],
    other: list[str],
    w: float | None = None,
    w0: float | None = None,
) -> tuple[dict[str, Any], float]:
    """The compared rate above this one: the same test, the roles swapped."""
    w, w0 = w or n, w0 or n0
    found = comparison(against, x, n, x0, n0, span, other, _mix(n, n0, w, w0))
    base = found["compared_rate"]
    ratio = base / (x / n) if x > 0 else (float("inf") if base > 0 else 0.0)
    return {**found, "ratio": round(ratio, 3), "direction": "down"}, rate_test(
        x0, w0, x, w
    ) if x0 > 0 else 1.0


def _mix(n: float, n0: float, w: float, w0: float) -> float:
    """How much likelier an event is at this window's weekday mix than at the history's."""
    return (w / n) / (w0 / n0) if n > 0 and n0 > 0 and w0 > 0 else 1.0
