"""Postcodes per country, and street and city lines as comparable keys.

A key is lower-case ASCII letters and digits with no spaces: non-Latin text is transliterated,
abbreviations are expanded (``Hauptstr.`` = ``Hauptstraße`` = ``Hauptstrasse``), punctuation and
spacing are dropped, and long vowels are folded (``Toukyou`` = ``Tokyo``).
"""

from __future__ import annotations

import functools
import re
import unicodedata

from frontoffice.normalise.address_data import (
    CITY_EXONYMS,
    CITY_PREFIXES,
    CITY_SUFFIXES,
    COUNTRY_STREET_WORDS,
    GERMAN_COMPOUND_SUFFIXES,
    LATIN_CITY_SUFFIXES,
    POSTCODE_FORMATS,
    POSTCODE_HINTS,
    STREET_KINDS,
    STREET_WORDS,
)
from frontoffice.normalise.generic import is_generic_value
from frontoffice.normalise.phonetic import COUNTRY_GROUPS, phonetic_key
from frontoffice.normalise.results import Invalid, Kind, Normalised, Reason, Result
from frontoffice.normalise.translit import romanise_text

_SEPARATORS = re.compile(r"[\s\-〒‐－]")
_TOKEN = re.compile(r"[a-z]+|\d+")


def normalise_postcode(raw: str, country: str | None) -> Result:
    """The postcode in its country's canonical form (US ``12345``, JP ``123-4567``), or why not."""
    kind = Kind.POSTCODE
    compact = _SEPARATORS.sub("", unicodedata.normalize("NFKC", raw)).upper()
    if not compact:
        return Invalid(kind, raw, Reason.EMPTY, "no postcode given")
    if is_generic_value(compact):
        return Invalid(kind, raw, Reason.GENERIC, "a placeholder postcode")
    code = (country or "").upper()
    pattern = POSTCODE_FORMATS.get(code)
    if pattern is None:
        return Normalised(kind, compact)
    match = re.fullmatch(pattern[0], compact)
    if match is None:
        return Invalid(kind, raw, Reason.FORMAT, f"a {code} postcode is {POSTCODE_HINTS[code]}")
    return Normalised(kind, match.expand(pattern[1]))


@functools.lru_cache(maxsize=1 << 16)
def street_key(text: str, country: str | None = None) -> str:
    """``Hauptstr. 5`` and ``Hauptstraße 5`` → ``hauptstrasse5``; ``123 Main St.`` → ``123mainstreet``."""
    return "".join(word for word, _ in _street_tokens(text, country))


@functools.lru_cache(maxsize=1 << 16)
def street_words(text: str, country: str | None = None) -> frozenset[str]:
    """The words of a street line that tell streets apart, as keys: its numbers and names, not the
    kind of street (``87 Scotty, Akma Pl`` → ``87``, ``scoti``, ``akma``), so a line written in
    another order (``87 Akma Place, Scotty``) shares them."""
    return frozenset(word for word, kind in _street_tokens(text, country) if not kind)


def _street_tokens(text: str, country: str | None) -> list[tuple[str, bool]]:
    """Each token's key, and whether it names the kind of street (street, place, Straße)."""
    code = (country or "").upper()
    words = {**STREET_WORDS, **COUNTRY_STREET_WORDS.get(code, {})}
    tokens = []
    for raw_token in _TOKEN.findall(romanise_text(unicodedata.normalize("NFKC", text).lower(), code)):
        token = words.get(raw_token, raw_token)
        kind = token in STREET_KINDS
        if code in ("DE", "AT", "CH"):
            token = _german_compound(token)
        tokens.append((token if token.isdigit() else phonetic_key(token, COUNTRY_GROUPS.get(code)), kind))
    return tokens


def _german_compound(token: str) -> str:
    for short, full in GERMAN_COMPOUND_SUFFIXES:
        if token.endswith(short):
            return token[: -len(short)] + full
    return token


@functools.lru_cache(maxsize=1 << 14)
def city_key(text: str, country: str | None = None) -> str:
    """``東京都`` and ``Tokyo`` → ``tokyo``; ``г. Москва``, ``Moskva`` and ``Moscow`` → ``moskva``;
    ``新宿区`` and ``Shinjuku-ku`` → ``shinjuku``; ``서울특별시`` and ``Seoul`` → ``seol``."""
    name = unicodedata.normalize("NFKC", text).strip().lower()
    for prefix in CITY_PREFIXES:
        name = name.removeprefix(prefix).strip()
    name = CITY_EXONYMS.get(name, name)
    for suffix in (*CITY_SUFFIXES, *LATIN_CITY_SUFFIXES):
        if name.endswith(suffix) and len(name) > len(suffix) + 1:
            name = name[: -len(suffix)]
            break
    code = (country or "").upper()
    tokens = _TOKEN.findall(romanise_text(name, code))
    return "".join(t if t.isdigit() else phonetic_key(t, COUNTRY_GROUPS.get(code)) for t in tokens)
