"""recs evaluate: per-user splits, the ranking metrics at k, and collaborative filtering (implicit)
beating popularity on data with taste groups; content-based scores for cold items."""

from __future__ import annotations

import random
from pathlib import Path

import orjson
import pytest
from click.testing import CliRunner

from frontoffice.cli.main import cli
from frontoffice.decisions.recs import Collaborative, Interaction, content_scores, group_popularity
from frontoffice.decisions.recs_eval import at_k, evaluate, split


def test_the_metrics_at_k_match_a_hand_computed_list() -> None:
    # hits at ranks 1 and 3 of 4; three relevant items
    found = at_k(["a", "x", "b", "y"], {"a", "b", "c"}, 4)
    assert found["precision"] == pytest.approx(2 / 4)
    assert found["recall"] == pytest.approx(2 / 3)
    ideal = 1 + 1 / 1.5849625 + 1 / 2  # three hits at ranks 1..3
    assert found["ndcg"] == pytest.approx((1 + 1 / 2) / ideal, rel=1e-6)  # 1/log2(2) + 1/log2(4)
    assert found["map"] == pytest.approx((1 / 1 + 2 / 3) / 3)


def test_a_time_split_holds_back_each_users_latest_and_single_interactions_only_train() -> None:
    rows = [Interaction("u", "a", at="1"), Interaction("u", "b", at="3"),
            Interaction("u", "c", at="2"), Interaction("v", "a", at="1")]
    train, test = split(rows, "time", 0.3)
    assert test == {"u": {"b"}}
    assert sorted((x.user, x.item) for x in train) == [("u", "a"), ("u", "c"), ("v", "a")]


def taste_groups(users: int = 200, items: int = 100, seed: int = 1) -> list[Interaction]:
    """Five taste groups, each liking its own 20 items; a few globally popular items too."""
    rng = random.Random(seed)
    rows = []
    for u in range(users):
        group = u % 5
        liked = [f"i{group * 20 + j}" for j in range(20)]
        for item in rng.sample(liked, 8) + rng.sample([f"i{j}" for j in range(items)], 2):
            rows.append(Interaction(f"u{u}", item))
    return rows


def test_collaborative_filtering_beats_popularity_by_a_wide_margin_on_taste_groups() -> None:
    report = evaluate(taste_groups(), k=10, how="random", test_fraction=0.2, algorithms=("als",))
    als, pop = report["results"]["als"], report["results"]["popularity"]
    assert als["ndcg"] > 2 * pop["ndcg"] and als["recall"] > 2 * pop["recall"]
    assert report["lift_over_popularity"]["als"]["ndcg"] == pytest.approx(als["ndcg"] / pop["ndcg"],
                                                                          rel=0.01)


def test_scores_are_known_items_scaled_and_cold_items_get_content_scores() -> None:
    model = Collaborative("knn").fit(taste_groups(users=50))
    scores = model.scores("u0", ["i1", "i99", "brand-new"])
    assert set(scores) == {"i1", "i99"} and max(scores.values()) == pytest.approx(1.0)
    attributes = {"i1": {"dresses", "linen"}, "new": {"dresses", "linen"}, "odd": {"boots"}}
    assert content_scores(["i1"], ["new", "odd"], attributes) == {"new": 1.0, "odd": 0.0}


def test_popularity_within_a_group_ranks_the_groups_own_favourites() -> None:
    rows = [Interaction("a1", "x"), Interaction("a2", "x"), Interaction("b1", "y"),
            Interaction("b2", "y"), Interaction("b3", "x")]
    found = group_popularity(rows, {"a1": "A", "a2": "A", "b1": "B", "b2": "B", "b3": "B"})
    assert found == {"A": ["x"], "B": ["y", "x"]}


def test_recs_evaluate_reads_a_csv_and_reports_every_model_against_popularity(tmp_path: Path) -> None:
    path = tmp_path / "interactions.csv"
    path.write_text("user,item,rating,timestamp\n" + "\n".join(
        f"{x.user},{x.item},1,2026-01-{1 + n % 28:02d}" for n, x in enumerate(taste_groups(80))))
    result = CliRunner().invoke(cli, ["recs", "evaluate", str(path), "--k", "5", "--split", "time",
                                      "--algorithm", "knn", "--json"])
    assert result.exit_code == 0, result.output
    report = orjson.loads(result.output)
    assert set(report["results"]) == {"popularity", "knn"} and report["split"] == "time"
    bad = tmp_path / "bad.csv"
    bad.write_text("customer,product\n1,2\n")
    refused = CliRunner().invoke(cli, ["recs", "evaluate", str(bad)])
    assert refused.exit_code == 1 and "needs columns 'user' and 'item'" in refused.output
