"""The Splink model specification: comparisons, blocking rules and training rules, as plain data.

Levels are custom SQL over the precomputed columns of :mod:`.columns`. Each level's
``label_for_charts`` is the words an explanation uses ("name (romanised exact)").
"""

from __future__ import annotations

from typing import Any

from frontoffice.identity.normalise.name_data import GENDERED_ENDINGS, GENDERED_MIN_STEM

NAME_JW_HIGH = 0.92
NAME_JW_LOW = 0.85
STREET_JW = 0.90


def _null(column: str) -> dict[str, Any]:
    return {"sql_condition": f"{column}_l IS NULL OR {column}_r IS NULL", "label_for_charts": "missing",
            "is_null_level": True}


def _level(sql: str, label: str) -> dict[str, Any]:
    return {"sql_condition": sql, "label_for_charts": label}


DIFFERENT = "different"
GENDER_FORM = "gender form"
ELSE = _level("ELSE", DIFFERENT)
SWAPPED = ("list_has_any(given_alts_l, family_alts_r) AND list_has_any(family_alts_l, given_alts_r)")
"""Given and family name each match the other's other part (``Petrov Aleksei`` = ``Алексей Петров``)."""
DESCRIPTIONS = {
    "given_name": "given name", "family_name": "family name", "birth_date": "birth date",
    "postcode": "postcode", "city_key": "city", "street_key": "street", "email_local": "email local part",
    "phone": "phone",
}
"""How explanations name each comparison."""


def gender_forms(key: str) -> str:
    """SQL: the two keys differ only by a masculine/feminine ending (Ivanov/Ivanova, Kowalski/Kowalska)."""
    clauses = []
    for masculine, feminine in GENDERED_ENDINGS:
        for m, f in ((f"{key}_l", f"{key}_r"), (f"{key}_r", f"{key}_l")):
            clauses.append(
                f"(ends_with({m}, '{masculine}') AND ends_with({f}, '{feminine}') "
                f"AND length({m}) - {len(masculine)} >= {GENDERED_MIN_STEM} "
                f"AND left({m}, length({m}) - {len(masculine)}) = left({f}, length({f}) - {len(feminine)}))"
            )
    return "(" + " OR ".join(clauses) + ")"


def name_comparison(part: str) -> dict[str, Any]:
    """Given or family name: exact as written, exact romanised key, a shared spelling key, the two
    parts swapped, a masculine/feminine form of one name (two people), an initial, Jaro-Winkler on
    the romanised key, else different."""
    key, native, alts = f"{part}_key", f"{part}_native", f"{part}_alts"
    return {
        "output_column_name": f"{part}_name",
        "comparison_description": f"{part} name",
        "comparison_levels": [
            _null(key),
            _level(f"{native}_l = {native}_r", "exact as written"),
            _level(f"{key}_l = {key}_r", "romanised exact"),
            _level(f"list_has_any({alts}_l, {alts}_r)", "spelling variant"),
            _level(SWAPPED, "name order swapped"),
            _level(gender_forms(key), GENDER_FORM),
            _level(f"(length({key}_l) = 1 OR length({key}_r) = 1) AND {key}_l[1] = {key}_r[1]", "initial"),
            _level(f"jaro_winkler_similarity({key}_l, {key}_r) >= {NAME_JW_HIGH}", "similar"),
            _level(f"jaro_winkler_similarity({key}_l, {key}_r) >= {NAME_JW_LOW}", "somewhat similar"),
            ELSE,
        ],
    }


def birth_date_comparison() -> dict[str, Any]:
    """Exact, one of year/month/day differs (a typo), else different."""
    parts = " + ".join(
        f"CAST(substr(birth_date_l, {start}, {length}) = substr(birth_date_r, {start}, {length}) AS INTEGER)"
        for start, length in ((1, 4), (6, 2), (9, 2))
    )
    return {
        "output_column_name": "birth_date",
        "comparison_description": "birth date",
        "comparison_levels": [
            _null("birth_date"),
            _level("birth_date_l = birth_date_r", "exact"),
            _level(f"{parts} = 2", "one field differs"),
            ELSE,
        ],
    }


def exact_comparison(column: str, description: str) -> dict[str, Any]:
    return {
        "output_column_name": column,
        "comparison_description": description,
        "comparison_levels": [_null(column), _level(f"{column}_l = {column}_r", "exact"), ELSE],
    }


def street_comparison() -> dict[str, Any]:
    return {
        "output_column_name": "street_key",
        "comparison_description": "street",
        "comparison_levels": [
            _null("street_key"),
            _level("street_key_l = street_key_r", "exact"),
            _level(f"jaro_winkler_similarity(street_key_l, street_key_r) >= {STREET_JW}", "similar"),
            ELSE,
        ],
    }


BLOCKING_RULES: tuple[str, ...] = (
    "l.birth_date = r.birth_date AND (l.family_key = r.family_key OR l.given_key = r.given_key"
    " OR l.given_key = r.family_key OR l.family_key = r.given_key OR l.postcode = r.postcode)",
    "l.family_key = r.family_key AND l.postcode = r.postcode",
    "l.phone = r.phone",
    "l.email_local = r.email_local",
)
"""Which pairs are scored at all: a pair must agree on one of these. DuckDB joins on the equalities
joined by AND and filters by the rest, so the birth-date rule scores only the pairs that also share
a name part (in either order) or a postcode."""

TRAINING_RULES: tuple[str, ...] = (
    "l.birth_date = r.birth_date",
    "l.family_key = r.family_key AND l.given_key = r.given_key",
    "l.postcode = r.postcode AND l.street_key = r.street_key",
)
"""EM sessions: each rule fixes the comparisons it uses and estimates m for the others."""

PRIOR_MATCH_PROBABILITY = 1e-4


def settings() -> dict[str, Any]:
    """The untrained Splink settings (m/u filled in by :func:`~.matcher.train`)."""
    return {
        "link_type": "dedupe_only",
        "unique_id_column_name": "unique_id",
        "probability_two_random_records_match": PRIOR_MATCH_PROBABILITY,
        "retain_matching_columns": True,  # for the gamma columns, which explain each pair
        "retain_intermediate_calculation_columns": False,
        "comparisons": [
            name_comparison("given"),
            name_comparison("family"),
            birth_date_comparison(),
            exact_comparison("postcode", "postcode"),
            exact_comparison("city_key", "city"),
            street_comparison(),
            exact_comparison("email_local", "email local part"),
            exact_comparison("phone", "phone"),
        ],
        "blocking_rules_to_generate_predictions": [{"blocking_rule": rule} for rule in BLOCKING_RULES],
        "max_iterations": 25,
        "em_convergence": 1e-4,
    }
