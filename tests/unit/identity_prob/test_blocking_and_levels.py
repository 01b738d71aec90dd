"""Which pairs the blocking rules compare, and the street and birth-date levels, run on DuckDB
directly (the SQL Splink runs) with a handful of records."""

from __future__ import annotations

from typing import Any

import duckdb
import pyarrow as pa
import pytest

from frontoffice.identity.model import PersonAttributes
from frontoffice.identity.probabilistic._splink import _arrow
from frontoffice.identity.probabilistic.block_keys import MAX_BLOCK, keyed_all, of_source
from frontoffice.identity.probabilistic.blocking import BLOCK_CAP, BLOCKING_RULES, BlockingRule
from frontoffice.identity.probabilistic.columns import to_columns, to_row
from frontoffice.identity.probabilistic.settings import (
    GENERATIONS,
    WORDS_SHARED,
    birth_date_comparison,
    postcode_comparison,
)


def _person(rid: str, given: str | None, family: str | None, *, street: str | None = None,
            city: str | None = None, postcode: str | None = None, born: str | None = None) -> dict[str, Any]:
    return to_row(rid, PersonAttributes(given_name=given, family_name=family, street=street, city=city,
                                        postcode=postcode, birth_date=born, country="AU"))


def _blocked(*rows: dict[str, Any]) -> set[tuple[str, str]]:
    con = duckdb.connect(":memory:")
    con.register("t_input", _arrow(to_columns(rows)))
    con.execute("CREATE TABLE t AS " + of_source("(" + keyed_all(["t_input"]) + ")", 0))
    union = " UNION ".join(f"SELECT l.unique_id, r.unique_id FROM t l JOIN t r ON "
                           f"l.unique_id < r.unique_id AND ({rule.condition})" for rule in BLOCKING_RULES)
    return {(a, b) for a, b in con.sql(union).fetchall()}


def _holds(condition: str, left: dict[str, Any], right: dict[str, Any]) -> bool:
    columns = {f"{name}_{side}": [row[name]] for side, row in (("l", left), ("r", right))
               for name in ("street_words", "birth_date", "postcode")}
    con = duckdb.connect(":memory:")
    con.register("p", pa.table(columns))
    return bool(con.sql(f"SELECT ({condition}) FROM p").fetchall()[0][0])


def test_one_full_name_in_one_city_is_compared_whatever_the_birth_date_and_postcode() -> None:
    org = _person("a", "Mitchell", "Longo", city="Wamuran", postcode="3139", born="1976-04-29")
    dup = _person("b", "Mitchell", "Longo", city="Wamuran", postcode="4814", born="1901-01-02")
    assert _blocked(org, dup) == {("a", "b")}


def test_names_swapped_between_the_fields_are_compared_anywhere() -> None:
    assert _blocked(_person("a", "Luke", "Gazzola", postcode="3036"),
                    _person("b", "Gazzola", "Luke", postcode="3046")) == {("a", "b")}


def test_a_mistyped_given_name_in_one_postcode_is_compared_by_its_first_letters() -> None:
    org = _person("a", "Oscar", "Bitmead", postcode="4020", born="1919-12-17")
    dup = _person("b", "Oscaf", "Bitmaed", postcode="4020", born="1967-01-02")
    stranger = _person("c", "Osvaldo", "Brown", postcode="4020", born="1967-01-03")
    assert _blocked(org, dup, stranger) == {("a", "b")}


def test_a_street_line_in_another_order_shares_its_words_and_another_street_does_not() -> None:
    one = _person("a", None, None, street="87 Akma Place, Scotty")
    other_order = _person("b", None, None, street="87 Scotty, Akma Place")
    second_line = _person("c", None, None, street="75 Scantlebury Crescent, Bendigo Retirement Village")
    dropped = _person("d", None, None, street="75, Bendigo Retiresent Village")
    assert one["street_key"] != other_order["street_key"]
    assert _holds(WORDS_SHARED, one, other_order)
    assert _holds(WORDS_SHARED, second_line, dropped)
    assert not _holds(WORDS_SHARED, _person("e", None, None, street="2 Smith Street"),
                      _person("f", None, None, street="2 Jones Street"))


def test_a_generation_apart_is_fixed_against_a_match_only_where_records_hold_households() -> None:
    def level(households: bool) -> dict[str, Any]:
        levels = birth_date_comparison(households)["comparison_levels"]
        return next(lv for lv in levels if lv["label_for_charts"] == GENERATIONS)

    assert level(True)["fix_m_probability"] and not level(False).get("fix_m_probability")
    parent = {"birth_date": "1961-03-02", "street_words": None, "postcode": None}
    child = {"birth_date": "1994-11-20", "street_words": None, "postcode": None}
    assert _holds(level(False)["sql_condition"], parent, child)


def test_a_postcode_with_one_digit_wrong_or_two_swapped_is_a_typo_not_another_postcode() -> None:
    typo = next(lv for lv in postcode_comparison()["comparison_levels"]
                if lv["label_for_charts"] == "one digit or two swapped")["sql_condition"]
    here = _person("a", None, None, postcode="3782")
    assert _holds(typo, here, _person("b", None, None, postcode="3728"))
    assert _holds(typo, here, _person("c", None, None, postcode="3789"))
    assert not _holds(typo, here, _person("d", None, None, postcode="37821"))
    assert not _holds(typo, here, _person("e", None, None, postcode="3827"))


def test_a_person_whose_names_dates_and_postcode_were_all_mistyped_is_compared_at_one_house() -> None:
    org = _person("a", "Brooke", "Wylie", street="40 Rumker Place", city="Woodcroft", postcode="4655",
                  born="1970-04-09")
    dup = _person("b", "Wylile", "Brooke", street="40 Rumkerlace, Huntington", city="Marara",
                  postcode="4650")
    neighbour = _person("c", "Tom", "Jones", street="41 Smith Street", city="Marara", postcode="4650")
    assert _blocked(org, dup, neighbour) == {("a", "b")}


def test_a_postcode_with_two_digits_swapped_is_one_postcode_to_block_on() -> None:
    assert _blocked(_person("a", "Oscar", "Bitmead", postcode="4020"),
                    _person("b", "Oscar", "Bitmaed", postcode="4002")) == {("a", "b")}


def test_a_typo_proof_key_held_by_too_many_records_compares_nobody() -> None:
    crowd = [_person(f"p{i:02d}", f"Given{chr(97 + i)}", f"Fam{chr(97 + i)}x", street=f"{i + 1} High Street",
                     city=f"Town{chr(97 + i)}") for i in range(MAX_BLOCK + 1)]
    assert _blocked(*crowd) == set()
    assert len(_blocked(*crowd[:MAX_BLOCK])) == MAX_BLOCK * (MAX_BLOCK - 1) // 2


def test_postcodes_of_the_same_digits_do_not_compare_two_people_sharing_one_name_part() -> None:
    # sorted digits make one key of up to 24 postcodes: with one name part, a million records
    # compared 5.3 million pairs of strangers
    assert _blocked(_person("a", "Oscar", "Bitmead", postcode="4020"),
                    _person("b", "Oscar", "Jones", postcode="2040"),
                    _person("c", "Mary", "Bitmead", postcode="2400")) == set()


def test_a_postcode_and_family_name_held_by_more_records_than_the_cap_compares_none_of_them() -> None:
    # uncapped, a name common in one postcode compared every pair of its records: the pairs of a
    # million records grew with the square of such blocks (16 million pairs, 327 s)
    givens = ["Aaron", "Bella", "Carlo", "Dylan", "Erika", "Fiona", "Gavin", "Helen", "Irene", "Jonas",
              "Karla", "Lucas", "Mikko", "Nadia", "Oscar", "Pablo", "Quinn", "Rosie", "Simon", "Tessa",
              "Ulric", "Vera", "Wanda", "Xenia", "Yusuf", "Zelda"]
    assert len(givens) > BLOCK_CAP
    crowd = [_person(f"p{i:02d}", given, "Longo", postcode="3139") for i, given in enumerate(givens)]
    assert _blocked(*crowd[: BLOCK_CAP + 1]) == set()
    assert len(_blocked(*crowd[:BLOCK_CAP])) == BLOCK_CAP * (BLOCK_CAP - 1) // 2


def test_a_capped_blocking_rule_joins_equal_terms_only() -> None:
    assert BlockingRule("l.postcode = r.postcode AND left(l.street_key, 6) = left(r.street_key, 6)",
                        cap=3).key_parts() == ("postcode", "left(street_key, 6)")
    with pytest.raises(ValueError, match="equal terms"):
        BlockingRule("l.postcode = r.postcode AND l.given_key = r.family_key", cap=3)
