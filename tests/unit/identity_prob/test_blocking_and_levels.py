"""Which pairs the blocking rules compare, and the street and birth-date levels, run on DuckDB
directly (the SQL Splink runs) with a handful of records."""

from __future__ import annotations

from typing import Any

import duckdb
import pyarrow as pa

from frontoffice.identity.model import PersonAttributes
from frontoffice.identity.probabilistic._splink import _arrow
from frontoffice.identity.probabilistic.blocking import BLOCKING_RULES
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
    con.register("t", _arrow(to_columns(rows)))
    union = " UNION ".join(f"SELECT l.unique_id, r.unique_id FROM t l JOIN t r ON "
                           f"l.unique_id < r.unique_id AND ({rule})" for rule in BLOCKING_RULES)
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
