"""Finding what went wrong: every rate slice against its own history (the last ``recent`` days
against the ``baseline`` days before, both whole weeks so each weekday weighs alike), against its
peers (the rest of its dimension over the same days), and each supplier of a product against
the product's other suppliers size by size (Cochran–Mantel–Haenszel); Benjamini–Hochberg over
every test of the run; a finding is kept when its q-value is under ``ALPHA``, the rate at least
``MIN_RATIO`` times its comparison and backed by ``MIN_EVENTS`` events. A rate where a fall is
what goes wrong (next-best-action acceptance) is tested the other way, against its history only.
Pure."""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from frontoffice.insights.stats import cmh, q_values, rate_test, shift_day

ALPHA, MIN_RATIO, MIN_EVENTS = 0.01, 1.5, 5
EVIDENCE = 100

Cell = tuple[int, float, list[str]]  # facts, their total, evidence ids
Series = Mapping[tuple[str, str, str], Mapping[str, Cell]]  # (metric, dimension, slice) -> day -> cell


@dataclass(frozen=True, slots=True)
class Windows:
    """The recent days and the history before them, in whole weeks (weekdays weigh alike)."""

    recent: int = 7
    baseline: int = 28

    def __post_init__(self) -> None:
        if self.recent <= 0 or self.baseline <= 0 or self.recent % 7 or self.baseline % 7:
            raise ValueError("The recent and the baseline windows are whole weeks: 7, 14, 28 ... days.")

    @property
    def span(self) -> int:
        return self.recent + self.baseline


@dataclass(frozen=True, slots=True)
class Rate:
    name: str
    numerator: str  # a metric, or a prefix ending in ":" for each of its metrics
    denominator: str
    dimensions: tuple[str, ...]
    by_count: bool = False  # the denominator is the number of facts (ratings), not their total
    falls: bool = False  # what goes wrong is the rate falling (an acceptance), not rising


RATES = (
    Rate(
        "return_rate",
        "returns",
        "units",
        ("all", "product", "supplier", "category", "channel", "store", "region"),
    ),
    Rate(
        "return_rate",
        "returns:",
        "units",
        ("all", "product", "supplier", "category", "channel", "store", "region"),
    ),
    Rate("ticket_rate", "tickets:", "units", ("product", "supplier", "category")),
    Rate("sla_miss_rate", "sla_missed", "responses", ("all", "agent", "team", "channel")),
    Rate("sla_breach_rate", "sla_breaches", "tickets_assigned", ("agent", "team")),
    Rate("late_delivery_rate", "deliveries_late", "shipments", ("all", "store", "region", "mode", "carrier")),
    Rate(
        "failed_delivery_rate",
        "deliveries_failed",
        "shipments",
        ("all", "store", "region", "mode", "carrier"),
    ),
    Rate("low_csat_rate", "csat_low", "csat", ("all", "agent", "team", "channel"), by_count=True),
    # next-best-action acceptance (``acceptance.py``: counted from the decisions' log)
    Rate(
        "nba_acceptance_rate",
        "nba_accepted",
        "nba_shown",
        ("all", "action", "channel", "placement"),
        falls=True,
    ),
)


@dataclass
class Finding:
    metric: str
    dimension: str
    slice: str
    comparisons: list[dict[str, Any]] = field(default_factory=list)
    evidence: list[str] = field(default_factory=list)
    since: str | None = None

    @property
    def flag_id(self) -> str:
        return hashlib.sha256(f"{self.metric}|{self.dimension}|{self.slice}".encode()).hexdigest()[:16]


def days(end: str, count: int, skip: int = 0) -> list[str]:
    last = date.fromisoformat(end) - timedelta(days=skip)
    return [(last - timedelta(days=i)).isoformat() for i in range(count - 1, -1, -1)]


def _sum(cells: Mapping[str, Cell], span: Sequence[str], by_count: bool = False) -> float:
    return sum((c[0] if by_count else c[1]) for d in span if (c := cells.get(d)))


def _evidence(cells: Mapping[str, Cell], span: Sequence[str]) -> list[str]:
    out: dict[str, None] = {}
    for d in reversed(span):
        for e in cells.get(d, (0, 0.0, []))[2]:
            out.setdefault(e)
    return list(out)[:EVIDENCE]


def _numerators(rate: Rate, metrics: set[str]) -> list[str]:
    if rate.numerator.endswith(":"):
        return sorted(m for m in metrics if m.startswith(rate.numerator))
    return [rate.numerator] if rate.numerator in metrics else []


def detect(series: Series, as_of: str, windows: Windows) -> list[Finding]:
    """The findings as of the end of ``as_of``, with their q-values over every test run here."""
    recent, base = days(as_of, windows.recent), days(as_of, windows.baseline, skip=windows.recent)
    metrics = {k[0] for k in series}
    tests: list[tuple[str, str, str, dict[str, Any], float, list[str], str | None]] = []
    for rate in RATES:
        for numerator in _numerators(rate, metrics):
            name = (
                rate.name + numerator[len(rate.numerator.rstrip(":")) :]
                if rate.numerator.endswith(":")
                else rate.name
            )
            for dimension in rate.dimensions:
                tests += _rate_tests(series, rate, numerator, name, dimension, recent, base)
    tests += _supplier_tests(series, metrics, recent)
    qs = q_values([t[4] for t in tests])
    found: dict[tuple[str, str, str], Finding] = {}
    for (metric, dimension, slice_, comparison, p, evidence, since), q in zip(tests, qs, strict=True):
        counted = (
            comparison["compared_events"] if comparison.get("direction") == "down" else comparison["events"]
        )
        if q > ALPHA or comparison["ratio"] < MIN_RATIO or counted < MIN_EVENTS:
            continue
        f = found.setdefault((metric, dimension, slice_), Finding(metric, dimension, slice_))
        f.comparisons.append({**comparison, "p_value": p, "q_value": q})
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
    dim_x = sum(_sum(series.get((numerator, dimension, s), empty), recent) for s in slices)
    dim_n = sum(
        _sum(series.get((rate.denominator, dimension, s), empty), recent, rate.by_count)
        for s in {k[2] for k in series if k[0] == rate.denominator and k[1] == dimension}
    )
    for s in slices:
        num, den = (
            series.get((numerator, dimension, s), empty),
            series.get((rate.denominator, dimension, s), empty),
        )
        x, n = round(_sum(num, recent)), _sum(den, recent, rate.by_count)
        if (x < MIN_EVENTS and not rate.falls) or n <= 0:
            continue
        x0, n0 = round(_sum(num, base)), _sum(den, base, rate.by_count)
        span = [*base, *recent]
        shift = shift_day(
            [_sum(num, [d]) for d in span], [_sum(den, [d], rate.by_count) for d in span], rate.falls
        )
        since = span[shift] if shift is not None else recent[0]
        # a fall's evidence is what was exposed and not taken (the decisions shown), a rise's the events
        evidence = _evidence(den if rate.falls else num, [d for d in recent if d >= since] or recent)
        test = _falls if rate.falls else _rises
        if n0 > 0:
            out.append(
                (
                    name,
                    dimension,
                    s,
                    *test("history", x, n, x0, n0, recent, base),
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
    against: str, x: int, n: float, x0: int, n0: float, span: list[str], other: list[str]
) -> tuple[dict[str, Any], float]:
    return _comparison(against, x, n, x0, n0, span, other), rate_test(x, n, x0, n0)


def _falls(
    against: str, x: int, n: float, x0: int, n0: float, span: list[str], other: list[str]
) -> tuple[dict[str, Any], float]:
    """The compared rate above this one: the same test, the roles swapped."""
    found = _comparison(against, x, n, x0, n0, span, other)
    base = x0 / n0 if n0 else 0.0
    ratio = base / (x / n) if x > 0 else (float("inf") if base > 0 else 0.0)
    return {**found, "ratio": round(ratio, 3), "direction": "down"}, rate_test(
        x0, n0, x, n
    ) if x0 > 0 else 1.0


def _comparison(
    against: str, x: int, n: float, x0: int, n0: float, span: list[str], other: list[str]
) -> dict[str, Any]:
    rate, base = x / n, (x0 / n0 if n0 else 0.0)
    return {
        "against": against,
        "rate": round(rate, 5),
        "compared_rate": round(base, 5),
        "ratio": round(rate / base, 3) if base > 0 else float("inf"),
        "events": x,
        "exposure": round(n, 2),
        "compared_events": x0,
        "compared_exposure": round(n0, 2),
        "window": [span[0], span[-1]],
        "compared_window": [other[0], other[-1]],
    }


def _supplier_tests(series: Series, metrics: set[str], recent: list[str]) -> list[Any]:
    """Each supplier of a product against the product's other suppliers, size by size."""
    units: dict[str, dict[str, dict[str, float]]] = defaultdict(lambda: defaultdict(dict))
    for (metric, dimension, s), cells in series.items():
        if metric == "units" and dimension == "product_supplier_size":
            product, supplier, size = s.split("|", 2)
            units[product][supplier][size] = _sum(cells, recent)
    out: list[Any] = []
    empty: Mapping[str, Cell] = {}
    for numerator in sorted(m for m in metrics if m == "returns" or m.startswith("returns:")):
        name = "supplier_return_rate" + numerator[len("returns") :]
        for product, suppliers in sorted(units.items()):
            if len(suppliers) < 2:
                continue
            got = {
                (sup, size): series.get(
                    (numerator, "product_supplier_size", f"{product}|{sup}|{size}"), empty
                )
                for sup, sizes in suppliers.items()
                for size in sizes
            }
            for supplier, sizes in sorted(suppliers.items()):
                strata, x, n, x0, n0 = [], 0, 0.0, 0, 0.0
                for size, sold in sizes.items():
                    a = round(_sum(got[(supplier, size)], recent))
                    others = [
                        (o, round(_sum(got.get((o, size), empty), recent)), osizes.get(size, 0.0))
                        for o, osizes in suppliers.items()
                        if o != supplier
                    ]
                    b, b_n = sum(o[1] for o in others), sum(o[2] for o in others)
                    strata.append((a, round(sold), b, round(b_n)))
                    x, n, x0, n0 = x + a, n + sold, x0 + b, n0 + b_n
                if x < MIN_EVENTS or n <= 0 or n0 <= 0:
                    continue
                p, odds = cmh(strata)
                comparison = _comparison(
                    "other suppliers, same product and sizes", x, n, x0, n0, recent, recent
                )
                comparison["odds_ratio"] = round(odds, 3) if odds != float("inf") else None
                evidence = _evidence(_merged([got[(supplier, size)] for size in sizes]), recent)
                out.append((name, "product_supplier", f"{product}|{supplier}", comparison, p, evidence, None))
    return out


def _merged(many: Sequence[Mapping[str, Cell]]) -> dict[str, Cell]:
    out: dict[str, Cell] = {}
    for cells in many:
        for d, (n, total, ev) in cells.items():
            c = out.get(d, (0, 0.0, []))
            out[d] = (c[0] + n, c[1] + total, [*c[2], *ev])
    return out


def price_conflicts(series: Series, as_of: str, windows: Windows) -> list[Finding]:
    """A rule, not a rate: every product whose channels showed one offer at prices more than 1%
    apart during the recent days (each conflict is a fact; there is nothing to estimate)."""
    recent, out = days(as_of, windows.recent), []
    for (metric, dimension, s), cells in sorted(series.items()):
        if metric != "price_conflicts" or dimension != "product":
            continue
        count = round(_sum(cells, recent))
        if count == 0:
            continue
        first = next(d for d in recent if d in cells and cells[d][1] > 0)
        f = Finding("price_conflict", dimension, s, since=first, evidence=_evidence(cells, recent))
        f.comparisons.append(
            {
                "against": "one offer on every channel (prices within 1%)",
                "events": count,
                "window": [recent[0], recent[-1]],
                "p_value": None,
                "q_value": None,
            }
        )
        out.append(f)
    return out
