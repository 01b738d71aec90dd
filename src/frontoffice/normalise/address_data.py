"""Address tables as data: postcode formats and the abbreviations people write in street lines."""

from __future__ import annotations

POSTCODE_FORMATS: dict[str, tuple[str, str]] = {
    "US": (r"(\d{5})(?:\d{4})?", r"\1"),
    "DE": (r"(\d{5})", r"\1"),
    "JP": (r"(\d{3})(\d{4})", r"\1-\2"),
    "KR": (r"(\d{5})", r"\1"),
    "CN": (r"(\d{6})", r"\1"),
    "RU": (r"(\d{6})", r"\1"),
}
"""Country → (regex over the code with spaces, hyphens and 〒 removed, canonical form). ZIP+4
keeps its five-digit ZIP, the part every record has."""

POSTCODE_HINTS: dict[str, str] = {
    "US": "five digits (ZIP) or ZIP+4",
    "DE": "five digits",
    "JP": "seven digits as NNN-NNNN",
    "KR": "five digits (six-digit codes were retired in 2015)",
    "CN": "six digits",
    "RU": "six digits",
}

STREET_WORDS: dict[str, str] = {
    # English
    "ave": "avenue", "av": "avenue", "rd": "road", "blvd": "boulevard", "ln": "lane", "ct": "court",
    "hwy": "highway", "pkwy": "parkway", "sq": "square", "apt": "apartment", "ste": "suite", "fl": "floor",
    # German
    "straße": "strasse", "str": "strasse",
    # Russian (after transliteration)
    "ul": "ulitsa", "pr": "prospekt", "prosp": "prospekt", "per": "pereulok", "kv": "kvartira",
    "korp": "korpus", "sh": "shosse", "nab": "naberezhnaia",
}
"""Abbreviation → the word it stands for, applied token by token after transliteration."""

STREET_KINDS: frozenset[str] = frozenset({
    "street", "st", "road", "avenue", "place", "crescent", "drive", "lane", "court", "close", "circuit",
    "way", "parade", "terrace", "boulevard", "highway", "parkway", "square", "grove", "esplanade",
    "strasse", "weg", "platz", "allee", "gasse", "ring", "damm", "ulitsa", "prospekt", "pereulok",
    "shosse", "naberezhnaia", "rue", "chemin", "via", "calle", "apartment", "suite", "floor",
})
"""Words that name the kind of street (after abbreviations are expanded), not which street: left
out of a street line's words (:func:`~frontoffice.normalise.address.street_words`)."""

COUNTRY_STREET_WORDS: dict[str, dict[str, str]] = {
    "US": {"st": "street", "str": "street", "dr": "drive", "pl": "place", "n": "north", "s": "south",
           "e": "east", "w": "west"},
    "DE": {"pl": "platz", "st": "sankt"},
    "RU": {"pl": "ploshchad", "str": "stroenie", "d": "dom"},
}
"""Abbreviations that mean something else in one country (``Str.`` is Straße in Germany, street in
the US, строение in Russia); these win over :data:`STREET_WORDS`."""

GERMAN_COMPOUND_SUFFIXES: tuple[tuple[str, str], ...] = (("str", "strasse"), ("strase", "strasse"))
"""Endings of one-word German street names (``Hauptstr.`` → ``hauptstrasse``)."""

CITY_SUFFIXES: tuple[str, ...] = (
    "특별자치시", "특별시", "광역시", "自治区", "都", "道", "府", "県", "市", "区", "町", "村", "省",
    "시", "도", "구", "군",
)
"""Administrative suffixes dropped from CJK city names (東京都 → 東京, 서울특별시 → 서울), longest
first: one is dropped."""

LATIN_CITY_SUFFIXES: tuple[str, ...] = (
    "-teukbyeolsi", " teukbyeolsi", "-gwangyeoksi", " gwangyeoksi", " metropolitan city", " city", "-shi",
    " shi", "-ku", " ku", "-si", " si", "-gu", " gu", "-to", " to", "-fu", " fu",
)
"""The same suffixes romanised (Shinjuku-ku → Shinjuku, Seoul-si → Seoul), dropped from Latin
city names before keying."""

CITY_EXONYMS: dict[str, str] = {
    "moscow": "moskva", "saint petersburg": "sankt-peterburg", "st. petersburg": "sankt-peterburg",
    "st petersburg": "sankt-peterburg", "munich": "münchen", "cologne": "köln", "nuremberg": "nürnberg",
    "peking": "beijing", "canton": "guangzhou", "nizhny novgorod": "nizhnii novgorod",
}
"""English names of cities whose local name romanises differently (Moscow → Moskva)."""

CITY_PREFIXES: tuple[str, ...] = ("г.", "город ", "city of ", "stadt ")
