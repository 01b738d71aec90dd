"""Per-country names in native script plus the spellings people also use on other records.

A :class:`NamePart` is one given or family name: its native spelling, the kana reading for
Japanese, other native spellings (nicknames, diminutives) and its romanised/ASCII spellings,
most common first. Russian romanisations are derived with three real systems (ICAO passport,
BGN/PCGN, informal "English" spelling), German ones by folding umlauts, Korean ones by the
hyphenated/joined/spaced habits of Revised Romanisation.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from functools import cache

from frontoffice.demo.tables import name_table
from frontoffice.normalise import kana


@dataclass(frozen=True)
class NamePart:
    native: str
    romanised: tuple[str, ...] = ()
    alt_native: tuple[str, ...] = ()
    kana: str | None = None
    gender: str | None = None
    weight: float = 1.0


@dataclass(frozen=True)
class NameForm:
    """One spelling of a whole name. ``script`` is ``native``, ``kana`` or ``latin``."""

    script: str
    given: str
    family: str


_ICAO = dict(
    zip(
        "абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
        ("a", "b", "v", "g", "d", "e", "e", "zh", "z", "i", "i", "k", "l", "m", "n", "o", "p", "r", "s", "t",
         "u", "f", "kh", "ts", "ch", "sh", "shch", "ie", "y", "-", "e", "iu", "ia"),
        strict=True,
    )
)
_ICAO["ь"] = ""  # the soft sign is dropped; "-" above only keeps the list aligned
_BGN = {**_ICAO, "й": "y", "ъ": "", "ю": "yu", "я": "ya"}
_INFORMAL = {**_BGN, "ё": "yo"}
_VOWELS = "аеёиоуыэюяьъ"
RU_SCHEMES = ("icao", "bgn", "informal")


def transliterate_ru(word: str, scheme: str) -> str:
    """Romanise a Russian word with ``icao`` (passport), ``bgn`` or ``informal`` rules."""
    if scheme not in RU_SCHEMES:
        raise ValueError(f"unknown transliteration scheme {scheme!r}; use one of {RU_SCHEMES}")
    table = {"icao": _ICAO, "bgn": _BGN, "informal": _INFORMAL}[scheme]
    w = word.lower()
    out: list[str] = []
    i = 0
    while i < len(w):
        c, nxt = w[i], w[i + 1 : i + 2]
        prev = w[i - 1] if i else ""
        if scheme != "icao" and c == "и" and nxt == "й" and i == len(w) - 2:
            out.append("y" if scheme == "informal" else "iy")
            i += 2
            continue
        if scheme == "informal" and (c, nxt) in {("и", "я"), ("к", "с")}:
            out.append("ia" if c == "и" else "x")
            i += 2
            continue
        iotated = (scheme == "bgn" and (i == 0 or prev in _VOWELS)) or (
            scheme == "informal" and prev != "" and prev in "ьъ"
        )
        if c == "е" and iotated:
            out.append("ye")
        else:
            out.append(table.get(c, c))
        i += 1
    text = "".join(out)
    return text[:1].upper() + text[1:]


def feminine_ru(family: str) -> str:
    """Russian family names agree with gender: Иванов → Иванова, Вишневский → Вишневская."""
    if family.endswith(("ов", "ев", "ёв", "ин", "ын")):
        return family + "а"
    if family.endswith("ий"):
        return family[:-2] + "ая"
    return family


_FOLDS = (("ä", "ae", "a"), ("ö", "oe", "o"), ("ü", "ue", "u"), ("Ä", "Ae", "A"), ("Ö", "Oe", "O"))


def fold_german(name: str) -> tuple[str, ...]:
    """ASCII spellings of a German name as keyboards and old systems produce them."""
    expanded, stripped = name.replace("ß", "ss"), name.replace("ß", "ss")
    for umlaut, long_form, short_form in (*_FOLDS, ("Ü", "Ue", "U")):
        expanded = expanded.replace(umlaut, long_form)
        stripped = stripped.replace(umlaut, short_form)
    return _unique((expanded, stripped), exclude=name)


def korean_spellings(hyphenated: str) -> tuple[str, ...]:
    """``Min-jun`` → ``Min-jun``, ``Minjun``, ``Min Jun``."""
    head, _, tail = hyphenated.partition("-")
    if not tail:
        return (hyphenated,)
    return (hyphenated, head + tail, f"{head} {tail.capitalize()}")


def _unique(items: tuple[str, ...], exclude: str = "") -> tuple[str, ...]:
    return tuple(dict.fromkeys(x for x in items if x != exclude))


def _ru_romanised(native: str) -> tuple[str, ...]:
    return _unique(tuple(transliterate_ru(native, s) for s in RU_SCHEMES))


def _diminutives(short: tuple[str, ...]) -> tuple[str, ...]:
    """Саша → Sasha: nicknames are romanised informally, and rank after the full name."""
    return tuple(transliterate_ru(d, "informal") for d in short)


_ZIPF = {"US": (0.6, 0.5), "DE": (0.6, 0.55), "RU": (0.7, 0.6), "JP": (0.6, 0.6)}
"""Zipf exponents (given, family) of the rank-ordered tables of each country."""


def _zipf(n: int, exponent: float) -> list[float]:
    return [1 / (i + 1) ** exponent for i in range(n)]


def _entries(table: tuple[str, ...]) -> list[tuple[str, tuple[str, ...]]]:
    """``Name=Alt1,Alt2`` entries of a table, first spelling kept."""
    found: dict[str, tuple[str, ...]] = {}
    for entry in table:
        name, _, alts = entry.partition("=")
        found.setdefault(name, tuple(a.replace("_", " ") for a in alts.split(",") if a))
    return list(found.items())


def _latin_given(country: str, gender: str, table: tuple[str, ...]) -> list[NamePart]:
    rows = _entries(table)
    weights = _zipf(len(rows), _ZIPF[country][0])
    parts = []
    for (name, alts), w in zip(rows, weights, strict=True):
        if country == "RU":
            parts.append(NamePart(name, _ru_romanised(name) + _diminutives(alts), alts, None, gender, w))
        else:
            parts.append(NamePart(name, fold_german(name) if country == "DE" else (), alts, None, gender, w))
    return parts


def _kanji_rows(table: tuple[str, ...]) -> list[tuple[str, str]]:
    """``kanji:reading`` entries."""
    entries = (e.partition(":") for e in dict.fromkeys(table))
    return [(kanji, reading) for kanji, _, reading in entries]


def _jp_given(gender: str, table: tuple[str, ...]) -> list[NamePart]:
    rows = _kanji_rows(table)
    weights = _zipf(len(rows), _ZIPF["JP"][0])
    return [NamePart(n, romaji_spellings(k), (), k, gender, w)
            for (n, k), w in zip(rows, weights, strict=True)]


def _syllables(table: tuple[str, ...]) -> list[tuple[str, tuple[str, ...], float]]:
    """``native:rom1,rom2`` entries with Zipf weights by rank (duplicates dropped)."""
    rows = list(dict.fromkeys(table))
    return [(e.split(":")[0], tuple(e.split(":")[1].split(",")), w)
            for e, w in zip(rows, _zipf(len(rows), 0.7), strict=True)]


def _korean_given(gender: str, first: tuple[str, ...], second: tuple[str, ...]) -> list[NamePart]:
    """Two-syllable names: 민 + 준 = 민준, ``Min-jun`` (and ``Min-joon`` where a syllable has an older
    spelling); the joined and spaced forms come from :func:`korean_spellings`."""
    parts = []
    for a, a_rom, a_w in _syllables(first):
        for b, b_rom, b_w in _syllables(second):
            if a == b:
                continue
            spellings = _unique((f"{a_rom[0].capitalize()}-{b_rom[0]}",
                                 f"{a_rom[-1].capitalize()}-{b_rom[-1]}"))
            romanised = _unique(tuple(s for r in spellings for s in korean_spellings(r)))
            parts.append(NamePart(a + b, romanised, (), None, gender, a_w * b_w))
    return parts


def _chinese_given(gender: str, table: tuple[str, ...]) -> list[NamePart]:
    """One character (a third of names) or two: 伟 ``Wei``, 子轩 ``Zixuan``, ``Zi Xuan``, ``Zi-Xuan``."""
    chars = _syllables(table)
    single = sum(w for _, _, w in chars)
    parts = [NamePart(c, (r[0].capitalize(),), (), None, gender, w / single * 0.35) for c, r, w in chars]
    pair_total = sum(a_w * b_w for _, _, a_w in chars for _, _, b_w in chars)
    for a, a_rom, a_w in chars:
        for b, b_rom, b_w in chars:
            if a == b:
                continue
            x, y = a_rom[0], b_rom[0]
            x = x.capitalize()
            romanised = (f"{x}{y}", f"{x} {y.capitalize()}", f"{x}-{y}")
            parts.append(NamePart(a + b, romanised, (), None, gender, a_w * b_w / pair_total * 0.65))
    return parts


@cache
def given_names(country: str) -> tuple[NamePart, ...]:
    """Given names of both genders, each with its sampling weight."""
    if country in ("US", "DE", "RU"):
        return (*_latin_given(country, "m", name_table(f"{country}_GIVEN_M")),
                *_latin_given(country, "f", name_table(f"{country}_GIVEN_F")))
    if country == "JP":
        return (*_jp_given("m", name_table("JP_GIVEN_M")), *_jp_given("f", name_table("JP_GIVEN_F")))
    if country == "KR":
        return (*_korean_given("m", name_table("KR_FIRST_M"), name_table("KR_SECOND_M")),
                *_korean_given("f", name_table("KR_FIRST_F"), name_table("KR_SECOND_F")))
    if country == "CN":
        return (*_chinese_given("m", name_table("CN_GIVEN_M")),
                *_chinese_given("f", name_table("CN_GIVEN_F")))
    raise ValueError(f"no name table for country {country!r}")


@cache
def family_names(country: str) -> tuple[NamePart, ...]:
    """Family names with their sampling weights (Russian ones in the masculine form; see
    :func:`family_for`)."""
    if country in ("US", "DE", "RU"):
        rows = _entries(name_table(f"{country}_FAMILY"))
        weights = _zipf(len(rows), _ZIPF[country][1])
        return tuple(
            NamePart(n, _ru_romanised(n) if country == "RU" else fold_german(n) if country == "DE" else (),
                     () if country == "RU" else alts, None, None, w)
            for (n, alts), w in zip(rows, weights, strict=True)
        )
    if country == "JP":
        kanji = _kanji_rows(name_table("JP_FAMILY"))
        weights = _zipf(len(kanji), _ZIPF["JP"][1])
        return tuple(NamePart(n, romaji_spellings(k), (), k, None, w)
                     for (n, k), w in zip(kanji, weights, strict=True))
    if country in ("KR", "CN"):
        entries = [e.split(":") for e in dict.fromkeys(name_table(f"{country}_FAMILY"))]
        return tuple(NamePart(n, tuple(r.split(",")), (), None, None, float(pct)) for n, r, pct in entries)
    raise ValueError(f"no name table for country {country!r}")


@cache
def _given_index(country: str) -> dict[str, NamePart]:
    return {p.native: p for p in given_names(country)}


@cache
def _family_index(country: str) -> dict[str, NamePart]:
    """Family names by every form a person carries (Russian feminine forms too)."""
    index: dict[str, NamePart] = {}
    for part in family_names(country):
        for gender in "mf":
            index.setdefault(family_for(part, gender, country).native, part)
    return index


def part_named(country: str, native: str) -> NamePart:
    """The given-name table entry written ``native``."""
    return _given_index(country)[native]


def family_named(country: str, native: str) -> NamePart:
    """The family-name table entry (in its listed form) behind ``native`` as a person carries it."""
    return _family_index(country)[native]


def family_for(part: NamePart, gender: str, country: str) -> NamePart:
    """The family name as this person carries it (gender agreement for Russian)."""
    if country != "RU" or gender != "f":
        return part
    fem = feminine_ru(part.native)
    return NamePart(fem, _ru_romanised(fem))


_LONG_VOWEL = re.compile(r"(?<=[ou])u(?![aeiou])|(?<=o)o(?![aeiou])")


def romaji_spellings(reading: str) -> tuple[str, ...]:
    """Hepburn spellings of a kana reading as people write them: passport (long vowels dropped:
    ``Sato``, ``Ono``), input-method (``Satou``, ``Oono``) and with ``oh`` (``Satoh``, ``Ohno``)."""
    typed = kana.to_romaji(reading)
    passport = _LONG_VOWEL.sub("", typed).replace("'", "")
    oh = re.sub(r"o[ou](?![aeiou])", "oh", typed).replace("'", "")
    return _unique(tuple(s.capitalize() for s in (passport, typed.replace("'", ""), typed, oh)))


def _ranked(rng: random.Random, options: tuple[str, ...]) -> str:
    """Pick a spelling, strongly preferring the first (most common) one."""
    weights = [0.6 / (i + 1) ** 1.5 for i in range(len(options))]
    return rng.choices(options, weights=weights)[0]


def person_forms(rng: random.Random, country: str, given: NamePart, family: NamePart) -> tuple[NameForm, ...]:
    """The spellings one person uses: native first, then kana, nicknames and romanisations."""
    forms = [NameForm("native", given.native, family.native)]
    if given.kana and family.kana:
        forms.append(NameForm("kana", given.kana, family.kana))
    if given.alt_native and rng.random() < 0.5:
        forms.append(NameForm("native", _ranked(rng, given.alt_native), family.native))
    if given.romanised or family.romanised:
        g_options = given.romanised or (given.native,)
        f_options = family.romanised or (family.native,)
        forms.append(NameForm("latin", _ranked(rng, g_options), _ranked(rng, f_options)))
        if rng.random() < 0.45:
            forms.append(NameForm("latin", rng.choice(g_options), rng.choice(f_options)))
    return tuple(dict.fromkeys(forms))


def full_name(rng: random.Random, country: str, form: NameForm) -> str:
    """Render a whole name the way it is typed in that country and script."""
    g, f = form.given, form.family
    r = rng.random()
    if form.script == "kana":
        return f"{f} {g}"
    if country in ("US", "DE"):
        return f"{f}, {g}" if r < 0.12 else f"{g} {f}"
    if form.script == "native":
        if country == "RU":
            return f"{f} {g}" if r < 0.4 else f"{g} {f}"
        if country == "JP":
            return f"{f}{g}" if r < 0.3 else (f"{f}\u3000{g}" if r < 0.4 else f"{f} {g}")
        return f"{f} {g}" if r < 0.1 else f"{f}{g}"
    if r < 0.15 and country in ("JP", "CN", "KR"):
        return f"{f.upper()} {g}"
    return f"{f} {g}" if r < 0.5 else f"{g} {f}"


def is_non_latin(text: str) -> bool:
    """True when the text contains Cyrillic, kana, Hangul or Han characters."""
    return any(ord(c) >= 0x370 and c.isalpha() for c in text)
