"""Names across scripts, spellings and order: the same person scores 1.0, look-alikes clearly less."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from frontoffice.normalise import (
    NameKeys,
    Script,
    detect_script,
    name_keys,
    name_similarity,
    split_full_name,
)

Name = tuple[str, str, str | None]


def similarity(a: Name, b: Name) -> float:
    return name_similarity(name_keys(*a), name_keys(*b))


@pytest.mark.parametrize(
    ("text", "script"),
    [
        ("Müller", Script.LATIN),
        ("Иванов", Script.CYRILLIC),
        ("王伟", Script.HAN),
        ("やまだ", Script.HIRAGANA),
        ("ヤマダ", Script.KATAKANA),
        ("ﾔﾏﾀﾞ", Script.KATAKANA),
        ("山田たろう", Script.HIRAGANA),
        ("김민준", Script.HANGUL),
        ("Ελένη", Script.OTHER),
        ("123-", Script.NONE),
        ("", Script.NONE),
    ],
)
def test_the_script_of_a_name_is_detected(text: str, script: Script) -> None:
    assert detect_script(text) is script


@pytest.mark.parametrize(
    ("native", "other"),
    [
        (("Алексей", "Иванов", "RU"), ("Aleksei", "Ivanov", "RU")),
        (("Алексей", "Иванов", "RU"), ("Alexey", "Ivanov", "US")),
        (("Алексей", "Иванов", None), ("Aleksej", "Iwanow", "DE")),
        (("Дмитрий", "Соловьёв", "RU"), ("Dmitry", "Solovyov", "RU")),
        (("Наталья", "Зайцева", "RU"), ("Natalia", "Zaitseva", "RU")),
        (("Юлия", "Фёдорова", "RU"), ("Iuliia", "Fedorova", "RU")),
        (("Anna", "Müller", "DE"), ("Anna", "Mueller", "DE")),
        (("Anna", "Müller", "DE"), ("Anna", "Muller", "US")),
        (("Anna", "Mueller", "US"), ("Anna", "Muller", "US")),
        (("Jürgen", "Groß", "DE"), ("Juergen", "Gross", "AT")),
        (("민준", "김", "KR"), ("Minjun", "Kim", "KR")),
        (("민준", "김", "KR"), ("Min-jun", "Kim", "US")),
        (("김민준", "", None), ("Kim Min-jun", "", None)),
        (("지훈", "박", "KR"), ("Ji-hoon", "Park", "KR")),
        (("현우", "이", "KR"), ("Hyun Woo", "Lee", "KR")),
        (("伟", "王", "CN"), ("Wei", "Wang", "CN")),
        (("王伟", "", None), ("Wang Wei", "", None)),
        (("伟", "黄", "HK"), ("Wei", "Wong", "HK")),
        (("太郎", "山田", "JP"), ("たろう", "やまだ", "JP")),
        (("太郎", "山田", "JP"), ("Taro", "Yamada", "JP")),
        (("太郎", "山田", "JP"), ("Yamada", "Taro", "JP")),
        (("山田 太郎", "", None), ("Taro Yamada", "", None)),
        (("山田太郎", "", "JP"), ("ヤマダ タロウ", "", "JP")),
        (("花子", "佐藤", "JP"), ("Hanako", "Sato", "US")),
        (("花子", "佐藤", "JP"), ("Hanako", "Satou", "JP")),
        (("花子", "佐藤", "JP"), ("Hanako", "Satoh", None)),
        (("翔太", "清水", "JP"), ("Syota", "Simizu", "JP")),
        (("陽翔", "鈴木", "JP"), ("Haruto", "Suzuki", "JP")),
        (("蓮", "伊藤", "JP"), ("Ren", "Itoh", "JP")),
        (("John", "Smith", "US"), ("SMITH", "John", "US")),
        (("Mr. John", "Smith", "US"), ("john", "smith", "US")),
    ],
)
def test_one_person_written_in_two_scripts_or_spellings_scores_one(native: Name, other: Name) -> None:
    assert similarity(native, other) == pytest.approx(1.0)


@pytest.mark.parametrize(
    ("a", "b", "ceiling"),
    [
        (("Wei", "Wang", "CN"), ("Wen", "Wang", "CN"), 0.85),
        (("伟", "王", "CN"), ("Wen", "Wang", "CN"), 0.85),
        (("Aleksei", "Ivanov", "RU"), ("Aleksei", "Ivanova", "RU"), 0.6),
        (("Алексей", "Иванов", "RU"), ("Aleksei", "Ivanova", "RU"), 0.6),
        (("Aleksandr", "Ivanov", "RU"), ("Aleksandra", "Ivanova", "RU"), 0.6),
        (("Дмитрий", "Вишневский", "RU"), ("Dmitrij", "Vishnevskaja", "RU"), 0.6),
        (("Minjun", "Kim", "KR"), ("Minji", "Kim", "KR"), 0.85),
        (("민준", "김", "KR"), ("Minji", "Kim", "KR"), 0.85),
        (("Kenta", "Sato", "JP"), ("Kenta", "Saito", "JP"), 0.9),
        (("Anna", "Hoffmann", "DE"), ("Jana", "Hoffmann", "DE"), 0.85),
        (("Jennifer", "Martin", "US"), ("Jennifer", "Martinez", "US"), 0.9),
    ],
)
def test_look_alike_different_people_score_clearly_lower(a: Name, b: Name, ceiling: float) -> None:
    assert similarity(a, b) < ceiling


def test_only_a_given_name_or_an_initial_is_never_a_whole_name_match() -> None:
    assert similarity(("Taro", "", "JP"), ("太郎", "山田", "JP")) == pytest.approx(0.8)
    assert similarity(("Taro", "Y.", "JP"), ("太郎", "山田", "JP")) == pytest.approx(0.8)
    assert similarity(("Taro", "K.", "JP"), ("太郎", "山田", "JP")) == 0.0


def test_name_keys_are_canonical_lowercase_ascii() -> None:
    keys = name_keys("Min-jun", "Kim", "KR")
    assert (keys.given, keys.family) == ("minjun", "kim")
    umlaut = name_keys("Anna", "Müller", "DE")
    assert umlaut.family == "muller"
    assert {"muller", "mueller"} <= umlaut.family_alternatives
    latin, kanji = name_keys("Taro", "Yamada", "JP"), name_keys("山田", "太郎", "JP")
    assert latin.phonetic == kanji.phonetic == "taro yamada"
    assert name_keys("花子", "佐藤", "JP").family_keys & name_keys("Hanako", "Satoh", "JP").family_keys


@pytest.mark.parametrize(
    ("text", "country", "parts"),
    [
        ("Smith, John", "US", ("John", "Smith")),
        ("John Smith", "US", ("John", "Smith")),
        ("YAMADA Taro", "JP", ("Taro", "YAMADA")),
        ("山田 太郎", "JP", ("太郎", "山田")),
        ("山田太郎", "JP", ("太郎", "山田")),
        ("김민준", "KR", ("민준", "김")),
        ("남궁민수", "KR", ("민수", "남궁")),
        ("王伟", "CN", ("伟", "王")),
        ("欧阳娜娜", "CN", ("娜娜", "欧阳")),
        ("Kim Min Jun", "KR", ("Min Jun", "Kim")),
        ("Madonna", "US", ("Madonna", "")),
    ],
)
def test_a_whole_name_in_one_field_is_split(text: str, country: str, parts: tuple[str, str]) -> None:
    assert split_full_name(text, country) == parts


def test_a_romanised_korean_name_that_starts_and_ends_with_a_surname_takes_the_commoner_as_family() -> None:
    # Seo and Kim are both surnames: Kim (a fifth of Korea) is the family name of Seo Seok Kim, and
    # a sister 김영지 then shares it and differs in the given name (the household veto holds)
    assert split_full_name("Seo Seok Kim", "KR") == ("Seo Seok", "Kim")
    assert split_full_name("Ji Hoon Park", "KR") == ("Ji Hoon", "Park")
    assert split_full_name("Kim Min Jun", "KR") == ("Min Jun", "Kim")


_names = st.sampled_from(
    [
        "Алексей",
        "Иванов",
        "Иванова",
        "Müller",
        "Mueller",
        "김민준",
        "Kim",
        "Minjun",
        "王伟",
        "Wang",
        "Wei",
        "山田",
        "太郎",
        "やまだ",
        "Sato",
        "Satoh",
        "Anna",
        "Jana",
        "",
        "Y.",
    ]
)
_countries = st.sampled_from([None, "US", "DE", "RU", "JP", "KR", "CN", "HK"])


@settings(max_examples=300)
@given(
    a_given=_names,
    a_family=_names,
    b_given=_names,
    b_family=_names,
    a_country=_countries,
    b_country=_countries,
)
def test_similarity_is_symmetric_and_between_zero_and_one(
    a_given: str, a_family: str, b_given: str, b_family: str, a_country: str | None, b_country: str | None
) -> None:
    a, b = name_keys(a_given, a_family, a_country), name_keys(b_given, b_family, b_country)
    forward, backward = name_similarity(a, b), name_similarity(b, a)
    assert 0.0 <= forward <= 1.0
    assert forward == pytest.approx(backward)


@given(given_name=st.text(max_size=12), family=st.text(max_size=12), country=_countries)
def test_name_keys_are_pure_and_a_name_matches_itself(
    given_name: str, family: str, country: str | None
) -> None:
    keys = name_keys(given_name, family, country)
    assert isinstance(keys, NameKeys)
    assert keys == name_keys.__wrapped__(given_name, family, country)
    assert all(k.isascii() and k.isalpha() for k in keys.given_keys | keys.family_keys)
    if keys.given_keys and keys.family_keys:
        assert name_similarity(keys, keys) == 1.0
