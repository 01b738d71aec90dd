"""Name keys and name similarity across scripts, spellings and name order.

:func:`name_keys` turns a record's given and family name into comparable keys: the canonical
romanisation of each part, and the phonetic keys of every spelling the part may stand for.
:func:`name_similarity` scores two such keys in [0, 1]. Both are pure and cached.
"""

from __future__ import annotations

import functools
import itertools
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

from rapidfuzz.distance import JaroWinkler, Levenshtein

from frontoffice.normalise.fullname import split_full_name
from frontoffice.normalise.name_data import (
    CJK_HONORIFICS,
    GENDERED_ENDINGS,
    GENDERED_MIN_STEM,
    TITLES,
)
from frontoffice.normalise.nicknames import nickname_groups
from frontoffice.normalise.phonetic import groups_for, phonetic_key
from frontoffice.normalise.scripts import Script
from frontoffice.normalise.translit import romanise

GENDER_VARIANT_SIMILARITY = 0.5
"""Ceiling for two parts that differ only by a gendered ending (Ivanov/Ivanova)."""
INITIAL_SIMILARITY = 0.8
"""Score of an initial (``Y.``) against a name starting with that letter."""
NICKNAME_SIMILARITY = 0.9
"""Score of a nickname against its formal name (see :mod:`.nicknames`)."""
ONE_PART_CEILING = 0.8
"""Ceiling when only one part can be compared: a lone given name is not a whole-name match."""
_MAX_SPELLINGS = 16
_DOUBLED = re.compile(r"(.)\1+")


@dataclass(frozen=True, slots=True)
class NameKeys:
    """Comparable keys of one person's name."""

    given: str
    """Canonical romanisation of the given name: lower-case ASCII, no spaces or hyphens."""
    family: str
    """Canonical romanisation of the family name."""
    given_alternatives: frozenset[str]
    """Every romanised spelling the given name may stand for (canonical included)."""
    family_alternatives: frozenset[str]
    given_keys: frozenset[str]
    """Phonetic keys of every given-name spelling; two names sharing a key are spelling variants."""
    family_keys: frozenset[str]
    whole_keys: frozenset[str]
    """Phonetic keys of the whole name in both orders, for names split differently on two records."""
    script: Script
    """The script the name was written in."""

    @property
    def phonetic(self) -> str:
        """One phonetic key for the whole name, independent of name order (a blocking key)."""
        parts = (phonetic_key(self.given), phonetic_key(self.family))
        return " ".join(sorted(p for p in parts if p))


def _clean(part: str) -> str:
    part = " ".join(unicodedata.normalize("NFKC", part).replace("-", " ").split())
    for honorific in CJK_HONORIFICS:
        if part.endswith(honorific) and len(part) > len(honorific):
            part = part[: -len(honorific)].rstrip()
    tokens = [t for t in part.split(" ") if t.casefold().rstrip(".") not in TITLES]
    return " ".join(tokens)


@dataclass(frozen=True, slots=True)
class _Part:
    script: Script
    spellings: tuple[str, ...]
    keys: frozenset[str]


def _part(part: str, country: str | None, family: bool) -> _Part:
    """Spellings and phonetic keys of one name part; keys are made token by token and joined."""
    script, per_token = Script.NONE, []
    for token in part.split(" "):
        token_script, spellings = romanise(token, country, family)
        if spellings:
            per_token.append(spellings)
            script = token_script if script is Script.NONE else script
    if not per_token:
        return _Part(script, (), frozenset())
    groups = (None, *groups_for(country, script))
    spellings = tuple(dict.fromkeys("".join(c) for c in _capped(per_token)))
    token_keys = [tuple(dict.fromkeys(phonetic_key(s, g) for s in xs for g in groups)) for xs in per_token]
    return _Part(script, spellings, frozenset(_DOUBLED.sub(r"\1", "".join(c)) for c in _capped(token_keys)))


def _capped(options: list[tuple[str, ...]]) -> Iterator[tuple[str, ...]]:
    return itertools.islice(itertools.product(*options), _MAX_SPELLINGS)


@functools.lru_cache(maxsize=1 << 17)
def name_keys(given: str, family: str, country: str | None = None) -> NameKeys:
    """Keys of a name as written on one record; ``country`` is the record's ISO-2 country.

    A whole name typed into ``given`` with an empty ``family`` is split first (see
    :func:`~.fullname.split_full_name`).
    """
    country = country.upper() if country else None
    given, family = _clean(given), _clean(family)
    if not family and given:
        given, family = (_clean(p) for p in split_full_name(given, country))
    g, f = _part(given, country, family=False), _part(family, country, family=True)
    return NameKeys(
        given=g.spellings[0] if g.spellings else "",
        family=f.spellings[0] if f.spellings else "",
        given_alternatives=frozenset(g.spellings),
        family_alternatives=frozenset(f.spellings),
        given_keys=g.keys,
        family_keys=f.keys,
        whole_keys=frozenset(_DOUBLED.sub(r"\1", k) for a in g.keys for b in f.keys for k in (a + b, b + a)),
        script=f.script if f.script is not Script.NONE else g.script,
    )


def _gendered(a: str, b: str) -> bool:
    """True when ``a`` and ``b`` differ only by a masculine/feminine ending (Ivanov/Ivanova)."""
    for masculine, feminine in GENDERED_ENDINGS:
        for m, f in ((a, b), (b, a)):
            if m.endswith(masculine) and f.endswith(feminine):
                stem = m[: len(m) - len(masculine)]
                if len(stem) >= GENDERED_MIN_STEM and stem == f[: len(f) - len(feminine)]:
                    return True
    return False


def _pair(a: str, b: str) -> float:
    if len(a) == 1 or len(b) == 1:
        return INITIAL_SIMILARITY if a[0] == b[0] else 0.0
    return string_similarity(a, b)


def string_similarity(a: str, b: str) -> float:
    """Similarity of two phonetic keys that differ: the mean of Jaro-Winkler (rewards a shared
    start) and normalised Levenshtein (counts edits), so that short names one or two letters apart
    (Minjun/Minji, Wei/Wen, Sato/Saito) stay clearly below spelling variants."""
    return (JaroWinkler.similarity(a, b) + Levenshtein.normalized_similarity(a, b)) / 2


def part_similarity(a: frozenset[str], b: frozenset[str]) -> float | None:
    """Best score between two sets of phonetic keys; ``None`` when either part is unknown.

    Parts that are gender forms of one name under any spelling (Ivanov/Ivanova) score at most
    :data:`GENDER_VARIANT_SIMILARITY`, however alike the strings are.
    """
    return _score(a, b)[0]


def _score(a: frozenset[str], b: frozenset[str]) -> tuple[float | None, bool]:
    """``(score, gendered)`` of two parts."""
    if not a or not b:
        return None, False
    if a & b:
        return 1.0, False
    best = max(_pair(x, y) for x in a for y in b)
    if any(_gendered(x, y) for x in a for y in b):
        return min(best, GENDER_VARIANT_SIMILARITY), True
    return best, False


def _combine(given: float | None, family: float | None) -> float:
    known = [s for s in (given, family) if s is not None]
    if not known:
        return 0.0
    if len(known) == 1:
        return min(known[0], ONE_PART_CEILING)
    return min(known)


@functools.lru_cache(maxsize=1 << 16)
def name_similarity(a: NameKeys, b: NameKeys) -> float:
    """How alike two names are, in [0, 1]: 1.0 when they share a spelling key for both parts.

    Given and family names are compared part by part and the weaker part decides; the swapped
    order (family written first) is tried too and the better reading counts, and so is the
    whole name (for names split differently on the two records), unless a part in its own place
    is a gender form of the other's (Ivanov/Ivanova): that decides.
    """
    given, given_gendered = _score(a.given_keys, b.given_keys)
    if given is not None and given < NICKNAME_SIMILARITY and nickname_groups(a.given_keys) & nickname_groups(
            b.given_keys):
        given = NICKNAME_SIMILARITY  # Bill and William, Саша and Aleksandr
    family, family_gendered = _score(a.family_keys, b.family_keys)
    straight = _combine(given, family)
    if given_gendered or family_gendered:
        return straight
    if a.whole_keys & b.whole_keys:
        return 1.0
    swapped = _combine(_score(a.given_keys, b.family_keys)[0], _score(a.family_keys, b.given_keys)[0])
    return max(straight, swapped)
