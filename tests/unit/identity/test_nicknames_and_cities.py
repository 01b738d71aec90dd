"""Nicknames belong to their formal name's group, and city keys agree across scripts."""

from __future__ import annotations

import pytest

from frontoffice.normalise import city_key, name_keys, name_similarity
from frontoffice.normalise.nicknames import nickname_groups


def groups(given: str, country: str) -> frozenset[str]:
    return nickname_groups(name_keys(given, "X", country).given_keys)


@pytest.mark.parametrize(("short", "formal", "country"), [
    ("Bill", "William", "US"), ("Sasha", "Aleksandr", "RU"), ("Саша", "Александр", "RU"),
    ("Misha", "Михаил", "RU"), ("Kate", "Ekaterina", "RU"), ("Катя", "Katherine", "US"),
    ("Anya", "Anna", "RU"), ("Sepp", "Josef", "DE"),
])
def test_a_nickname_shares_a_group_with_its_formal_name(short: str, formal: str, country: str) -> None:
    assert groups(short, country) & groups(formal, country)


def test_different_names_share_no_group() -> None:
    assert not groups("William", "US") & groups("Robert", "US")
    assert not groups("Михаил", "RU") & groups("Сергей", "RU")


def test_a_name_in_no_group_has_none() -> None:
    assert groups("Zebedee", "US") == frozenset()


@pytest.mark.parametrize(("latin", "native", "country"), [
    ("Shinjuku-ku", "新宿区", "JP"), ("Shibuya", "渋谷区", "JP"), ("Tokyo", "東京都", "JP"),
    ("Seoul", "서울특별시", "KR"), ("Busan", "부산광역시", "KR"), ("Seongnam-si", "성남시", "KR"),
    ("Moscow", "Москва", "RU"), ("Moskva", "г. Москва", "RU"), ("Saint Petersburg", "Санкт-Петербург", "RU"),
    ("Beijing", "北京市", "CN"), ("Munich", "München", "DE"),
])
def test_a_city_has_one_key_in_every_script(latin: str, native: str, country: str) -> None:
    assert city_key(latin, country) == city_key(native, country) != ""


def test_different_cities_keep_different_keys() -> None:
    assert city_key("Shinjuku-ku", "JP") != city_key("渋谷区", "JP")
    assert city_key("Busan", "KR") != city_key("인천광역시", "KR")


def test_a_nickname_scores_as_the_same_name_and_a_different_name_does_not() -> None:
    william = name_keys("William", "Smith", "US")
    assert name_similarity(name_keys("Bill", "Smith", "US"), william) >= 0.9
    assert name_similarity(name_keys("Саша", "Смирнов", "RU"), name_keys("Aleksandr", "Smirnov", "RU")) >= 0.9
    assert name_similarity(name_keys("Robert", "Smith", "US"), william) < 0.6
