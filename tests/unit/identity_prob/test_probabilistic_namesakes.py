"""Namesakes, email local parts made of the name, and given names only somewhat alike: the rules
that keep a rare name joinable and a common one apart, without Splink."""

from __future__ import annotations

from frontoffice.identity.model import PersonAttributes
from frontoffice.identity.probabilistic.columns import made_of_name, to_row
from frontoffice.identity.probabilistic.model import _comparisons, _describe
from frontoffice.identity.probabilistic.namesakes import NamedPerson, namesake_matches, people_of
from frontoffice.identity.probabilistic.settings import settings


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


def test_given_names_only_somewhat_alike_veto_an_automatic_merge() -> None:
    comparisons = _comparisons(settings())
    names = [c.name for c in comparisons]
    given = next(c for c in comparisons if c.name == "given_name")
    somewhat = next(g for g, level in given.levels.items() if level.label == "somewhat similar")
    similar = next(g for g, level in given.levels.items() if level.label == "similar")
    exact = [0] * len(names)
    for gamma, vetoed in ((somewhat, True), (similar, False)):
        vector = list(exact)
        vector[names.index("given_name")] = gamma
        assert ("given name" in _describe(comparisons, tuple(vector))[1]) is vetoed
