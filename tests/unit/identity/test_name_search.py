"""Finding people by a name typed in any script or order."""

from __future__ import annotations

from frontoffice.identity.name_search import find_by_name

NAMES = [("p-ivanov", "Sergei", "Ivanov"), ("p-yamada", "太郎", "山田"), ("p-kim", "민준", "김"),
         ("p-mueller", "Jürgen", "Müller"), ("p-petrov", "Ivan", "Petrov")]


def test_a_cyrillic_family_name_finds_the_person_written_in_latin() -> None:
    assert find_by_name(NAMES, "Иванов", 10) == ["p-ivanov"]


def test_a_name_in_kana_finds_the_person_written_in_kanji() -> None:
    assert find_by_name(NAMES, "やまだ たろう", 10) == ["p-yamada"]


def test_a_romanised_korean_name_finds_the_person_written_in_hangul() -> None:
    assert find_by_name(NAMES, "Kim Minjun", 10) == ["p-kim"]


def test_an_ascii_spelling_finds_the_umlaut_and_whole_names_come_first() -> None:
    assert find_by_name(NAMES, "Juergen Mueller", 10) == ["p-mueller"]
    assert find_by_name(NAMES, "Ivan Petrov", 10)[0] == "p-petrov"


def test_text_with_no_name_in_it_finds_nobody() -> None:
    assert find_by_name(NAMES, "---", 10) == []
