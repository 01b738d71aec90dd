"""The columns Splink compares are made in Python, the same way for every record."""

from __future__ import annotations

from frontoffice.identity.model import PersonAttributes
from frontoffice.identity.probabilistic.columns import to_row
from frontoffice.normalise import street_key


def test_a_name_in_two_scripts_gets_one_romanised_key() -> None:
    cyrillic = to_row("a", PersonAttributes(given_name="Сергей", family_name="Иванов", country="RU"))
    latin = to_row("b", PersonAttributes(given_name="Sergei", family_name="Ivanov", country="RU"))
    assert cyrillic["family_key"] == latin["family_key"] == "ivanov"
    assert (cyrillic["name_script"], latin["name_script"]) == ("cyrillic", "latin")


def test_a_whole_name_in_one_field_is_split_before_keys_are_made() -> None:
    row = to_row("a", PersonAttributes(given_name="김민준", country="KR"))
    assert (row["family_key"], row["given_key"]) == ("kim", "minjun")
    assert row["family_native"] == "김"


def test_street_keys_made_between_the_numbers_equal_whole_line_keys() -> None:
    lines = (("Hauptstr. 5", "DE"), ("西城区光明路33号10栋2401室", "CN"), ("旭町2丁目15-1", "JP"))
    for line, country in lines:
        row = to_row("a", PersonAttributes(street=line, country=country))
        assert row["street_key"] == street_key(line, country)


def test_the_email_local_part_is_compared_without_its_domain() -> None:
    row = to_row("a", PersonAttributes(email="anna.mueller@example.com"))
    assert row["email_local"] == "anna.mueller" and row["given_key"] is None


def test_a_nickname_and_its_formal_name_share_a_nickname_group() -> None:
    short = to_row("a", PersonAttributes(given_name="Саша", family_name="Иванов", country="RU"))
    formal = to_row("b", PersonAttributes(given_name="Aleksandr", family_name="Ivanov", country="RU"))
    other = to_row("c", PersonAttributes(given_name="Zebedee", family_name="Ivanov", country="RU"))
    assert set(short["given_nicknames"]) & set(formal["given_nicknames"])
    assert other["given_nicknames"] is None  # a name in no group
