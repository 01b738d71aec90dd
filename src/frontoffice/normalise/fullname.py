"""Splitting a whole name typed in one field into given and family name."""

from __future__ import annotations

import functools
import unicodedata

from frontoffice.normalise import _libs
from frontoffice.normalise.name_data import (
    CHINESE_COUNTRIES,
    CN_COMPOUND_SURNAMES,
    CN_SURNAME_SPELLINGS,
    KOREAN_COUNTRIES,
    KR_COMPOUND_SURNAMES,
    KR_SURNAMES,
)
from frontoffice.normalise.scripts import Script, detect_script, is_japanese

_FAMILY_FIRST_SCRIPTS = frozenset({Script.HAN, Script.HIRAGANA, Script.KATAKANA, Script.HANGUL})


def split_full_name(text: str, country: str | None = None) -> tuple[str, str]:
    """``(given, family)`` of a name typed in one field.

    ``Family, Given`` and an upper-case family name (``YAMADA Taro``) are recognised; names in Han,
    kana or Hangul are family-first (``山田 太郎``, and unspaced ``김민준``, ``王伟``, ``山田太郎``);
    other names are given-first. A name that cannot be split is returned as the given name. Which
    part is which matters little to :func:`~.names.name_similarity`, which also tries the swap.
    """
    text = " ".join(unicodedata.normalize("NFKC", text).split())
    if "," in text:
        family, _, given = text.partition(",")
        return given.strip(), family.strip()
    tokens = text.split(" ")
    if len(tokens) >= 2:
        shouted = [i for i, t in enumerate(tokens) if len(t) > 1 and t.isupper() and _latin(t)]
        if len(shouted) == 1 and not all(t.isupper() for t in tokens):
            return " ".join(t for i, t in enumerate(tokens) if i != shouted[0]), tokens[shouted[0]]
        if detect_script(text) in _FAMILY_FIRST_SCRIPTS or _surname_first(tokens, country):
            return " ".join(tokens[1:]), tokens[0]
        return " ".join(tokens[:-1]), tokens[-1]
    return _split_unspaced(text, country)


def _latin(token: str) -> bool:
    return detect_script(token) is Script.LATIN


def _surname_first(tokens: list[str], country: str | None) -> bool:
    """True for a romanised Korean or Chinese name written family-first (``Kim Min Jun``): it starts
    with a surname, and either does not end with one or has a two-token given name. A Korean name
    that starts and ends with a surname is read with the commoner one as the family name: ``Seo
    Seok Kim`` is Kim Seo-seok written given-first (Kim is a fifth of Korea, Seo a sixtieth), and
    read family-first its family name (Seo) met no other record of the person's, while a sister's
    given name then weighed as different from a name that was half a family name."""
    surnames = _known_surnames().get(country or "")
    if not surnames:
        return False
    first, last = (t.lower().strip(".") for t in (tokens[0], tokens[-1]))
    if first not in surnames:
        return False
    if last not in surnames:
        return True
    ranks = _korean_ranks() if country in KOREAN_COUNTRIES else {}
    if len(tokens) >= 3 and first in ranks and last in ranks:
        return ranks[first] <= ranks[last]
    return len(tokens) >= 3


@functools.cache
def _korean_ranks() -> dict[str, int]:
    """Each romanised Korean surname's rank by how common it is (``KR_SURNAMES`` is in that order)."""
    ranks: dict[str, int] = {}
    for rank, spellings in enumerate(KR_SURNAMES.values()):
        for spelling in spellings:
            ranks.setdefault(spelling, rank)
    return ranks


@functools.cache
def _known_surnames() -> dict[str, frozenset[str]]:
    korean = frozenset(s for spellings in KR_SURNAMES.values() for s in spellings)
    chinese = frozenset(CN_SURNAME_SPELLINGS) | {s for v in CN_SURNAME_SPELLINGS.values() for s in v}
    return {**dict.fromkeys(KOREAN_COUNTRIES, korean), **dict.fromkeys(CHINESE_COUNTRIES, chinese)}


def _split_unspaced(text: str, country: str | None) -> tuple[str, str]:
    script = detect_script(text)
    if len(text) < 2 or script not in _FAMILY_FIRST_SCRIPTS:
        return text, ""
    if script is Script.HANGUL:
        head = 2 if len(text) >= 3 and text[:2] in KR_COMPOUND_SURNAMES else 1
        return text[head:], text[:head]
    if script is Script.HAN and country != "JP" and not is_japanese(text):
        head = 2 if len(text) >= 3 and text[:2] in CN_COMPOUND_SURNAMES else 1
        return text[head:], text[:head]
    words = _libs.japanese_words(text)
    if len(words) >= 2:
        return "".join(words[1:]), words[0]
    return text, ""
