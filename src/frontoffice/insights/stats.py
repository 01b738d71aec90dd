"""The statistics behind a flag, on counts: the exact conditional test of two Poisson rates
(given both counts' sum, one is binomial), the Cochran–Mantel–Haenszel test over strata, the
Benjamini–Hochberg q-values (since when a rate shifted: ``changepoint``). Pure."""

from __future__ import annotations

import math
from collections.abc import Sequence


def rate_test(x: int, n: float, x0: int, n0: float) -> float:
    """One-sided p-value that the rate ``x / n`` is above ``x0 / n0`` (exposures ``n``, ``n0``):
    under equal rates, ``x`` given ``x + x0`` is binomial with ``n / (n + n0)``."""
    if x <= 0 or n <= 0 or n0 <= 0:
        return 1.0
    from scipy import stats  # ~1 s to import: paid by the process that tests, not by every CLI

    return float(stats.binom.sf(x - 1, x + x0, n / (n + n0)))


def cmh(strata: Sequence[tuple[int, int, int, int]]) -> tuple[float, float]:
    """Cochran–Mantel–Haenszel over 2x2 strata ``(a_events, a_total, b_events, b_total)``: the
    one-sided p-value that A's events are more likely than B's within each stratum, and the
    Mantel–Haenszel odds ratio (strata with one group empty carry no information)."""
    num = var = ratio_num = ratio_den = 0.0
    for a, a_n, b, b_n in strata:
        total, events = a_n + b_n, a + b
        if a_n == 0 or b_n == 0 or total < 2:
            continue
        num += a - a_n * events / total
        var += a_n * b_n * events * (total - events) / (total * total * (total - 1))
        ratio_num += a * (b_n - b) / total
        ratio_den += b * (a_n - a) / total
    odds = ratio_num / ratio_den if ratio_den > 0 else math.inf if ratio_num > 0 else 1.0
    if var <= 0:
        return 1.0, odds
    from scipy import stats

    return float(stats.norm.sf(num / math.sqrt(var))), odds


def q_values(p: Sequence[float]) -> list[float]:
    """Benjamini–Hochberg adjusted p-values of every test of one run."""
    if not p:
        return []
    from scipy import stats

    return [float(q) for q in stats.false_discovery_control(list(p), method="bh")]
