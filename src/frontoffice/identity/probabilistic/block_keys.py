"""Blocking keys that survive typos and replaced fields: the last blocking rule
(:data:`~.blocking.BLOCKING_RULES`) compares two records that share any one of them.

A person whose names, birth date and postcode were all mistyped or replaced at once (FEBRL3's
duplicates with three or more fields changed) still shares a house, a street name or a full name
with their other record. The keys are made by DuckDB from the record columns (:mod:`.columns`) in
one query over every table scored together, and a key held by more than :data:`MAX_BLOCK` records
is left out: a common name or a high street says little, and its pairs would grow with the square
of its records. In Python the same keys took 4.5 s of CPU for 200,000 records (about 25 s at a
million, a seventh of the 3-minute budget); the query takes a fraction of that on every core.
"""

from __future__ import annotations

from collections.abc import Sequence

from frontoffice.identity.probabilistic.blocking import BLOCKING_RULES, BlockingRule

MAX_BLOCK = 6
"""A key held by more than this many records is dropped. At 10 the keys made 1.75 million pairs
from a million synthetic records (``bench/identity_speed.py``'s), at 6 0.52 million, with the same
blocking recall on FEBRL."""
STREET_PREFIX = 4
"""Street names are keyed by their first letters: a typo further on, or two words run together
(``Rumker Place`` typed ``rumkerlace``), keeps them."""

_KEYS = """list_distinct(list_filter(list_concat(
    [CASE WHEN given_key IS NOT NULL AND family_key IS NOT NULL
          THEN 'name|' || least(given_key, family_key) || '|' || greatest(given_key, family_key) END,
     'family|' || family_key || '|' || city_key,
     'line|' || street_key,
     'house|' || city_key || '|' || street_number || '|' || left(postcode, 2)],
    list_transform(street_names, lambda w: 'address|' || w || '|' || street_number),
    list_transform(street_names, lambda w: 'street|' || w || '|' || left(family_key, 2)),
    list_transform(street_names, lambda w: 'postcode|' || w || '|' || postcode_digits)
), lambda k: k IS NOT NULL))"""
_STREET_NAMES = ("list_distinct(list_transform("
                 "list_filter(street_words, lambda w: NOT regexp_full_match(w, '[0-9]+')),"
                 f" lambda w: left(w, {STREET_PREFIX})))")


def _capped(rules: Sequence[BlockingRule]) -> str:
    """CTEs over ``raw_`` ending in ``capped_``: its rows with the key column of each capped rule
    of ``rules`` (:attr:`~.blocking.BlockingRule.key_column`), the rule's terms joined, null where
    one is null or where more than the rule's cap of records hold the key. The crowded keys are
    counted by grouping (a window partitioned by each key sorted the rows: 12 s of CPU for
    200,000 records, against under one)."""
    capped = [rule for rule in rules if rule.cap is not None]
    if not capped:
        return "capped_ AS (SELECT * FROM raw_)"
    terms = ", ".join(f"{' || chr(31) || '.join(rule.key_parts())} AS term_{i}_"
                      for i, rule in enumerate(capped))
    crowded = "".join(f"crowded_{i}_ AS (SELECT term_{i}_ FROM terms_ WHERE term_{i}_ IS NOT NULL "
                      f"GROUP BY term_{i}_ HAVING count(*) > {rule.cap}), " for i, rule in enumerate(capped))
    keys = ", ".join(f"CASE WHEN term_{i}_ NOT IN (SELECT term_{i}_ FROM crowded_{i}_) THEN term_{i}_ END "
                     f"AS {rule.key_column}" for i, rule in enumerate(capped))
    helpers = ", ".join(f"term_{i}_" for i in range(len(capped)))
    return (f"terms_ AS MATERIALIZED (SELECT *, {terms} FROM raw_), {crowded}"
            f"capped_ AS (SELECT * EXCLUDE ({helpers}), {keys} FROM terms_)")


def keyed_all(sources: Sequence[str], limit: int = MAX_BLOCK,
              rules: Sequence[BlockingRule] = BLOCKING_RULES) -> str:
    """One query over every table of ``sources`` (tables of :data:`~.columns.COLUMNS`, scored
    together: a key's records are counted across all of them) giving their rows with
    ``block_keys``, and ``source_`` (the table's place in ``sources``) and ``row_`` (its order):

    - the full name (given and family in either order) and the family name with the city;
    - the street line; the house: the street's number with each name of the street (the first
      letters of a word of the line, not a number), or with the city and the postcode's first two
      digits;
    - each name of the street with the first two letters of the family name, or with the
      postcode's digits in sorted order (two digits swapped).

    A key held by more than ``limit`` records is left out. The rows have the key column of each
    capped rule of ``rules`` too (:attr:`~.blocking.BlockingRule.key_column`)."""
    union = " UNION ALL ".join(f"SELECT {i} AS source_, row_number() OVER () AS row_, * EXCLUDE (block_keys) "
                               f"FROM {name}" for i, name in enumerate(sources))
    return (f"WITH raw_ AS MATERIALIZED ({union}), "
            f"named_ AS (SELECT source_, unique_id, {_KEYS} AS keys_ FROM "
            f"(SELECT *, {_STREET_NAMES} AS street_names FROM raw_)), "
            "each_ AS (SELECT source_, unique_id, unnest(keys_) AS key_ FROM named_), "
            f"rare_ AS (SELECT key_ FROM each_ GROUP BY key_ HAVING count(*) <= {int(limit)}), "
            "kept_ AS (SELECT source_, unique_id, list(key_ ORDER BY key_) AS block_keys "
            "FROM each_ SEMI JOIN rare_ USING (key_) GROUP BY source_, unique_id), "
            f"{_capped(rules)} "
            "SELECT capped_.*, kept_.block_keys FROM capped_ LEFT JOIN kept_ USING (source_, unique_id)")


def of_source(keyed_rows: str, i: int) -> str:
    """The rows of the ``i``-th source out of ``keyed_rows`` (a table or query of :func:`keyed_all`),
    in their order (Splink's samples depend on it)."""
    return f"SELECT * EXCLUDE (source_, row_) FROM {keyed_rows} WHERE source_ = {i} ORDER BY row_"

