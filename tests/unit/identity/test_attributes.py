"""Birth dates, postcodes, street and city keys."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from frontoffice.normalise import (
    Invalid,
    Kind,
    Normalised,
    Reason,
    city_key,
    normalise_postcode,
    parse_birth_date,
    street_key,
)

TODAY = dt.date(2026, 6, 1)


@pytest.mark.parametrize(
    ("raw", "country", "iso"),
    [
        ("1990-05-03", None, "1990-05-03"),
        ("1990-05-03T00:00:00Z", None, "1990-05-03"),
        ("19900503", None, "1990-05-03"),
        ("1990/05/03", "JP", "1990-05-03"),
        ("1990.5.3", "CN", "1990-05-03"),
        ("03.05.1990", "DE", "1990-05-03"),
        ("3.5.1990", "RU", "1990-05-03"),
        ("05/03/1990", "US", "1990-05-03"),
        ("05/03/1990", "DE", "1990-03-05"),
        ("13/03/1990", None, "1990-03-13"),
        ("03/13/1990", None, "1990-03-13"),
        ("1990年5月3日", "JP", "1990-05-03"),
        ("１９９０年５月３日", "CN", "1990-05-03"),
        ("平成2年5月3日", "JP", "1990-05-03"),
        ("昭和元年12月25日", "JP", "1926-12-25"),
        ("1990년 5월 3일", "KR", "1990-05-03"),
        ("3 May 1990", None, "1990-05-03"),
        ("May 3, 1990", "US", "1990-05-03"),
        ("3. Mai 1990", "DE", "1990-05-03"),
        ("3 мая 1990", "RU", "1990-05-03"),
        ("03.05.90", "DE", "1990-05-03"),
    ],
)
def test_birth_dates_become_iso_dates(raw: str, country: str | None, iso: str) -> None:
    assert parse_birth_date(raw, country, TODAY) == Normalised(Kind.BIRTH_DATE, iso)


@pytest.mark.parametrize(
    ("raw", "country", "today", "reason"),
    [
        ("", None, TODAY, Reason.EMPTY),
        ("soon", None, TODAY, Reason.FORMAT),
        ("05/03/1990", None, TODAY, Reason.AMBIGUOUS),
        ("03.05.90", "DE", None, Reason.AMBIGUOUS),
        ("31.02.1990", "DE", TODAY, Reason.OUT_OF_RANGE),
        ("2030-01-01", None, TODAY, Reason.OUT_OF_RANGE),
        ("1850-01-01", None, None, Reason.OUT_OF_RANGE),
        ("1900-01-01", None, TODAY, Reason.GENERIC),
        ("1970-01-01", None, TODAY, Reason.GENERIC),
    ],
)
def test_unusable_birth_dates_say_why(
    raw: str, country: str | None, today: dt.date | None, reason: Reason
) -> None:
    result = parse_birth_date(raw, country, today)
    assert isinstance(result, Invalid)
    assert result.reason == reason, result


@given(st.dates(min_value=dt.date(1900, 1, 2), max_value=dt.date(2026, 1, 1)))
def test_parsing_a_birth_date_is_idempotent_in_every_notation(date: dt.date) -> None:
    iso = parse_birth_date(date.isoformat(), None, TODAY)
    if isinstance(iso, Normalised):
        assert parse_birth_date(iso.value, None, TODAY) == iso
        assert parse_birth_date(date.strftime("%d.%m.%Y"), "DE", TODAY) == iso
        assert parse_birth_date(date.strftime("%m/%d/%Y"), "US", TODAY) == iso
        assert parse_birth_date(f"{date.year}年{date.month}月{date.day}日", "JP", TODAY) == iso


@pytest.mark.parametrize(
    ("raw", "country", "code"),
    [
        ("12345-6789", "US", "12345"),
        ("02139", "US", "02139"),
        ("10115", "DE", "10115"),
        ("〒100-0001", "JP", "100-0001"),
        ("1000001", "JP", "100-0001"),
        ("１００－０００１", "JP", "100-0001"),
        ("03187", "KR", "03187"),
        ("100 000", "CN", "100000"),
        ("101000", "RU", "101000"),
        ("sw1a 1aa", "GB", "SW1A1AA"),
    ],
)
def test_postcodes_take_their_countrys_form(raw: str, country: str, code: str) -> None:
    assert normalise_postcode(raw, country) == Normalised(Kind.POSTCODE, code)


@pytest.mark.parametrize(
    ("raw", "country", "reason"),
    [
        ("1234", "US", Reason.FORMAT),
        ("1011", "DE", Reason.FORMAT),
        ("100-00", "JP", Reason.FORMAT),
        ("110-744", "KR", Reason.FORMAT),
        ("10000", "CN", Reason.FORMAT),
        ("1010000", "RU", Reason.FORMAT),
        ("00000", "DE", Reason.GENERIC),
        (" ", "DE", Reason.EMPTY),
    ],
)
def test_unusable_postcodes_say_why(raw: str, country: str, reason: Reason) -> None:
    result = normalise_postcode(raw, country)
    assert isinstance(result, Invalid)
    assert result.reason == reason, result


@pytest.mark.parametrize(
    ("a", "b", "country"),
    [
        ("Hauptstr. 5", "Hauptstraße 5", "DE"),
        ("Hauptstrasse 5", "HAUPTSTRASSE 5", "DE"),
        ("Berliner Str. 12a", "Berliner Straße 12 a", "DE"),
        ("123 Main St.", "123 Main Street", "US"),
        ("55 5th Ave", "55 5th Avenue", "US"),
        ("ул. Ленина, д. 5, кв. 12", "ulitsa Lenina, dom 5, kv. 12", "RU"),
        ("千代田1丁目2-3", "Chiyoda 1-chome 2-3", "JP"),
        ("강남대로 123", "Gangnam-daero 123", "KR"),
        ("中山路12号", "Zhongshan Lu 12 Hao", "CN"),
    ],
)
def test_one_street_line_in_two_spellings_has_one_key(a: str, b: str, country: str) -> None:
    assert street_key(a, country) == street_key(b, country)


def test_different_streets_keep_different_keys() -> None:
    assert street_key("Hauptstr. 5", "DE") != street_key("Hauptstr. 7", "DE")
    assert street_key("123 Main St.", "US") != street_key("123 Maine St.", "US")


@pytest.mark.parametrize(
    ("a", "b", "country"),
    [
        ("東京都", "Tokyo", "JP"),
        ("Toukyou", "TOKYO", "JP"),
        ("大阪府", "Osaka", "JP"),
        ("г. Москва", "Moskva", "RU"),
        ("서울시", "Seoul", "KR"),
        ("北京市", "Beijing", "CN"),
        ("München", "Muenchen", "DE"),
    ],
)
def test_one_city_in_two_scripts_has_one_key(a: str, b: str, country: str) -> None:
    assert city_key(a, country) == city_key(b, country)
