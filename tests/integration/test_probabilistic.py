"""The probabilistic tier end to end on real Splink + DuckDB: trained without labels on a small
demo brand, it merges the same person across scripts and keeps look-alike people apart."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from frontoffice.bulk.identity_csv import resolve_csv
from frontoffice.demo import generate
from frontoffice.identity.model import PersonAttributes
from frontoffice.identity.probabilistic import (
    DEFAULT_AUTO_WEIGHT,
    Model,
    ScoredPair,
    cluster,
    partition,
    score,
    train,
)

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from bench.identity_quality import attributes, demo_records  # noqa: E402

from frontoffice.identity.probabilistic.blocking import (  # noqa: E402
    BLOCKING_RULES,
    PRIOR_MATCH_PROBABILITY,
)

Record = tuple[str, PersonAttributes]


def person(
    country: str, given: str, family: str, birth: str, postcode: str, city: str, street: str = ""
) -> PersonAttributes:
    return attributes(country, given=given, family=family, birth_date=birth, postcode=postcode, city=city,
                      street=street)


SAME_PERSON: dict[str, tuple[PersonAttributes, PersonAttributes]] = {
    "Иванов = Ivanov": (
        person("RU", "Сергей", "Иванов", "1985-03-14", "101000", "Москва"),
        person("RU", "Sergei", "Ivanov", "1985-03-14", "101000", "Moskva"),
    ),
    "山田 太郎 = Yamada Taro": (
        person("JP", "山田 太郎", "", "1979-11-02", "160-0022", "新宿区"),
        person("JP", "Taro", "Yamada", "1979-11-02", "160-0022", "Shinjuku-ku"),
    ),
    "Саша Смирнов = Aleksandr Smirnov (nickname)": (
        person("RU", "Саша", "Смирнов", "1990-08-09", "190000", "Санкт-Петербург"),
        person("RU", "Aleksandr", "Smirnov", "1990-08-09", "190000", "Saint Petersburg"),
    ),
    "Smirnova Mariia = Мария Смирнова (order guessed the other way)": (
        person("RU", "Smirnova Mariia", "", "1983-02-17", "603000", "Нижний Новгород"),
        person("RU", "Мария", "Смирнова", "1983-02-17", "603000", "Нижний Новгород"),
    ),
    "김민준 = Kim Minjun": (
        person("KR", "김민준", "", "1992-07-21", "04524", "서울"),
        person("KR", "Minjun", "Kim", "1992-07-21", "04524", "Seoul"),
    ),
    "王伟 = Wang Wei": (
        person("CN", "王伟", "", "1988-05-30", "100010", "北京市"),
        person("CN", "Wei", "Wang", "1988-05-30", "100010", "Beijing"),
    ),
    "Müller = Mueller": (
        person("DE", "Jürgen", "Müller", "1970-01-15", "20095", "Hamburg", "Hauptstr. 5"),
        person("DE", "Juergen", "Mueller", "1970-01-15", "20095", "Hamburg", "Hauptstraße 5"),
    ),
    "Lilq = Lily (a typo, not another name)": (
        person("AU", "Lily", "Painter", "1961-12-14", "4560", "Richlands", "12 Pinkerton Circuit"),
        person("AU", "Lilq", "Painter", "1961-12-14", "4560", "Richlands", "12 Pinkerton Circuit"),
    ),
    "Kelse = Kelsea (an ending dropped: not a Slavic feminine form)": (
        person("AU", "Kelsea", "Neumann", "1975-07-06", "4223", "Winston Hills", "8 Stanley Street"),
        person("AU", "Kelse", "Neumann", "1975-07-06", "4223", "Winston Hills", "8 Stanley Street"),
    ),
    "Barnaby Siggins = Siggyins Barnayb (swapped, with typos)": (
        person("AU", "Barnaby", "Siggins", "1998-10-21", "5162", "Kempsey", "51 Hurley Street"),
        person("AU", "Siggyins", "Barnayb", "1998-10-21", "5162", "Kempsey", "51 Hurley Street"),
    ),
}
LOOK_ALIKES: dict[str, tuple[PersonAttributes, PersonAttributes]] = {
    "parent and child of one name, one address and landline, 28 years apart": (
        attributes("US", given="Jacqueline", family="Kennedy", birth_date="1965-10-28", postcode="60601",
                   city="Chicago", street="7496 Lake Ln", phone="+13128865792"),
        attributes("US", given="Jacqueline", family="Kennedy", birth_date="1993-07-30", postcode="60601",
                   city="Chicago", street="7496 Lake Ln", phone="+13128865792"),
    ),
    "John Smith Sr. and John Smith Jr. at one address": (
        attributes("US", given="John", family="Smith Sr.", postcode="60601", city="Chicago",
                   street="12 Lake Ln", phone="+13128865711"),
        attributes("US", given="John", family="Smith Jr.", postcode="60601", city="Chicago",
                   street="12 Lake Ln", phone="+13128865711"),
    ),
    "same common name, other birth date and city": (
        person("CN", "Wei", "Wang", "1990-02-11", "200001", "Shanghai"),
        person("CN", "Wei", "Wang", "1975-09-03", "510000", "Guangzhou"),
    ),
    "twins: same family, address and birth date": (
        person("DE", "Anna", "Schmidt", "2001-04-04", "80331", "München", "Lindenweg 3"),
        person("DE", "Lena", "Schmidt", "2001-04-04", "80331", "München", "Lindenweg 3"),
    ),
    "Bill and Robert Jones: other given name, nickname of neither": (
        person("US", "Bill", "Jones", "1966-06-06", "60601", "Chicago"),
        person("US", "Robert", "Jones", "1966-06-06", "60601", "Chicago"),
    ),
    "Иванов and Иванова are two people": (
        person("RU", "Александр", "Иванов", "1985-03-14", "101000", "Москва"),
        person("RU", "Александра", "Иванова", "1985-03-14", "101000", "Москва"),
    ),
}


Cases = dict[str, tuple[PersonAttributes, PersonAttributes]]


def _cases(cases: Cases, prefix: str) -> list[Record]:
    return [(f"{prefix}{i}-{side}", a) for i, two in enumerate(cases.values()) for side, a in enumerate(two)]


@pytest.fixture(scope="module")
def background() -> list[Record]:
    return demo_records(generate(seed=7, people=300))


@pytest.fixture(scope="module")
def model(background: list[Record]) -> Model:
    return train([*background, *_cases(SAME_PERSON, "same"), *_cases(LOOK_ALIKES, "alike")])


def _pairs(model: Model, cases: Cases) -> dict[str, ScoredPair | None]:
    records = _cases(cases, "case")
    found = {p.key: p for p in score(model, records, min_weight=-50)}
    return {name: found.get((f"case{i}-0", f"case{i}-1")) for i, name in enumerate(cases)}


def test_the_same_person_in_two_scripts_merges_automatically(model: Model) -> None:
    for name, p in _pairs(model, SAME_PERSON).items():
        assert p is not None, f"{name}: not even compared"
        merge, _ = partition([p])
        assert merge == [p], f"{name}: {p.explanation}, conflicts {p.conflicts}"


def test_look_alike_different_people_never_merge_automatically(model: Model) -> None:
    for name, p in _pairs(model, LOOK_ALIKES).items():
        if p is not None:
            merge, _ = partition([p])
            assert merge == [], f"{name}: {p.explanation}"


def test_twins_go_to_the_review_queue_with_their_reason(model: Model) -> None:
    twins = _pairs(model, LOOK_ALIKES)["twins: same family, address and birth date"]
    assert twins is not None
    _, review = partition([twins])
    assert review == [twins] and twins.conflicts == ("given name",)
    assert "given name (different)" in twins.explanation


def test_a_nickname_match_says_so(model: Model) -> None:
    p = _pairs(model, SAME_PERSON)["Саша Смирнов = Aleksandr Smirnov (nickname)"]
    assert p is not None and "given name (nickname)" in p.explanation


def test_the_prior_is_estimated_from_the_records_not_fixed(model: Model) -> None:
    prior = model.settings["probability_two_random_records_match"]
    assert prior != PRIOR_MATCH_PROBABILITY and 1e-5 < prior < 1e-2


def test_a_different_postcode_weighs_against_a_match_without_vetoing_it(model: Model) -> None:
    postcode = next(c for c in model.comparisons if c.name == "postcode")
    weight = {level.label: level.weight for level in postcode.levels.values()}
    assert -10 < weight["different"] < 0 < weight["exact"]


def test_a_birth_date_read_day_for_month_is_its_own_level(model: Model) -> None:
    swapped = {"day and month swapped": (
        person("DE", "Jürgen", "Müller", "1970-03-11", "20095", "Hamburg"),
        person("DE", "Jürgen", "Müller", "1970-11-03", "20095", "Hamburg"),
    )}
    p = _pairs(model, swapped)["day and month swapped"]
    assert p is not None and "birth date (day and month swapped)" in p.explanation


def test_every_pair_explains_itself_in_words(model: Model) -> None:
    p = _pairs(model, SAME_PERSON)["Иванов = Ivanov"]
    assert p is not None
    assert p.explanation.startswith(f"match weight {p.match_weight:.1f} from ")
    assert "family name (romanised exact)" in p.explanation and "birth date (exact)" in p.explanation


def test_a_micro_batch_is_scored_against_existing_records(model: Model, background: list[Record]) -> None:
    existing = [*background, ("old-ivanov", SAME_PERSON["Иванов = Ivanov"][0])]
    new = [("new-ivanov", SAME_PERSON["Иванов = Ivanov"][1])]
    pairs = score(model, new, against=existing)
    merge, _ = partition(pairs)
    assert {p.key for p in merge} == {("new-ivanov", "old-ivanov")}
    assert all("new-ivanov" in p.key for p in pairs)


def test_a_trained_model_scores_by_the_blocking_rules_training_left_aside(model: Model) -> None:
    # training runs without them (their capped keys are made for scoring only); a model without
    # them would compare every pair of the records it scores
    assert model.settings["blocking_rules_to_generate_predictions"] == [r.splink() for r in BLOCKING_RULES]


def test_a_model_round_trips_through_json_and_scores_the_same(model: Model) -> None:
    again = Model.from_json(model.to_json())
    records = _cases(SAME_PERSON, "case")
    assert [p.match_weight for p in score(again, records)] == [p.match_weight for p in score(model, records)]


def test_resolve_csv_clusters_a_plain_person_file(tmp_path: Path, background: list[Record]) -> None:
    rows = ["rec_id,given_name,surname,address_1,suburb,postcode,state,date_of_birth"]
    for i, (_, a) in enumerate(background):
        rows.append(f"bg{i},{a.given_name or ''},{a.family_name or ''},,{a.city or ''},"
                    f"{a.postcode or ''},,{(a.birth_date or '').replace('-', '')}".replace("\n", " "))
    rows += ["org,Jürgen,Müller,Hauptstr. 5,Hamburg,20095,HH,19700115",
             "dup,Juergen,Mueller,Hauptstrasse 5,Hamburg,20095,HH,19700115"]
    path = tmp_path / "people.csv"
    path.write_text("\n".join(r for r in rows if r.count(",") == 7) + "\n", encoding="utf-8")
    clusters = resolve_csv(path, {"id": "rec_id", "given_name": "given_name", "surname": "surname",
                                  "street": "address_1", "city": "suburb", "postcode": "postcode",
                                  "state": "state", "birth_date": "date_of_birth"}, default_country="DE")
    assert clusters["org"] == clusters["dup"]


def test_cluster_threshold_defaults_to_the_auto_merge_threshold(model: Model) -> None:
    records = _cases(SAME_PERSON, "case")
    assert cluster(score(model, records)) == cluster(score(model, records), DEFAULT_AUTO_WEIGHT)


@pytest.mark.scale
def test_speed_bench_runs_small(capsys: pytest.CaptureFixture[str]) -> None:
    from bench import identity_speed

    assert identity_speed.main(["--records", "1000"]) == 0
    out = capsys.readouterr().out
    assert "records/s" in out and "ratio ours/baseline time" in out


def test_records_no_training_rule_pairs_fail_as_a_value_error_the_worker_survives() -> None:
    """Early in a stream no two records may share a birth date: EM cannot run on that rule. The
    failure is a ValueError (the worker answers it with "train again later"), not Splink's own."""
    lonely = [(f"r{i}", person("DE", f"Given{i}", f"Family{i}", f"19{50 + i}-0{1 + i % 9}-1{i % 9}",
                               f"{10000 + i * 7}", f"City{i}")) for i in range(12)]
    with pytest.raises(ValueError, match="resulted in no record pairs"):
        train(lonely)


def test_em_that_drives_a_levels_m_to_zero_trains_with_the_floor_and_leaves_splink_as_it_was() -> None:
    """On this brand every match that a training block finds shares its address, so EM shrinks the
    m of "postcode different" each iteration until it underflows; Splink 5 refuses the 0."""
    from splink.internals import expectation_maximisation as em

    from frontoffice.identity.probabilistic._splink import M_FLOOR

    step = em.populate_m_u_from_lookup
    trained = train(demo_records(generate(seed=7, people=300)))
    m = [level["m_probability"] for comparison in trained.settings["comparisons"]
         for level in comparison["comparison_levels"] if isinstance(level.get("m_probability"), float)]
    assert m and min(m) >= M_FLOOR
    assert em.populate_m_u_from_lookup is step


def test_a_training_rule_no_two_records_agree_on_is_found_before_splink_runs() -> None:
    from frontoffice.identity.probabilistic._splink import pairless_rule

    table = {"birth_date": ["1970-01-01", "1970-01-01", None, None], "postcode": ["1", "2", "3", "3"],
             "street_key": ["a", "b", "c", "d"]}
    rules = ["l.birth_date = r.birth_date", "l.postcode = r.postcode AND l.street_key = r.street_key"]
    assert pairless_rule(table, rules) == rules[1]  # two nulls agree on nothing, as in SQL
    assert pairless_rule(table, rules[:1]) is None
    assert pairless_rule({"birth_date": [None, None]}, rules[:1]) == rules[0]
