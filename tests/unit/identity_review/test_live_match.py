"""What a scored pair decides in the live graph: the rules, without Splink or a database."""

from __future__ import annotations

from collections.abc import Collection

import pytest

from frontoffice.identity.live_match import MatchConfig, decide, known_record
from frontoffice.identity.probabilistic import ScoredPair
from frontoffice.identity.probabilistic.model import NAMELESS

CONFIG = MatchConfig(auto_weight=16, review_weight=6)
PEOPLE = {"web-1": "P1", "web-1b": "P1", "pos-1": "P2", "pos-2": "P3", "web-2": "P4"}


def pair(a: str, b: str, weight: float, conflicts: tuple[str, ...] = ()) -> ScoredPair:
    return ScoredPair(a, b, weight, 0.5, (), "from birth date (exact)", conflicts)


def no_ids(_: str) -> Collection[tuple[str, str]]:
    return ()


def test_only_the_best_pair_between_two_people_counts() -> None:
    [proposal] = decide([pair("pos-1", "web-1", 12), pair("pos-1", "web-1b", 20)], PEOPLE, no_ids, CONFIG)
    assert proposal.merge and proposal.pair.right_id == "web-1b"
    assert proposal.explanation == "match weight 20.0 from birth date (exact)"


def test_records_already_in_one_person_and_pairs_below_the_grey_zone_propose_nothing() -> None:
    assert decide([pair("web-1", "web-1b", 30), pair("pos-1", "web-1", 5.9)], PEOPLE, no_ids, CONFIG) == []


def test_two_different_logins_send_a_strong_pair_to_review_with_the_reason() -> None:
    def logins(person: str) -> Collection[tuple[str, str]]:
        return [("user_id", f"cus_{person}")]

    [proposal] = decide([pair("web-1", "web-2", 30)], PEOPLE, logins, CONFIG)
    assert not proposal.merge
    assert proposal.note == "not merged automatically: different user_id values cus_P1, cus_P4"


def test_a_conflicting_name_is_queued_however_high_the_weight() -> None:
    [proposal] = decide([pair("pos-2", "web-2", 40, ("given name",))], PEOPLE, no_ids, CONFIG)
    assert not proposal.merge and "given name differ" in proposal.explanation


def test_a_rejected_pair_of_people_is_not_proposed_even_through_a_merge_of_this_batch() -> None:
    # pos-2 merges into P2 (pos-1) in this batch; P2 and P4 were rejected, so pos-2/web-2 is dropped.
    pairs = [pair("pos-1", "pos-2", 30), pair("pos-2", "web-2", 10)]
    proposals = decide(pairs, PEOPLE, no_ids, CONFIG, rejected={("P2", "P4")})
    assert [(p.person_a, p.person_b, p.merge) for p in proposals] == [("P2", "P3", True)]


def test_the_review_threshold_may_not_exceed_the_auto_merge_one() -> None:
    with pytest.raises(ValueError, match="must not exceed"):
        MatchConfig(auto_weight=6, review_weight=16)


def test_the_namesake_bar_is_zero_for_no_namesake_pass_or_more() -> None:
    assert MatchConfig(namesake_max_expected=0).namesake_max_expected == 0
    with pytest.raises(ValueError, match="namesake bar"):
        MatchConfig(namesake_max_expected=-0.1)


def test_a_record_with_a_login_is_a_partner_but_not_scored_itself() -> None:
    data = {"i": [["user_id", "cus_1"], ["email", "a@b.de"]], "n": ["Ann", "Lee", "DE"],
            "t": [["birthDate", "1990-01-02"], ["address", {"postalCode": "10115", "city": "Berlin"}]]}
    known = known_record("web:1", 3, data)
    assert known is not None and not known.candidate
    assert (known.attributes.given_name, known.attributes.birth_date, known.attributes.postcode,
            known.attributes.email) == ("Ann", "1990-01-02", "10115", "a@b.de")
    receipt = known_record("pos:1", 4, {"i": [["loyalty_id", "L1"]], "n": ["Ann", "Lee", "DE"], "t": []})
    assert receipt is not None and receipt.candidate
    assert known_record("web:2", 5, {"i": [["anonymous_id", "x"]], "t": []}) is None


def test_a_record_without_a_name_is_compared_on_its_birth_date_and_address() -> None:
    data = {"i": [["anonymous_id", "rec-21-dup-0"]],
            "t": [["birthDate", "1910-08-17"], ["address", {"street": "teakle place", "postalCode": "2299"}]]}
    known = known_record("import:rec-21-dup-0", 6, data)
    assert known is not None and known.candidate
    assert (known.attributes.given_name, known.attributes.birth_date, known.attributes.postcode) == (
        None, "1910-08-17", "2299")


def test_a_pair_without_a_name_and_no_personal_fact_agreeing_is_queued_with_the_reason() -> None:
    [proposal] = decide([pair("pos-2", "web-2", 30, (NAMELESS,))], PEOPLE, no_ids, CONFIG)
    assert not proposal.merge
    assert proposal.note == f"not merged automatically: {NAMELESS}"
    [both] = decide([pair("pos-2", "web-2", 30, ("given name", NAMELESS))], PEOPLE, no_ids, CONFIG)
    assert both.note == f"not merged automatically: given name differ; {NAMELESS}"


def test_without_households_a_pair_merges_from_the_auto_weight_less_the_household_margin() -> None:
    pairs = [pair("pos-1", "web-1", 12)]
    [with_households] = decide(pairs, PEOPLE, no_ids, CONFIG)
    [without] = decide(pairs, PEOPLE, no_ids, CONFIG, households=False)
    assert not with_households.merge and without.merge
    assert CONFIG.auto_for(False) == 10 and CONFIG.auto_for(True) == 16


def test_the_household_margin_never_takes_the_auto_merge_weight_below_the_review_weight() -> None:
    assert MatchConfig(auto_weight=10, review_weight=8).auto_for(False) == 8
    assert MatchConfig(household_margin=0).auto_for(False) == 16
    with pytest.raises(ValueError, match="household margin"):
        MatchConfig(household_margin=-1)
