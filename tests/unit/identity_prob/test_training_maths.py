"""The arithmetic applied to a trained model: u without the matches that random pairs contain."""

from __future__ import annotations

from typing import Any

import pytest

from frontoffice.identity.probabilistic._splink import _unmix_u


def model(prior: float, m: float, u: float) -> dict[str, Any]:
    return {"probability_two_random_records_match": prior, "comparisons": [{"comparison_levels": [
        {"is_null_level": True, "label_for_charts": "missing"},
        {"label_for_charts": "exact", "m_probability": m, "u_probability": u},
    ]}]}


def level(trained: dict[str, Any]) -> dict[str, Any]:
    return dict(trained["comparisons"][0]["comparison_levels"][1])


def test_the_matches_inside_random_pairs_are_taken_out_of_u() -> None:
    # 1 pair in 2,000 is a match and agrees 96 % of the time: of a sampled u of 5.5e-4, 4.8e-4 is them
    assert level(_unmix_u(model(5e-4, 0.96, 5.5e-4)))["u_probability"] == pytest.approx(7.0e-5, rel=0.01)


def test_u_falls_at_most_tenfold() -> None:
    assert level(_unmix_u(model(5e-4, 1.0, 5.0e-4)))["u_probability"] == pytest.approx(5.0e-5)


def test_a_large_file_keeps_its_sampled_u() -> None:
    assert level(_unmix_u(model(1e-6, 0.96, 5.5e-4)))["u_probability"] == pytest.approx(5.5e-4, rel=0.01)


def test_a_level_never_observed_is_left_alone() -> None:
    trained = model(5e-4, 0.9, 1e-3)
    unseen = "level not observed in training dataset"  # what Splink writes instead of a number
    trained["comparisons"][0]["comparison_levels"][1]["m_probability"] = unseen
    assert level(_unmix_u(trained))["u_probability"] == 1e-3
