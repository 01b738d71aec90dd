"""The product rules: each supplier of a product against the product's other suppliers, size
by size (Cochran–Mantel–Haenszel: the supplier's own effect, not its product mix), and the price
conflicts (a rule, not a rate). Pure."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from typing import Any

from frontoffice.insights.rates import (
    MIN_EVENTS,
    Cell,
    Finding,
    Series,
    Windows,
    comparison,
    days,
    evidence_of,
    total,
)
from frontoffice.insights.stats import cmh


def supplier_tests(series: Series, metrics: set[str], recent: list[str]) -> list[Any]:
    """Each supplier of a product against the product's other suppliers, size by size."""
    units: dict[str, dict[str, dict[str, float]]] = defaultdict(lambda: defaultdict(dict))
    for (metric, dimension, s), cells in series.items():
        if metric == "units" and dimension == "product_supplier_size":
            product, supplier, size = s.split("|", 2)
            units[product][supplier][size] = total(cells, recent)
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
                    a = round(total(got[(supplier, size)], recent))
                    others = [
                        (o, round(total(got.get((o, size), empty), recent)), osizes.get(size, 0.0))
                        for o, osizes in suppliers.items()
                        if o != supplier
                    ]
                    b, b_n = sum(o[1] for o in others), sum(o[2] for o in others)
                    strata.append((a, round(sold), b, round(b_n)))
                    x, n, x0, n0 = x + a, n + sold, x0 + b, n0 + b_n
                if x < MIN_EVENTS or n <= 0 or n0 <= 0:
                    continue
                p, odds = cmh(strata)
                compared = comparison("other suppliers, same product and sizes", x, n, x0, n0, recent, recent)
                compared["odds_ratio"] = round(odds, 3) if odds != float("inf") else None
                evidence = evidence_of(_merged([got[(supplier, size)] for size in sizes]), recent)
                out.append((name, "product_supplier", f"{product}|{supplier}", compared, p, evidence, None))
    return out


def _merged(many: Sequence[Mapping[str, Cell]]) -> dict[str, Cell]:
    out: dict[str, Cell] = {}
    for cells in many:
        for d, (n, summed, ev) in cells.items():
            c = out.get(d, (0, 0.0, []))
            out[d] = (c[0] + n, c[1] + summed, [*c[2], *ev])
    return out


def price_conflicts(series: Series, as_of: str, windows: Windows) -> list[Finding]:
    """A rule, not a rate: every product whose channels showed one offer at prices more than 1%
    apart during the recent days (each conflict is a fact; there is nothing to estimate)."""
    recent, out = days(as_of, windows.recent), []
    for (metric, dimension, s), cells in sorted(series.items()):
        if metric != "price_conflicts" or dimension != "product":
            continue
        count = round(total(cells, recent))
        if count == 0:
            continue
        first = next(d for d in recent if d in cells and cells[d][1] > 0)
        f = Finding("price_conflict", dimension, s, since=first, evidence=evidence_of(cells, recent))
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
