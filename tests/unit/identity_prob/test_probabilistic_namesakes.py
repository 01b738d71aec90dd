"""Namesakes, email local parts made of the name, and given names only somewhat alike: the rules
that keep a rare name joinable and a common one apart, without Splink."""

from __future__ import annotations

import math
from collections import Counter

from frontoffice.identity.model import PersonAttributes
from frontoffice.identity.probabilistic.columns import made_of_name, to_row
from frontoffice.identity.probabilistic.model import NAMELESS, Comparison, _comparisons, _describe
from frontoffice.identity.probabilistic.namesakes import (
    NamedPerson,
    disagreement_odds,
    namesake_matches,
    people_of,
)
from frontoffice.identity.probabilistic.settings import gender_forms, settings
from frontoffice.normalise import is_mobile


def crowd(size: int) -> dict[str, NamedPerson]:
    """People with distinct made-up names, so that name parts have realistic shares."""
    return {f"p{i:04d}": NamedPerson({(f"given{i}", f"family{i}")}) for i in range(size)}


def person(given: str, family: str, **facts: str) -> NamedPerson:
    return NamedPerson({(given, family)}, {k: {v} for k, v in facts.items()})


def test_a_profile_with_a_rare_name_joins_the_only_person_of_that_name() -> None:
    people = crowd(500) | {"web": person("zinaida", "vorontsova", phone="+79991234567"),
                           "social": person("zinaida", "vorontsova")}
    [match] = namesake_matches(people)
    assert {match.person_a, match.person_b} == {"web", "social"}
    assert "only people named zinaida vorontsova" in match.explanation


def test_a_person_split_in_two_and_a_profile_of_a_rare_name_join_as_one() -> None:
    people = crowd(500) | {"web": person("zinaida", "vorontsova", email_local="zina77"),
                           "store": person("zinaida", "vorontsova", postcode="190000"),
                           "social": person("vorontsova", "zinaida")}  # the parts the other way round
    matches = {(m.person_a, m.person_b) for m in namesake_matches(people)}
    assert matches == {("social", "store"), ("social", "web")}


def test_a_common_name_joins_nobody() -> None:
    common = {f"kim{i}": person("minjun" if i % 3 == 0 else f"given{i}", "kim") for i in range(200)}
    people = crowd(300) | common
    assert not [m for m in namesake_matches(people) if m.name[1] == "kim"]


def test_namesakes_whose_birth_dates_differ_are_two_people() -> None:
    people = crowd(500) | {"a": person("zinaida", "vorontsova", birth_date="1961-01-02"),
                           "b": person("zinaida", "vorontsova", birth_date="1990-05-06")}
    assert namesake_matches(people) == []


def test_a_third_namesake_that_disagrees_leaves_the_whole_name_alone() -> None:
    people = crowd(500) | {"a": person("zinaida", "vorontsova", postcode="190000"),
                           "b": person("zinaida", "vorontsova"),
                           "c": person("zinaida", "vorontsova", postcode="630000")}
    assert namesake_matches(people) == []


def test_people_are_read_from_their_records_rows() -> None:
    rows = {"r1": to_row("r1", PersonAttributes(given_name="Zinaida", family_name="Vorontsova", country="RU",
                                                 birth_date="1961-01-02")),
            "r2": to_row("r2", PersonAttributes(email="zina@example.com"))}
    people = people_of({"p": ["r1", "r2"]}, rows)
    assert people["p"].names == {("zinaida", "vorontsova")}
    assert people["p"].facts == {"birth_date": {"1961-01-02"}, "email_local": {"zina"}}


def test_a_nickname_and_its_formal_name_are_one_name_for_namesakes() -> None:
    rows = {"r1": to_row("r1", PersonAttributes(given_name="Patty", family_name="Whitaker", country="US")),
            "r2": to_row("r2", PersonAttributes(given_name="Patricia", family_name="Whitaker", country="US",
                                                 phone="+13035550100"))}
    people = people_of({"social": ["r1"], "store": ["r2"]}, rows) | crowd(500)
    [match] = namesake_matches(people)
    assert (match.person_a, match.person_b, match.name) == ("social", "store", ("patricia", "whitaker"))


def test_an_email_local_part_made_of_the_name_alone_is_marked() -> None:
    assert made_of_name("wli", {"wei"}, {"li"}) and made_of_name("anna.ivanova", {"anna"}, {"ivanova"})
    assert made_of_name("ivanova_a", {"anna"}, {"ivanova"})
    assert not made_of_name("anna.ivanova76", {"anna"}, {"ivanova"})
    assert not made_of_name("zhenya.fox", {"evgenii"}, {"lisitsyn"})
    row = to_row("a", PersonAttributes(given_name="伟", family_name="李", country="CN", email="wli@qq.com"))
    assert row["email_named"] is not None


def _vector(comparisons: tuple[Comparison, ...], **labels: str) -> tuple[int, ...]:
    """Every comparison at its best level, national id and suffix missing, except ``labels``."""
    out = []
    for c in comparisons:
        wanted = labels.get(c.name, "missing" if c.name in {"national_id", "generation"} else None)
        out.append(max(c.levels) if wanted is None else
                   next(g for g, level in c.levels.items() if level.label == wanted))
    return tuple(out)


def test_given_names_not_alike_veto_an_automatic_merge_only_beside_one_family_name() -> None:
    comparisons = _comparisons(settings())
    for given, family, vetoed in (("somewhat similar", "exact as written", True),
                                  ("different", "typo", True), ("similar", "exact as written", False),
                                  ("typo", "exact as written", False), ("different", "different", False),
                                  ("somewhat similar", "missing", False)):
        conflicts = _describe(comparisons, _vector(comparisons, given_name=given, family_name=family))[1]
        assert ("given name" in conflicts) is vetoed, (given, family, conflicts)


def test_twins_with_one_national_id_are_one_person_whose_given_name_was_replaced() -> None:
    comparisons = _comparisons(settings())
    vector = _vector(comparisons, given_name="different", birth_date="exact", national_id="exact")
    assert _describe(comparisons, vector)[1] == ()


def test_a_generation_apart_or_two_suffixes_veto_whatever_else_agrees() -> None:
    comparisons = _comparisons(settings())
    for labels in ({"birth_date": "a generation apart"}, {"generation": "different"}):
        assert _describe(comparisons, _vector(comparisons, **labels))[1], labels


def test_a_pair_that_compares_no_name_merges_automatically_only_on_a_personal_fact() -> None:
    comparisons = _comparisons(settings())
    unnamed = {"given_name": "missing", "family_name": "missing", "birth_date": "missing",
               "email_local": "missing", "phone": "missing"}
    assert NAMELESS in _describe(comparisons, _vector(comparisons, **unnamed))[1]  # the address alone
    for fact, level in (("birth_date", "exact"), ("email_local", "exact"), ("phone", "exact"),
                        ("national_id", "one digit or two swapped")):
        assert _describe(comparisons, _vector(comparisons, **{**unnamed, fact: level}))[1] == (), fact
    named = {**unnamed, "family_name": "exact as written"}
    assert NAMELESS not in _describe(comparisons, _vector(comparisons, **named))[1]


def test_a_gender_form_is_a_conflict_only_for_slavic_names() -> None:
    ivanova = to_row("a", PersonAttributes(given_name="Anna", family_name="Ivanova", country="RU"))
    kelsea = to_row("b", PersonAttributes(given_name="Kelsea", family_name="Smith", country="AU"))
    cyrillic = to_row("c", PersonAttributes(given_name="Анна", family_name="Иванова"))
    assert ivanova["slavic"] and cyrillic["slavic"] and not kelsea["slavic"]
    assert "slavic_l OR slavic_r" in gender_forms("given_key")


def test_a_generational_suffix_is_taken_off_the_name_and_kept_apart() -> None:
    row = to_row("a", PersonAttributes(given_name="John", family_name="Smith Jr.", country="US"))
    assert (row["family_key"], row["generation"]) == ("smith", "jr")
    plain = to_row("b", PersonAttributes(given_name="John", family_name="Smith", country="US"))
    assert plain["generation"] is None
    for whole in ("Smith Jr., John", "Smith, John Jr."):  # a whole name, family name first
        row = to_row("c", PersonAttributes(given_name=whole, country="US"))
        assert (row["given_key"], row["family_key"], row["generation"]) == ("john", "smith", "jr"), whole


def known(size: int, fact: str, second_every: int) -> dict[str, NamedPerson]:
    """``size`` people of distinct names whose two records each carry ``fact``; every
    ``second_every``-th shows a second value of it (a second mailbox, a landline)."""
    out = {}
    for i in range(size):
        values = {f"{fact}{i}", f"{fact}{i}b"} if i % second_every == 0 else {f"{fact}{i}"}
        name = (f"knowngiven{i}", f"knownfamily{i}")
        out[f"k{i:04d}"] = NamedPerson({name}, {fact: values}, Counter({fact: 2}))
    return out


def test_a_second_mailbox_weighs_against_a_rare_namesake_as_often_as_people_show_one() -> None:
    people = crowd(400) | known(60, "email_local", 3) | {
        "web": person("zinaida", "vorontsova", email_local="zina77"),
        "social": person("zinaida", "vorontsova", email_local="z.vorontsova")}
    assert disagreement_odds(people.values())["email_local"] == 3.0  # 60 people show it twice, 20 two values
    [match] = namesake_matches(people)
    assert {match.person_a, match.person_b} == {"web", "social"}
    assert "the email local part differ, 3.0 times likelier between two people" in match.explanation
    assert namesake_matches(people, max_expected=match.expected * 2.9) == []


def test_a_fact_no_resolved_person_shows_twice_still_keeps_namesakes_apart() -> None:
    people = crowd(400) | known(60, "email_local", 3) | {
        "a": person("zinaida", "vorontsova", postcode="190000"),
        "b": person("zinaida", "vorontsova", postcode="630000")}
    assert disagreement_odds(people.values())["postcode"] == math.inf
    assert namesake_matches(people) == []


def test_two_mobile_numbers_keep_namesakes_apart_where_a_landline_does_not() -> None:
    assert is_mobile("+4915112345678") and not is_mobile("+493012345678") and not is_mobile("+12125550123")
    base = crowd(400) | known(60, "phone", 3)
    mobiles = base | {"parent": person("zinaida", "vorontsova", phone="+79161234567"),
                      "child": person("zinaida", "vorontsova", phone="+79031234567")}
    assert namesake_matches(mobiles) == []
    landline = base | {"parent": person("zinaida", "vorontsova", phone="+74951234567"),
                       "child": person("zinaida", "vorontsova", phone="+79031234567")}
    [match] = namesake_matches(landline)
    assert match.differing == ("phone",)
