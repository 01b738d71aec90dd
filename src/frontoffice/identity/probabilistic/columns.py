"""The comparable columns of one person record, computed in Python before Splink sees them.

Every transliteration and key is made here with :mod:`frontoffice.normalise` (cached per
distinct value), so the SQL that Splink runs only compares plain strings and lists.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable, Iterator
from typing import Any

from frontoffice.identity.model import IdentityRecord, PersonAttributes
from frontoffice.normalise import city_key, name_keys, split_full_name, street_key
from frontoffice.normalise.address import street_words
from frontoffice.normalise.nicknames import nickname_groups

Row = dict[str, Any]
"""One record as Splink's input row: column name → value (``None`` when unknown)."""
PersonRecord = IdentityRecord | tuple[str, PersonAttributes]
"""What the matcher accepts: a full identity record, or a record id with its attributes."""

COLUMNS: tuple[str, ...] = (
    "unique_id", "given_native", "family_native", "given_key", "family_key", "given_alts",
    "family_alts", "given_nicknames", "name_script", "birth_date", "postcode", "city_key", "street_key",
    "street_words", "street_number", "postcode_digits", "block_keys", "email_local", "email_named", "phone",
    "national_id", "national_verified", "slavic", "generation",
)
LIST_COLUMNS = frozenset({"given_alts", "family_alts", "given_nicknames", "street_words", "block_keys"})
BOOL_COLUMNS = frozenset({"slavic", "national_verified"})
SLAVIC_COUNTRIES = frozenset({"RU", "UA", "BY", "BG", "PL", "CZ", "SK", "RS", "HR", "SI", "MK", "BA", "ME",
                              "KZ"})
"""Countries whose family and given names take masculine and feminine forms (Ivanov/Ivanova,
Kowalski/Kowalska): only there are two such forms two people rather than a typo."""
GENERATIONS: dict[str, str] = {"jr": "jr", "junior": "jr", "sr": "sr", "senior": "sr", "ii": "ii",
                               "iii": "iii", "iv": "iv", "2nd": "ii", "3rd": "iii"}
"""Generational suffixes as written after a name (``John Smith Jr.``), and the one they stand for."""
_LAST_WORD = re.compile(r"[\s,]+([^\s,]+)[\s,]*$")


@functools.lru_cache(maxsize=1 << 16)
def without_generation(name: str) -> tuple[str, str | None]:
    """The name without a trailing generational suffix, and the suffix (``Smith Jr.`` -> ``Smith``,
    ``jr``)."""
    last = _LAST_WORD.search(name)
    if last and name[:last.start()].strip() and (found := GENERATIONS.get(last[1].rstrip(".").casefold())):
        return name[:last.start()], found  # what comes before as written: "Smith, John Jr." keeps its comma
    return name, None


def _native(text: str) -> str | None:
    folded = " ".join(unicodedata.normalize("NFKC", text).casefold().split())
    return folded or None


@functools.lru_cache(maxsize=1 << 17)
def name_columns(given: str, family: str, country: str | None) -> tuple[Any, ...]:
    """``(given_native, family_native, given_key, family_key, given_alts, family_alts, given_nicknames,
    script)``; ``given_nicknames`` are the nickname groups of the given name (Bill → william).

    A whole name in ``given`` with no ``family`` is split first, so that native parts line up.
    """
    if given and not family:
        given, family = split_full_name(given, country)
    keys = name_keys(given, family, country)
    return (
        _native(given) if keys.given else None,
        _native(family) if keys.family else None,
        keys.given or None,
        keys.family or None,
        sorted(keys.given_keys) or None,
        sorted(keys.family_keys) or None,
        sorted(nickname_groups(keys.given_keys)) or None,
        keys.script.value,
    )


_DIGITS = re.compile(r"(\d+)")


def _street(text: str, country: str | None) -> tuple[str | None, list[str] | None, str | None]:
    """The street key, the street's words (numbers and names, see ``street_words``) and its house
    number (the first number: blocking keys only), made piece by piece between the numbers: the
    pieces (street names, 丁目, 号) repeat across a million addresses where whole lines do not, so
    the cache does the work."""
    pieces = _DIGITS.split(unicodedata.normalize("NFKC", text))
    key, words = [], set()
    for i, piece in enumerate(pieces):
        if i % 2:
            key.append(piece)
            words.add(piece)
        else:
            piece_key, piece_words = _street_piece(piece, country)
            key.append(piece_key)
            words |= piece_words
    return "".join(key) or None, sorted(words) or None, pieces[1] if len(pieces) > 1 else None


@functools.lru_cache(maxsize=1 << 16)
def _street_piece(text: str, country: str | None) -> tuple[str, frozenset[str]]:
    if not text.strip():
        return "", frozenset()
    return street_key(text, country), street_words(text, country)


@functools.lru_cache(maxsize=1 << 14)
def _city(text: str, country: str | None) -> str | None:
    return city_key(text, country) or None


_SEPARATORS = re.compile(r"[._\-]")


def made_of_name(local: str, given_keys: Iterable[str], family_keys: Iterable[str]) -> bool:
    """True when an email local part is nothing but the name (``anna.ivanova``, ``wli``,
    ``ivanova_a``): any namesake may write it. Digits or other words make it the person's own."""
    letters = _SEPARATORS.sub("", local)
    if not letters.isalpha():
        return False
    for g in given_keys:
        for f in family_keys:
            if letters in {g + f, f + g, g[:1] + f, f + g[:1], g + f[:1], f[:1] + g, g, f}:
                return True
    return False


def to_row(record_id: str, a: PersonAttributes) -> Row:
    """The Splink input row of one record's attributes (already normalised, see the model)."""
    given, generation = without_generation(a.given_name or "")
    family, suffix = without_generation(a.family_name or "")
    if given and not family and not generation:  # a whole name, the suffix inside: Weise Jr., Karl
        first, last = split_full_name(given, a.country)
        (first, inner), (last, outer) = without_generation(first), without_generation(last)
        if inner or outer:
            given, family, generation = first, last, inner or outer
    generation = generation or suffix
    names = name_columns(given, family, a.country) if (given or family) else (None,) * 7 + ("none",)
    local = a.email.rpartition("@")[0] if a.email else ""
    street, words, number = _street(a.street, a.country) if a.street else (None, None, None)
    return {
        "unique_id": record_id,
        "given_native": names[0],
        "family_native": names[1],
        "given_key": names[2],
        "family_key": names[3],
        "given_alts": names[4],
        "family_alts": names[5],
        "given_nicknames": names[6],
        "name_script": names[7],
        "birth_date": a.birth_date or None,
        "postcode": a.postcode or None,
        "city_key": _city(a.city, a.country) if a.city else None,
        "street_key": street,
        "street_words": words,
        "street_number": number,
        "postcode_digits": "".join(sorted(a.postcode)) if a.postcode else None,
        "block_keys": None,  # made by DuckDB over all the records scored together: block_keys.keyed
        "email_local": local or None,
        "email_named": "name" if local and made_of_name(
            local, {names[2], *(names[4] or ())} - {None}, {names[3], *(names[5] or ())} - {None}
        ) else None,
        "phone": a.phone or None,
        "national_id": national_number(a.national_id),
        "national_verified": verified(a.national_id),
        "slavic": names[7] == "cyrillic" or (a.country or "").upper() in SLAVIC_COUNTRIES,
        "generation": generation,
    }


def verified(national_id: str | None) -> bool:
    """True for a national id of a scheme with a checksum (``DE:steuer-id:...``); a number of a
    country without a known scheme (``AU:id:...``) is free-form."""
    return national_id is not None and national_id.split(":")[1:2] != ["id"]


def national_number(value: str | None) -> str | None:
    """The number of a normalised national id (``AU:id:5304218`` -> ``5304218``): compared with its
    typos (one digit, two swapped), as the country and scheme are the same for a typo."""
    return value.rpartition(":")[2] or None if value else None


SHARED_PHONE_FAMILIES = 4
"""A phone on the records of more than this many families is a shop's or a switchboard's (a store
typing its own number for shoppers who gave none): it is not compared. The identity graph's
``generic_surname_limit`` applies the same rule to its merges."""


def without_shared_phones(rows: list[Row], limit: int = SHARED_PHONE_FAMILIES) -> list[Row]:
    """The rows with every phone seen under more than ``limit`` family names blanked; spellings of
    one family name (Müller, Mueller) count once."""
    families: dict[str, list[frozenset[str]]] = {}
    for row in rows:
        if row["phone"] and row["family_key"]:
            spellings = frozenset(row["family_alts"] or ()) | {row["family_key"]}
            seen = families.setdefault(row["phone"], [])
            if not any(spellings & other for other in seen):
                seen.append(spellings)
    shared = {phone for phone, seen in families.items() if len(seen) > limit}
    return [{**row, "phone": None} if row["phone"] in shared else row for row in rows]


def split(record: PersonRecord) -> tuple[str, PersonAttributes]:
    if isinstance(record, IdentityRecord):
        return record.record_id, record.attributes
    return record


def to_rows(records: Iterable[PersonRecord]) -> Iterator[Row]:
    """Rows of every record that has something to compare (records with no attributes are skipped)."""
    for record in records:
        record_id, attributes = split(record)
        if not attributes.is_empty():
            yield to_row(record_id, attributes)


def to_columns(rows: Iterable[Row]) -> dict[str, list[Any]]:
    """Rows as columns (what DuckDB loads fastest)."""
    table: dict[str, list[Any]] = {name: [] for name in COLUMNS}
    for row in rows:
        for name in COLUMNS:
            table[name].append(row[name])
    return table
