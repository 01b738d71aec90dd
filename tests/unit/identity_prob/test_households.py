"""The twin and generation vetoes hold where the records hold households, and weigh as evidence
where twin-like pairs are a data set's typos (a replaced given name or birth date)."""

from __future__ import annotations

from frontoffice.identity.model import PersonAttributes
from frontoffice.identity.probabilistic.columns import Row, to_row
from frontoffice.identity.probabilistic.households import MIN_TWIN_LIKE, count_households, two_generations
from frontoffice.identity.probabilistic.matcher import pairs_from_columns
from frontoffice.identity.probabilistic.model import TWO_GENERATIONS, Model, _comparisons, _describe
from frontoffice.identity.probabilistic.settings import settings
from tests.unit.identity_prob.test_probabilistic_namesakes import _vector

GIVEN = ("Anna", "Lena", "Paul", "Jonas", "Marie", "Felix", "Emma", "Lukas", "Mia", "Noah", "Lea", "Ben",
         "Hanna", "Elias", "Sofia", "Finn", "Clara", "Leon", "Ida", "Theo", "Ella", "Karl")


def _row(rid: str, given: str, family: str, born: str, street: str) -> Row:
    return to_row(rid, PersonAttributes(given_name=given, family_name=family, birth_date=born,
                                        street=street, country="DE"))


def _replaced_given_names(count: int) -> list[Row]:
    """``count`` people, each twice: once under another given name (a data set's noise)."""
    rows = []
    for i in range(count):
        street = f"{i + 1} hauptstrasse"
        rows += [_row(f"a{i}", GIVEN[i % len(GIVEN)], f"family{i}", "1970-01-02", street),
                 _row(f"b{i}", GIVEN[(i + 7) % len(GIVEN)], f"family{i}", "1970-01-02", street)]
    return rows


def test_twin_like_pairs_that_far_outnumber_households_are_typos_not_twins() -> None:
    counts = count_households(_replaced_given_names(MIN_TWIN_LIKE))
    assert (counts.households, counts.twin_like) == (0, MIN_TWIN_LIKE)
    assert not counts.present


def test_spouses_and_siblings_at_one_address_mean_twin_like_pairs_may_be_twins() -> None:
    rows = _replaced_given_names(MIN_TWIN_LIKE)
    for i in range(MIN_TWIN_LIKE // 4):  # a spouse at a few of those addresses
        rows.append(_row(f"s{i}", "Karl", f"family{i}", "1968-06-30", f"{i + 1} hauptstrasse"))
    counts = count_households(rows)
    assert counts.households == MIN_TWIN_LIKE // 2 and counts.present


def test_a_few_twin_like_pairs_keep_the_vetoes() -> None:
    assert count_households(_replaced_given_names(MIN_TWIN_LIKE - 1)).present


def test_a_typo_in_the_given_name_or_the_birth_date_is_neither_a_twin_nor_a_household() -> None:
    rows = [_row("a", "Anna", "Berg", "1970-01-02", "1 hauptstrasse"),
            _row("b", "Anan", "Berg", "1970-01-02", "1 hauptstrasse"),
            _row("c", "Lena", "Berg", "1970-02-01", "1 hauptstrasse")]
    counts = count_households(rows)
    assert (counts.households, counts.twin_like) == (0, 0)


def test_without_households_a_replaced_given_name_or_birth_date_weighs_instead_of_vetoing() -> None:
    comparisons = _comparisons(settings())
    twins = _vector(comparisons, given_name="different", birth_date="exact")
    generations = _vector(comparisons, birth_date="a generation apart")
    suffixes = _vector(comparisons, generation="different")
    assert _describe(comparisons, twins, True)[1] == ("given name",)
    assert _describe(comparisons, generations, True)[1] == ("birth date",)
    assert _describe(comparisons, twins, False)[1] == ()
    assert _describe(comparisons, generations, False)[1] == ()
    assert _describe(comparisons, suffixes, False)[1] == ("generational suffix",)


def test_a_saved_model_keeps_whether_its_records_hold_households() -> None:
    assert not Model.from_json(Model(settings(), households=False).to_json()).households
    assert Model.from_json(Model(settings()).to_json()).households
    assert Model.from_json('{"comparisons": []}').households  # saved before: the vetoes hold


def _at(rid: str, name: str, born: str = "", postcode: str = "51139", street: str = "Lindenallee 57") -> Row:
    return to_row(rid, PersonAttributes(given_name=name, birth_date=born or None, postcode=postcode,
                                        street=street, country="DE"))


def test_a_name_shows_two_generations_at_a_place_by_a_suffix_or_birth_dates_a_generation_apart() -> None:
    suffixed = [_at("jr", "Weise Jr., Karl"), _at("bare", "Karl Weise"),
                _at("else", "Karl Weise", postcode="80331", street="Marienplatz 1")]
    assert two_generations(suffixed) == {"jr", "bare"}
    dated = [_at("parent", "Zoe Collins", "1951-09-23"), _at("child", "Zoe Collins", "1976-02-01"),
             _at("bare", "Zoe Collins"), _at("other", "Ann Collins")]
    assert two_generations(dated) == {"parent", "child", "bare"}
    near = [_at("a", "Zoe Collins", "1976-02-01"), _at("b", "Zoe Collins", "1967-02-01"),
            _at("c", "Zoe Collins")]  # nine years: one person's typo or two siblings, not two generations
    assert two_generations(near) == frozenset()


def test_a_record_of_two_generations_merges_automatically_only_on_a_personal_fact() -> None:
    model = Model(settings())
    comparisons = model.comparisons
    address_only = _vector(comparisons, birth_date="missing", email_local="missing", phone="exact")
    dated = _vector(comparisons, birth_date="exact", email_local="missing", phone="exact")

    def conflicts(vector: tuple[int, ...], generations: frozenset[str]) -> tuple[str, ...]:
        columns = {"unique_id_l": ["a"], "unique_id_r": ["b"], "match_weight": [30.0],
                   "match_probability": [1.0],
                   **{f"gamma_{c.name}": [g] for c, g in zip(comparisons, vector, strict=True)}}
        [pair] = pairs_from_columns(model, columns, generations)
        return pair.conflicts

    assert conflicts(address_only, frozenset({"b"})) == (TWO_GENERATIONS,)  # the landline is the household's
    assert conflicts(dated, frozenset({"b"})) == ()
    assert conflicts(address_only, frozenset()) == ()


def test_one_given_name_and_another_family_name_is_a_household_read_the_wrong_way_round() -> None:
    comparisons = _comparisons(settings())  # Shimizu Aya and Shimizu Shinya: which part is the family name?
    same = {"given_name": "exact as written", "family_name": "different"}
    household = _vector(comparisons, **same, birth_date="missing", email_local="missing")
    dated = _vector(comparisons, **same, email_local="missing")  # the birth date agrees: a typo
    mailbox = _vector(comparisons, **same, birth_date="missing", email_local="exact, made of the name")
    assert _describe(comparisons, household, True)[1] == ("family name",)
    assert _describe(comparisons, dated, True)[1] == ()
    assert _describe(comparisons, mailbox, True)[1] == ()
    assert _describe(comparisons, household, False)[1] == ()
