"""Quality figures on hand-made resolutions small enough to count by hand."""

from __future__ import annotations

import pytest

from frontoffice.identity.evaluation import cross_script_pairs, evaluate

TRUTH = {"a1": "A", "a2": "A", "a3": "A", "b1": "B", "b2": "B", "c1": "C"}


def test_a_perfect_resolution_scores_one_everywhere() -> None:
    s = evaluate(dict(TRUTH), TRUTH)
    assert (s.precision, s.recall, s.f1) == (1.0, 1.0, 1.0)
    assert (s.bcubed_precision, s.bcubed_recall) == (1.0, 1.0)
    assert s.largest_cluster == 3
    assert (s.over_merged_share, s.split_share) == (0.0, 0.0)


def test_all_singletons_have_full_precision_and_no_recall() -> None:
    s = evaluate({}, TRUTH)  # records the prediction does not mention are singletons
    assert s.pairs.predicted_pairs == 0 and s.precision == 1.0
    assert s.recall == 0.0 and s.f1 == 0.0
    assert s.split_share == 1.0  # both A and B (the persons with 2+ records) are split
    assert s.bcubed_recall == pytest.approx((3 * (1 / 3) + 2 * (1 / 2) + 1) / 6)


def test_one_wrong_merge_counts_its_pairs_and_the_over_merged_persons() -> None:
    predicted = {"a1": "x", "a2": "x", "a3": "x", "b1": "x", "b2": "y", "c1": "z"}
    s = evaluate(predicted, TRUTH)
    # predicted pairs: C(4,2)=6, of which a-a pairs (3) are true; true pairs: 3 + 1 = 4
    assert (s.pairs.predicted_pairs, s.pairs.true_positives, s.pairs.true_pairs) == (6, 3, 4)
    assert s.precision == pytest.approx(0.5) and s.recall == pytest.approx(0.75)
    assert s.f1 == pytest.approx(0.6)
    assert s.over_merged_share == pytest.approx(2 / 3)  # A and B share a cluster; C does not
    assert s.split_share == pytest.approx(1 / 2)  # B is split, A is not
    assert s.largest_cluster == 4
    # B-cubed precision: a's 3/4 each, b1 1/4, b2 1, c1 1
    assert s.bcubed_precision == pytest.approx((3 * 0.75 + 0.25 + 1 + 1) / 6)


def test_predicted_records_without_truth_are_ignored() -> None:
    predicted = {**TRUTH, "stranger": "A"}
    assert evaluate(predicted, TRUTH).precision == 1.0


def test_cross_script_pairs_are_the_true_pairs_whose_names_differ_in_script() -> None:
    truth = {"r1": "P", "r2": "P", "r3": "P", "r4": "Q", "r5": "Q"}
    scripts = {"r1": "cyrillic", "r2": "latin", "r3": "latin", "r4": "hangul", "r5": "none"}
    assert cross_script_pairs(truth, scripts) == {("r1", "r2"), ("r1", "r3")}
    found = evaluate({"r1": "x", "r2": "x", "r3": "y", "r4": "z", "r5": "z"}, truth, scripts)
    assert found.cross_script is not None
    assert (found.cross_script.true_pairs, found.cross_script.true_positives) == (2, 1)
    assert found.cross_script.recall == pytest.approx(0.5)


def test_a_wrong_cross_script_merge_lowers_cross_script_precision() -> None:
    truth = {"r1": "P", "r2": "P", "r3": "Q"}
    scripts = {"r1": "cyrillic", "r2": "latin", "r3": "latin"}
    s = evaluate({"r1": "x", "r2": "x", "r3": "x"}, truth, scripts)
    assert s.cross_script is not None
    # predicted cross-script pairs: r1-r2 (true), r1-r3 (false); r2-r3 are both latin
    assert (s.cross_script.predicted_pairs, s.cross_script.true_positives) == (2, 1)
    assert s.cross_script.precision == pytest.approx(0.5)


def test_no_truth_gives_empty_figures_not_errors() -> None:
    s = evaluate({}, {})
    assert (s.precision, s.recall, s.largest_cluster, s.over_merged_share) == (1.0, 1.0, 0, 0.0)
