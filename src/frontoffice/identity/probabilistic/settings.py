"""The Splink model specification: comparisons, blocking rules and training rules, as plain data.

Levels are custom SQL over the precomputed columns of :mod:`.columns`. Each level's
``label_for_charts`` is the words an explanation uses ("name (romanised exact)").
"""

from __future__ import annotations

from typing import Any

from frontoffice.identity.probabilistic.blocking import BLOCKING_RULES, PRIOR_MATCH_PROBABILITY
from frontoffice.normalise.name_data import GENDERED_ENDINGS, GENDERED_MIN_STEM

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
SOMEWHAT_SIMILAR = "somewhat similar"
ELSE = _level("ELSE", DIFFERENT)
SWAPPED = ("list_has_any(given_alts_l, family_alts_r) AND list_has_any(family_alts_l, given_alts_r)")
"""Given and family name each match the other's other part (``Petrov Aleksei`` = ``Алексей Петров``)."""
SWAPPED_FUZZY = (
    "jaro_winkler_similarity(given_key_l, family_key_r) >= 0.9 "
    "AND jaro_winkler_similarity(family_key_l, given_key_r) >= 0.9"
)
"""Given and family name in each other's place, one of them or both misspelt (Siggins Barnaby /
Barnayb Siggyins)."""
DESCRIPTIONS = {
    "given_name": "given name", "family_name": "family name", "birth_date": "birth date",
    "postcode": "postcode", "city_key": "city", "street_key": "street", "email_local": "email local part",
    "phone": "phone", "national_id": "national id", "generation": "generational suffix",
}
"""How explanations name each comparison."""


def gender_forms(key: str) -> str:
    """SQL: the two keys differ only by a masculine/feminine ending (Ivanov/Ivanova, Kowalski/Kowalska),
    and one of the two names is Slavic (written in Cyrillic, or of a Slavic country): elsewhere an
    ending ``a`` is a typo as often as a form (Kelse/Kelsea, Emm/Emma)."""
    clauses = []
    for masculine, feminine in GENDERED_ENDINGS:
        for m, f in ((f"{key}_l", f"{key}_r"), (f"{key}_r", f"{key}_l")):
            clauses.append(
                f"(ends_with({m}, '{masculine}') AND ends_with({f}, '{feminine}') "
                f"AND length({m}) - {len(masculine)} >= {GENDERED_MIN_STEM} "
                f"AND left({m}, length({m}) - {len(masculine)}) = left({f}, length({f}) - {len(feminine)}))"
            )
    return "((slavic_l OR slavic_r) AND (" + " OR ".join(clauses) + "))"


TYPO = "typo"
SWAPPED_TYPO = "swapped, with a typo"


def _typo(left: str, right: str) -> str:
    """One letter inserted, dropped, replaced or two swapped, the first letter kept (Lilq/Lily,
    Amh/Amy): a slip of the keyboard, where two names of one household differ at the start
    (Hanako/Kanako) or by more."""
    return (f"length({left}) >= 3 AND length({right}) >= 3 AND {left}[1] = {right}[1] "
            f"AND damerau_levenshtein({left}, {right}) <= 1")


def name_comparison(part: str) -> dict[str, Any]:
    """Given or family name: exact as written, exact romanised key (in either order: which part is
    the family name is often guessed from a whole name), a shared spelling key, for given names a
    shared nickname group (Bill/William, Саша/Aleksandr), a masculine/feminine form of one name (two
    people), an initial, Jaro-Winkler on the romanised key, else different."""
    key, native, alts = f"{part}_key", f"{part}_native", f"{part}_alts"
    nickname = ([_level("list_has_any(given_nicknames_l, given_nicknames_r)", "nickname")]
                if part == "given" else [])
    return {
        "output_column_name": f"{part}_name",
        "comparison_description": f"{part} name",
        "comparison_levels": [
            _null(key),
            _level(f"{native}_l = {native}_r", "exact as written"),
            _level(f"{key}_l = {key}_r OR ({SWAPPED})", "romanised exact"),
            _level(f"list_has_any({alts}_l, {alts}_r)", "spelling variant"),
            *nickname,
            _level(gender_forms(key), GENDER_FORM),
            _level(_typo(f"{key}_l", f"{key}_r"), TYPO),
            _level(SWAPPED_FUZZY, SWAPPED_TYPO),
            _level(f"(length({key}_l) = 1 OR length({key}_r) = 1) AND {key}_l[1] = {key}_r[1]", "initial"),
            _level(f"jaro_winkler_similarity({key}_l, {key}_r) >= {NAME_JW_HIGH}", "similar"),
            _level(f"jaro_winkler_similarity({key}_l, {key}_r) >= {NAME_JW_LOW}", SOMEWHAT_SIMILAR),
            ELSE,
        ],
    }


def birth_date_comparison(households: bool = True) -> dict[str, Any]:
    """Exact, day and month swapped (a form read the other way round), one of year/month/day
    differs (a typo), a generation apart, else different. "A generation apart" has a fixed m
    where the records hold households (:mod:`.households`: a parent and a child of one name);
    elsewhere EM learns it like any level (a replaced birth date)."""
    years = "abs(CAST(substr(birth_date_l, 1, 4) AS INTEGER) - CAST(substr(birth_date_r, 1, 4) AS INTEGER))"
    generations = _level(f"{years} >= {GENERATION_YEARS}", GENERATIONS)
    if households:
        generations.update(m_probability=GENERATIONS_M, fix_m_probability=True)
    parts = " + ".join(
        f"CAST(substr(birth_date_l, {start}, {length}) = substr(birth_date_r, {start}, {length}) AS INTEGER)"
        for start, length in ((1, 4), (6, 2), (9, 2))
    )
    swapped = ("substr(birth_date_l, 1, 4) = substr(birth_date_r, 1, 4)"
               " AND substr(birth_date_l, 6, 2) = substr(birth_date_r, 9, 2)"
               " AND substr(birth_date_l, 9, 2) = substr(birth_date_r, 6, 2)")
    return {
        "output_column_name": "birth_date",
        "comparison_description": "birth date",
        "comparison_levels": [
            _null("birth_date"),
            _level("birth_date_l = birth_date_r", "exact"),
            _level(swapped, "day and month swapped"),
            _level("damerau_levenshtein(birth_date_l, birth_date_r) <= 1", "one digit or two swapped"),
            _level(f"{parts} = 2", "one field differs"),
            generations,
            ELSE,
        ],
    }


GENERATIONS = "a generation apart"
GENERATION_YEARS = 15
"""Birth years this far apart are a parent and a child (or grandparent), not a typo: with a shared
address and landline and one full name, that is a household of two people of one name."""
GENERATIONS_M = 1e-4
"""The m of "a generation apart", fixed: EM on records of one person never sees it and would drive
it to zero (Splink stops on the underflow)."""


VERIFIED_DIFFERENT = "different, both verified"


def national_id_comparison() -> dict[str, Any]:
    """Exact, one digit wrong or two swapped (a typo), two that pass their scheme's checksum and
    still differ (two people), else different (a replaced or twice mistyped free-form number)."""
    return {
        "output_column_name": "national_id",
        "comparison_description": "national id",
        "comparison_levels": [
            _null("national_id"),
            _level("national_id_l = national_id_r", "exact"),
            _level("damerau_levenshtein(national_id_l, national_id_r) <= 1", "one digit or two swapped"),
            _level("national_verified_l AND national_verified_r", VERIFIED_DIFFERENT),
            ELSE,
        ],
    }


def generation_comparison() -> dict[str, Any]:
    """A generational suffix (Jr., Sr., II) on both names: the same, or two generations."""
    return {
        "output_column_name": "generation",
        "comparison_description": "generational suffix",
        "comparison_levels": [
            _null("generation"),
            _level("generation_l = generation_r", "exact"),
            {**ELSE, "m_probability": GENERATIONS_M, "fix_m_probability": True},
        ],
    }


def city_comparison() -> dict[str, Any]:
    """Exact, alike (a typo: Jaro-Winkler >= 0.9), else different."""
    return {
        "output_column_name": "city_key",
        "comparison_description": "city",
        "comparison_levels": [
            _null("city_key"),
            _level("city_key_l = city_key_r", "exact"),
            _level(f"jaro_winkler_similarity(city_key_l, city_key_r) >= {STREET_JW}", "similar"),
            ELSE,
        ],
    }


MOVED_SHARE = 0.05
"""The share of one person's record pairs assumed to show two postcodes (a move, a typo, a parcel
sent to work): the m of "postcode different", fixed rather than trained. EM over data in which
nobody moves drives it to zero (a veto of minus infinity, and Splink stops with an underflow)."""


def postcode_comparison() -> dict[str, Any]:
    """Exact, one digit wrong or two swapped (a typo: 3782/3728), else different (its m fixed at
    :data:`MOVED_SHARE`)."""
    return {
        "output_column_name": "postcode",
        "comparison_description": "postcode",
        "comparison_levels": [
            _null("postcode"),
            _level("postcode_l = postcode_r", "exact"),
            _level("length(postcode_l) = length(postcode_r) "
                   "AND damerau_levenshtein(postcode_l, postcode_r) <= 1", "one digit or two swapped"),
            {**ELSE, "m_probability": MOVED_SHARE, "fix_m_probability": True},
        ],
    }


def exact_comparison(column: str, description: str) -> dict[str, Any]:
    """Exact or different."""
    return {
        "output_column_name": column,
        "comparison_description": description,
        "comparison_levels": [_null(column), _level(f"{column}_l = {column}_r", "exact"), ELSE],
    }


NAMED_EMAIL_M = 0.04
NAMED_EMAIL_U = 0.02
"""m and u of "email local part exact, made of the name", fixed at one bit: given the names agree
(compared on their own), such a local part adds little. Trained, its u comes from random pairs,
which seldom share a name, and the name would be counted twice (16 bits for wli@qq.com and
wli@163.com, two of China's many Li Weis)."""


def email_local_comparison() -> dict[str, Any]:
    """Exact, exact but made of the record's own name only (``wli``, ``anna.ivanova``: every Li Wei
    may write it, so it says little beyond the name already compared), else different."""
    named = "email_named_l IS NOT NULL OR email_named_r IS NOT NULL"
    return {
        "output_column_name": "email_local",
        "comparison_description": "email local part",
        "comparison_levels": [
            _null("email_local"),
            _level(f"email_local_l = email_local_r AND NOT ({named})", "exact"),
            {**_level("email_local_l = email_local_r", "exact, made of the name"),
             "m_probability": NAMED_EMAIL_M, "fix_m_probability": True,
             "u_probability": NAMED_EMAIL_U, "fix_u_probability": True},
            ELSE,
        ],
    }


WORDS_SHARED = ("len(list_intersect(street_words_l, street_words_r)) >= 2 AND "
                "2 * len(list_intersect(street_words_l, street_words_r)) "
                ">= greatest(len(street_words_l), len(street_words_r))")
"""At least two of the street's words (numbers and names, not the kind of street) and half of the
longer line's are shared: the same line in another order (``87 Scotty, Akma Place`` / ``87 Akma
Place, Scotty``), or with a second line added, dropped or mistyped."""


def street_comparison() -> dict[str, Any]:
    """Exact, alike (a typo), most words shared (another order, a line more or less), else different."""
    return {
        "output_column_name": "street_key",
        "comparison_description": "street",
        "comparison_levels": [
            _null("street_key"),
            _level("street_key_l = street_key_r", "exact"),
            _level(f"jaro_winkler_similarity(street_key_l, street_key_r) >= {STREET_JW}", "similar"),
            _level(WORDS_SHARED, "most words shared"),
            ELSE,
        ],
    }


def settings(households: bool = True) -> dict[str, Any]:
    """The untrained Splink settings (m/u filled in by :func:`~.matcher.train`); ``households``:
    the records hold households (see :func:`birth_date_comparison`)."""
    return {
        "link_type": "dedupe_only",
        "unique_id_column_name": "unique_id",
        "probability_two_random_records_match": PRIOR_MATCH_PROBABILITY,
        "retain_matching_columns": True,  # for the gamma columns, which explain each pair
        "retain_intermediate_calculation_columns": False,
        "comparisons": [
            name_comparison("given"),
            name_comparison("family"),
            birth_date_comparison(households),
            postcode_comparison(),
            city_comparison(),
            street_comparison(),
            email_local_comparison(),
            exact_comparison("phone", "phone"),
            national_id_comparison(),
            generation_comparison(),
        ],
        "blocking_rules_to_generate_predictions": [rule.splink() for rule in BLOCKING_RULES],
        "max_iterations": 25,
        "em_convergence": 1e-4,
    }
