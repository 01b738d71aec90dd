"""Phonetic-ish keys: spelling variants of one romanised name collapse to one key.

Rules are data: ordered ``(regex, replacement)`` pairs over lower-case ASCII letters. The global
rules apply to every name; a rule group (Russian, Japanese, Korean, German transliteration habits)
applies first when the record's country or the name's own script calls for it.
"""

from __future__ import annotations

import functools
import re

from frontoffice.normalise.scripts import Script

Rule = tuple[str, str]

_V = "aeiou"
_END_OR_CONSONANT = f"(?=[^{_V}]|$)"
_LONG_VOWEL_H = f"(?=[^{_V}yw]|$)"

GLOBAL_RULES: tuple[Rule, ...] = (
    ("shch", "sh"), ("sch", "sh"), ("tch", "ch"), ("kh", "h"), ("ks", "x"), ("ph", "f"), ("ck", "k"),
    (f"(?<=[{_V}])[yj]{_END_OR_CONSONANT}", "i"),  # Aleksey/Aleksej/Aleksei, Nikolay, Zaytsev
    ("i[yj]$", "i"), (f"(?<=[^{_V}])y$", "i"),  # Dmitriy, Dmitrij, Dmitry, Dmitri
    ("ou", "o"), (f"oh{_LONG_VOWEL_H}", "o"), (f"uh{_LONG_VOWEL_H}", "u"),  # Satou, Satoh, Yuhko
    (r"(.)\1+", r"\1"),  # doubled letters and long vowels: Satoo, Yuuko, Schmitt, Dmitrii
)

GROUP_RULES: dict[str, tuple[Rule, ...]] = {
    "ru": (
        ("tsch", "ch"), ("w", "v"), (f"j(?=[{_V}])", "y"),
        ("^i([au])", r"y\1"), ("ye", "e"),
        (f"(?<=[^{_V}])yo", "e"), ("iya", "ia"), ("(?<=.)ya", "ia"), ("(?<=.)yu", "iu"),
    ),
    "jp": (
        ("(?<![sc])hu", "fu"), ("si", "shi"), ("ti", "chi"), ("tu", "tsu"), ("zi", "ji"), ("di", "ji"),
        ("du", "zu"), ("sy", "sh"), ("ty", "ch"), ("zy", "j"), ("jy", "j"), ("m(?=[bmp])", "n"),
    ),
    "kr": (
        ("kyung", "gyeong"), ("kyeong", "gyeong"), ("young", "yeong"), ("hyun", "hyeon"), ("sung", "seong"),
        ("jung", "jeong"), ("byung", "byeong"), ("myung", "myeong"), ("hyung", "hyeong"), ("chul", "cheol"),
        ("hee", "hui"), ("woo", "u"), ("oo", "u"), ("ah$", "a"),
    ),
    "umlaut": (("ae", "a"), ("oe", "o"), ("ue", "u")),
    "de": (("ae", "a"), ("oe", "o"), ("ue", "u"), ("w", "v")),
}
"""Transliteration habits of one language, mapped towards the system the native script is
romanised with here (anyascii for Cyrillic, Hepburn for Japanese, Revised Romanisation for Korean)."""

COUNTRY_GROUPS: dict[str, str] = {
    "RU": "ru", "BY": "ru", "UA": "ru", "KZ": "ru", "KG": "ru", "JP": "jp", "KR": "kr", "KP": "kr",
    "DE": "de", "AT": "de", "CH": "de", "LI": "de",
}
SCRIPT_GROUPS: dict[Script, str] = {
    Script.CYRILLIC: "ru", Script.HIRAGANA: "jp", Script.KATAKANA: "jp", Script.HANGUL: "kr",
    Script.LATIN: "umlaut",
}
"""German names are written in every country, so every Latin name also gets an umlaut-folded key
(``Mueller`` = ``Muller``)."""


@functools.cache
def _compiled(group: str | None) -> tuple[tuple[re.Pattern[str], str], ...]:
    rules = (GROUP_RULES[group] if group else ()) + GLOBAL_RULES
    return tuple((re.compile(pattern), replacement) for pattern, replacement in rules)


@functools.lru_cache(maxsize=1 << 16)
def phonetic_key(romanised: str, group: str | None = None) -> str:
    """The phonetic key of a romanised name (lower-case ASCII letters), with ``group``'s rules first."""
    key = romanised
    for pattern, replacement in _compiled(group):
        key = pattern.sub(replacement, key)
    return key


def groups_for(country: str | None, script: Script) -> tuple[str, ...]:
    """The rule groups a name of this record calls for: its country's and its script's."""
    found = (COUNTRY_GROUPS.get(country or ""), SCRIPT_GROUPS.get(script))
    return tuple(dict.fromkeys(g for g in found if g))
