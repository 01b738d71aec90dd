"""A review pair's weight by field, read back from its explanation with the workspace's model."""

from __future__ import annotations

import json

from frontoffice.identity.review_breakdown import FieldWeight, breakdown

MODEL = json.dumps({"comparisons": [
    {"output_column_name": "given_name", "comparison_levels": [
        {"is_null_level": True}, {"label_for_charts": "exact", "m_probability": 0.8, "u_probability": 0.01},
        {"label_for_charts": "different", "m_probability": 0.05, "u_probability": 0.9}]},
    {"output_column_name": "email_local", "comparison_levels": [
        {"is_null_level": True},
        {"label_for_charts": "exact", "m_probability": 0.5, "u_probability": 0.001},
        {"label_for_charts": "exact, made of the name", "m_probability": 0.2, "u_probability": 0.1},
        {"label_for_charts": "different", "m_probability": 0.3, "u_probability": 0.899}]},
]})


def test_each_field_the_explanation_names_gets_its_models_weight_strongest_first() -> None:
    fields = breakdown(MODEL, "match weight 7.3 from given name (exact), email local part (exact, made "
                              "of the name)")
    assert [(f.field, f.level) for f in fields] == [("given name", "exact"),
                                                    ("email local part", "exact, made of the name")]
    assert round(fields[0].weight, 2) == 6.32 and round(fields[1].weight, 2) == 1.0


def test_a_level_whose_label_begins_another_is_not_read_twice() -> None:
    fields = breakdown(MODEL, "match weight 1.0 from email local part (exact, made of the name); "
                              "against: given name (different)")
    assert [f.level for f in fields] == ["exact, made of the name", "different"]
    assert all(isinstance(f, FieldWeight) for f in fields)


def test_without_a_trained_model_there_is_no_breakdown() -> None:
    assert breakdown(None, "match weight 7.3 from given name (exact)") == []
