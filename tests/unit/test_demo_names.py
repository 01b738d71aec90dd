"""The demo's names are distributed as in life, and spelt as the identity normaliser reads them."""

from __future__ import annotations

import random
import re
from collections import Counter

import pytest

from frontoffice.demo import generate
from frontoffice.demo import names as nm
from frontoffice.demo.people import mailbox
from frontoffice.demo.population import build_people
from frontoffice.demo.timeline import IdMint
from frontoffice.normalise.translit import romanise

COUNTRIES = ("US", "DE", "JP", "KR", "CN", "RU")
HOUSEHOLD_EMAIL = re.compile(r"^(the\w+s|\w+\.family|\w+home)\d*@")
"""The family addresses a household shares on purpose (demo/population.py)."""


def _letters(text: str) -> str:
    return re.sub("[^a-z]", "", text.lower())


def test_every_country_has_hundreds_of_family_names_and_given_names_per_gender() -> None:
    for code in COUNTRIES:
        assert len(nm.family_names(code)) >= 60, code  # Korea has few family names, as in life
        for gender in "mf":
            assert len([p for p in nm.given_names(code) if p.gender == gender]) >= 70, (code, gender)
    for code in ("US", "DE", "JP", "RU", "CN"):
        assert len(nm.family_names(code)) >= 100, code


def test_korean_family_names_follow_their_real_shares() -> None:
    total = sum(p.weight for p in nm.family_names("KR"))
    shares = {p.native: p.weight / total for p in nm.family_names("KR")}
    assert 0.18 < shares["김"] < 0.25 and shares["이"] > shares["박"] > shares["최"]


def _shared_full_name_share(people: list[tuple[str, str]]) -> float:
    counts = Counter(people)
    return sum(n for n in counts.values() if n > 1) / len(people)


def test_a_few_percent_share_a_full_name_in_the_west_and_more_in_korea() -> None:
    population = build_people(random.Random("names"), 3000, IdMint(random.Random(1)))
    by_country: dict[str, list[tuple[str, str]]] = {c: [] for c in COUNTRIES}
    for person in population:
        if person.kin not in {"lookalike", "generation"}:  # they share a name on purpose
            by_country[person.country].append((person.names[0].given, person.names[0].family))
    shares = {c: _shared_full_name_share(names) for c, names in by_country.items()}
    assert all(shares[c] < 0.06 for c in ("US", "DE", "RU")), shares
    assert shares["KR"] > max(shares[c] for c in ("US", "DE")), shares


@pytest.mark.parametrize("code", ["JP", "KR", "CN"])
def test_romanised_spellings_agree_with_the_identity_normaliser(code: str) -> None:
    for family, parts in ((True, nm.family_names(code)), (False, nm.given_names(code))):
        for part in parts:
            _, keys = romanise(part.native, code, family)
            assert set(keys) & {_letters(r) for r in part.romanised}, (part.native, keys, part.romanised)


def test_japanese_readings_are_spelt_the_passport_way_the_keyboard_way_and_with_oh() -> None:
    assert nm.romaji_spellings("さとう") == ("Sato", "Satou", "Satoh")
    assert nm.romaji_spellings("おおの") == ("Ono", "Oono", "Ohno")
    assert nm.romaji_spellings("いのうえ") == ("Inoue",)  # the u of うえ is no long vowel


def test_korean_and_chinese_given_names_are_compositions_of_real_syllables() -> None:
    korean = {p.native: p for p in nm.given_names("KR")}
    assert {"Min-jun", "Minjun", "Min Jun"} <= set(korean["민준"].romanised)
    chinese = {p.native: p for p in nm.given_names("CN")}
    assert chinese["子轩"].romanised[0] == "Zixuan" and chinese["伟"].romanised == ("Wei",)


def test_look_alikes_mostly_share_a_common_name() -> None:
    population = build_people(random.Random("lookalikes"), 3000, IdMint(random.Random(1)))
    weights = {p.native: p.weight for p in nm.family_names("US")}
    us = [p for p in population if p.country == "US"]
    alike = [weights[p.names[0].family] for p in us if p.kin == "lookalike"]
    everyone = [weights[p.names[0].family] for p in us]
    assert sum(alike) / len(alike) > sum(everyone) / len(everyone)


def test_a_gmail_mailbox_ignores_dots_so_two_people_never_get_the_same_one() -> None:
    assert mailbox("Mayumi.Sato@gmail.com") == mailbox("mayumisato@googlemail.com") == "mayumisato@gmail.com"
    assert mailbox("mayumi.sato@yahoo.co.jp") == "mayumi.sato@yahoo.co.jp"
    brand = generate(seed=3, people=400)
    owners: dict[str, set[str]] = {}
    truth = {t.record_id: t.person_id for t in brand.ground_truth}
    for event in brand.events:
        email = (event.get("traits") or {}).get("email")
        if event["type"] == "identify" and email and not HOUSEHOLD_EMAIL.match(email):
            owners.setdefault(mailbox(email), set()).add(truth[event["messageId"]])
    assert not {m: o for m, o in owners.items() if len(o) > 1}


def test_a_marketplace_order_carries_the_shipping_name_address_and_often_a_phone() -> None:
    aliases = generate(seed=5, people=300).marketplace_aliases
    assert all(a.ship_to_name and a.ship_to_street and a.ship_to_postcode for a in aliases)
    with_phone = sum(a.ship_to_phone is not None for a in aliases) / len(aliases)
    assert 0.4 < with_phone < 0.8
