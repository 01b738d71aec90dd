"""Decisions simulator: customers of the demo brand with hidden tastes and return habits,
shown one product per visit by five policies; kept reward and return rate with 95% intervals.

The world: 24 products in 4 categories (price 20-130, a hidden chance of being returned for
fit); customers with a hidden favourite category (what a segment would show) and a hidden
return habit (30% serial returners). A visit: the policy shows one product; the customer buys it
more often when it is of their category; a purchase is returned with
1 - (1 - customer's habit)(1 - product's fit risk). Reward: margin (40% of price) when kept, minus
a handling cost (5) when returned, in units of 100. Outcomes arrive ``--delay`` visits later (the
return window), as in the decision log.

Policies: random; popularity (most bought so far); the segment recommender (best expected margin
within the customer's segment, from what was bought); the same made return-aware (times the
estimated chance of being kept, from the product's and the customer's returns so far); the
Vowpal Wabbit contextual bandit (``frontoffice.decisions.bandit``, cb_explore_adf) with the
segment, the returns bucket and the product's features as context.

    python bench/decisions_simulator.py                     # full size, writes the PNG
    BENCH_SCALE=small python bench/decisions_simulator.py   # small
"""

from __future__ import annotations

import argparse
import math
import os
import random
import statistics
import sys
from collections import defaultdict, deque
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from frontoffice.decisions.bandit import Bandit, bucket  # noqa: E402

CATEGORIES = ("dresses", "shoes", "coats", "bags")
MARGIN, HANDLING = 0.4, 5.0
PLOT = ROOT / "docs" / "decisions-simulator.png"


@dataclass(frozen=True)
class Product:
    pid: str
    category: str
    price: float
    appeal: float
    fit_risk: float


@dataclass(frozen=True)
class Customer:
    cid: int
    favourite: str
    habit: float


@dataclass
class Seen:
    """What the shop has observed so far (all policies learn only from this)."""

    shown: dict[tuple[str, str], int] = field(default_factory=lambda: defaultdict(int))
    bought: dict[tuple[str, str], int] = field(default_factory=lambda: defaultdict(int))
    sold: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    returned: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    by_customer: dict[int, list[int]] = field(default_factory=lambda: defaultdict(lambda: [0, 0]))

    def returns_bucket(self, c: Customer) -> str:
        bought, returned = self.by_customer[c.cid]
        if bought < 2:
            return "new"
        rate = returned / bought
        return "high" if rate >= 0.4 else "low"

    def p_buy(self, segment: str, p: Product) -> float:
        return (self.bought[(segment, p.pid)] + 1) / (self.shown[(segment, p.pid)] + 4)

    def p_kept(self, c: Customer, p: Product) -> float:
        product = 1 - (self.returned[p.pid] + 1) / (self.sold[p.pid] + 5)
        bought, returned = self.by_customer[c.cid]
        person = 1 - (returned + 0.2 * 5) / (bought + 5)
        return product * person / 0.8  # 0.8: the prior share kept, counted in both


def world(rng: random.Random, customers: int) -> tuple[list[Product], list[Customer]]:
    products = [Product(f"p{i}", CATEGORIES[i % 4], 20 + 110 * rng.random(),
                        0.5 + 0.5 * rng.random(), rng.choice((0.05, 0.1, 0.2, 0.5)))
                for i in range(24)]
    people = [Customer(n, rng.choice(CATEGORIES), 0.6 if rng.random() < 0.3 else 0.08)
              for n in range(customers)]
    return products, people


Policy = Callable[[Customer, list[Product], Seen], tuple[int, float]]  # (index, probability)


def random_policy(rng: random.Random) -> Policy:
    return lambda c, ps, seen: (rng.randrange(len(ps)), 1 / len(ps))


def popularity(rng: random.Random) -> Policy:
    def choose(c: Customer, ps: list[Product], seen: Seen) -> tuple[int, float]:
        best = max(range(len(ps)), key=lambda i: (seen.sold[ps[i].pid], rng.random()))
        return best, 1.0
    return choose


def recommender(return_aware: bool, rng: random.Random, epsilon: float = 0.1) -> Policy:
    def choose(c: Customer, ps: list[Product], seen: Seen) -> tuple[int, float]:
        if rng.random() < epsilon:
            return rng.randrange(len(ps)), epsilon / len(ps)
        def value(p: Product) -> float:
            worth = seen.p_buy(c.favourite, p) * p.price * MARGIN
            return worth * seen.p_kept(c, p) if return_aware else worth
        best = max(range(len(ps)), key=lambda i: (value(ps[i]), rng.random()))
        return best, 1 - epsilon + epsilon / len(ps)
    return choose


class BanditPolicy:
    def __init__(self) -> None:
        self.model = Bandit(epsilon=0.1)
        self.rng = random.Random(11)

    def features(self, c: Customer, ps: list[Product], seen: Seen
                 ) -> tuple[dict[str, str | float], list[dict[str, str | float]]]:
        shared: dict[str, str | float] = {"segment": c.favourite,
                                          "returns": seen.returns_bucket(c)}
        return shared, [{"id": p.pid, "category": p.category, "price": bucket(p.price)}
                        for p in ps]

    def __call__(self, c: Customer, ps: list[Product], seen: Seen) -> tuple[int, float]:
        shared, actions = self.features(c, ps, seen)
        pmf = self.model.pmf(shared, actions)
        i = self.rng.choices(range(len(ps)), weights=pmf)[0]
        return i, pmf[i]


def simulate(seed: int, rounds: int, customers: int, delay: int,
             make: Callable[[random.Random], Policy | BanditPolicy]) -> dict[str, Any]:
    rng = random.Random(seed)
    products, people = world(rng, customers)
    policy = make(random.Random(seed + 1))
    seen, pending = Seen(), deque()  # type: ignore[var-annotated]
    reward_total = purchases = returns = 0.0
    curve = []
    for t in range(rounds):
        c = rng.choice(people)
        context = (policy.features(c, products, seen) if isinstance(policy, BanditPolicy)
                   else None)
        i, prob = policy(c, products, seen)
        p = products[i]
        bought = rng.random() < 0.05 + 0.35 * p.appeal * (p.category == c.favourite)
        returned = bought and rng.random() < 1 - (1 - c.habit) * (1 - p.fit_risk)
        reward = (p.price * MARGIN if bought and not returned else 0.0) - (HANDLING if returned
                                                                          else 0.0)
        reward_total += reward / 100
        purchases += bought
        returns += returned
        pending.append((t + delay, c, p, i, prob, bought, returned, reward / 100, context))
        while pending and pending[0][0] <= t:
            _, pc, pp, pi, pprob, pbought, pret, prew, pctx = pending.popleft()
            seen.shown[(pc.favourite, pp.pid)] += 1
            if pbought:
                seen.bought[(pc.favourite, pp.pid)] += 1
                seen.sold[pp.pid] += 1
                seen.returned[pp.pid] += pret
                seen.by_customer[pc.cid][0] += 1
                seen.by_customer[pc.cid][1] += pret
            if isinstance(policy, BanditPolicy) and pctx is not None:
                policy.model.learn(pctx[0], pctx[1], pi, prew, pprob)
        if (t + 1) % max(1, rounds // 50) == 0:
            curve.append(reward_total / (t + 1))
    if isinstance(policy, BanditPolicy):
        policy.model.close()
    return {"reward": reward_total / rounds, "return_rate": returns / purchases if purchases
            else 0.0, "curve": curve}


def interval(values: list[float]) -> tuple[float, float, float]:
    mean = statistics.fmean(values)
    if len(values) < 2:
        return mean, mean, mean
    t = {2: 12.71, 3: 4.30, 4: 3.18, 5: 2.78, 6: 2.57, 8: 2.36, 10: 2.26}.get(len(values), 2.0)
    half = t * statistics.stdev(values) / math.sqrt(len(values))
    return mean, mean - half, mean + half


POLICIES: dict[str, Callable[[random.Random], Policy | BanditPolicy]] = {
    "random": random_policy,
    "popularity": popularity,
    "segment recommender": lambda rng: recommender(False, rng),
    "return-aware recommender": lambda rng: recommender(True, rng),
    "bandit (VW cb_explore_adf)": lambda rng: BanditPolicy(),
}


def plot(results: dict[str, list[dict[str, Any]]], rounds: int) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4.2))
    for name, runs in results.items():
        curves = [r["curve"] for r in runs]
        mean = [statistics.fmean(col) for col in zip(*curves, strict=True)]
        xs = [(k + 1) * rounds / len(mean) for k in range(len(mean))]
        left.plot(xs, mean, label=name)
    left.set_xlabel("visits")
    left.set_ylabel("kept reward per visit (cumulative mean)")
    left.legend(fontsize=8)
    names = list(results)
    rates = [interval([r["return_rate"] for r in results[n]]) for n in names]
    right.barh(names, [m for m, _, _ in rates],
               xerr=[[m - lo for m, lo, _ in rates], [hi - m for m, _, hi in rates]])
    right.set_xlabel("return rate (95% CI over seeds)")
    fig.tight_layout()
    fig.savefig(PLOT, dpi=110)


def main(argv: list[str] | None = None) -> dict[str, Any]:
    small = os.environ.get("BENCH_SCALE") == "small"
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3000 if small else 20000)
    parser.add_argument("--seeds", type=int, default=3 if small else 8)
    parser.add_argument("--customers", type=int, default=300 if small else 2000)
    parser.add_argument("--delay", type=int, default=50, help="Visits before an outcome is known.")
    parser.add_argument("--no-plot", action="store_true")
    args = parser.parse_args(argv)
    results = {name: [simulate(seed, args.rounds, args.customers, args.delay, make)
                      for seed in range(args.seeds)] for name, make in POLICIES.items()}
    summary: dict[str, Any] = {}
    for name, runs in results.items():
        reward = interval([r["reward"] for r in runs])
        rate = interval([r["return_rate"] for r in runs])
        summary[name] = {"kept_reward_per_visit": [round(x, 4) for x in reward],
                         "return_rate": [round(x, 4) for x in rate]}
        print(orjson.dumps({"policy": name, **summary[name]}).decode())
    bandit = summary["bandit (VW cb_explore_adf)"]["kept_reward_per_visit"]
    popular = summary["popularity"]["kept_reward_per_visit"]
    aware = summary["return-aware recommender"]["return_rate"]
    plain = summary["segment recommender"]["return_rate"]
    verdict = {"bandit_vs_popularity_reward_ratio": round(bandit[0] / popular[0], 2),
               "bandit_beats_popularity": bandit[1] > popular[2],
               "return_rate_return_aware_vs_plain": [aware[0], plain[0]],
               "return_aware_lowers_return_rate": aware[2] < plain[1],
               "rounds": args.rounds, "seeds": args.seeds}
    print(orjson.dumps(verdict).decode())
    if not args.no_plot:
        plot(results, args.rounds)
        print(f"plot: {PLOT.relative_to(ROOT)}")
    return {"summary": summary, "verdict": verdict}


if __name__ == "__main__":
    main()
