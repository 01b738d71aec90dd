"""The review queue at scale, on SQLite and PostgreSQL: by weight, a weight range previewed and
decided at once, counts that add up, and what the model learned, from the CLI."""

from __future__ import annotations

import math

import orjson
from click.testing import CliRunner

from frontoffice.cli.main import cli
from frontoffice.identity import service as identity
from frontoffice.identity.hub import IdentityHub
from frontoffice.identity.review_bulk import WeightRange, by_weight, decide_range, preview
from frontoffice.identity.review_store import ReviewSql
from frontoffice.identity.store import IdentitySql
from frontoffice.storage.sql import SqlStore
from tests.integration.identity_review_support import review_brand


def run(database_url: str, *args: str) -> str:
    result = CliRunner().invoke(cli, ["--database-url", database_url, *args])
    assert result.exit_code == 0, result.output
    return result.output


def _queued(store: SqlStore) -> tuple[str, IdentityHub, float]:
    b = review_brand(store)
    hub = IdentityHub(store)
    assert hub.match(b.workspace_id).queued == 1
    total, [twins] = by_weight(store, b.workspace_id)
    assert total == 1
    return b.workspace_id, hub, twins["match_weight"]


def test_a_preview_changes_nothing_and_its_counts_add_up(store: SqlStore) -> None:
    ws, _, weight = _queued(store)
    everything = preview(store, ws, True, WeightRange())
    assert everything.pending == everything.selected + everything.outside == 1
    assert everything.selected == everything.joins + everything.already_together == 1
    assert (everything.people_before, everything.people_after) == (2, 1)
    above = preview(store, ws, True, WeightRange(weight + 1, math.inf))
    assert (above.selected, above.outside, above.joins) == (0, 1, 0)
    assert ReviewSql(store).count(ws) == 1


def test_accepting_a_weight_range_merges_its_pairs_and_says_it_was_in_bulk(store: SqlStore) -> None:
    ws, hub, weight = _queued(store)
    plan = decide_range(store, hub, ws, True, WeightRange(weight - 1, weight + 1), "user kim")
    assert plan.selected == 1 and ReviewSql(store).count(ws) == 0
    [item] = ReviewSql(store).items(ws, None)
    people = IdentitySql(store).persons_of(ws, [item.record_a, item.record_b])
    assert len(set(people.values())) == 1
    [merge] = [h for h in identity.history(store, ws, people[item.record_a]) if h["kind"] == "merged"
               and "from review" in h["evidence"]["detail"]]
    assert "in bulk, match weight in [" in merge["evidence"]["detail"]


def test_rejecting_a_weight_range_remembers_each_pair_apart(store: SqlStore) -> None:
    ws, hub, _ = _queued(store)
    plan = decide_range(store, hub, ws, False, WeightRange(), "user kim")
    assert (plan.selected, plan.joins, plan.people_before, plan.people_after) == (1, 0, 2, 2)
    [item] = ReviewSql(store).items(ws, None)
    assert {(item.record_a, item.record_b)} <= {tuple(sorted(p)) for p in ReviewSql(store).rejected_pairs(ws)}


def test_the_cli_previews_a_bulk_accept_and_reports_the_model(store: SqlStore, database_url: str) -> None:
    ws, _, _ = _queued(store)
    shown = orjson.loads(run(database_url, "identity", "review", "bulk", "accept", "-w", "acme", "--json"))
    assert shown["decided"] is False and shown["pending"] == shown["selected"] + shown["outside"] == 1
    assert ReviewSql(store).count(ws) == 1
    report = orjson.loads(run(database_url, "identity", "model", "-w", "acme", "--json"))
    assert report["thresholds"] == {"auto_merge": 16.0, "review": 6.0}
    assert report["pairs_compared"] == sum(b["pairs"] for b in report["histogram"])
    assert report["pairs_compared"] == sum(report["pairs"].values())
    given = next(c for c in report["comparisons"] if c["comparison"] == "given_name")
    assert any(level["weight"] for level in given["levels"])
    text = run(database_url, "identity", "model", "-w", "acme")
    assert "parameters learned" in text and "pairs compared" in text
    assert report["households"] is True and "the twin and generation vetoes hold" in text
