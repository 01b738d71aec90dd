"""Per-country names in native script plus the spellings people also use on other records.

A :class:`NamePart` is one given or family name: its native spelling, the kana reading for
Japanese, other native spellings (nicknames, diminutives) and its romanised/ASCII spellings,
most common first. Russian romanisations are derived with three real systems (ICAO passport,
BGN/PCGN, informal "English" spelling), German ones by folding umlauts, Korean ones by the
hyphenated/joined/spaced habits of Revised Romanisation.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from functools import cache

from frontoffice.demo import name_tables as lt
from frontoffice.demo import name_tables_cjk as ct


@dataclass(frozen=True)
class NamePart:
    native: str
    romanised: tuple[str, ...] = ()
    alt_native: tuple[str, ...] = ()
    kana: str | None = None
    gender: str | None = None


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


@cache
def given_names(country: str) -> tuple[NamePart, ...]:
    if country == "US":
        return tuple(NamePart(n, (), alts, None, g) for g, n, alts in lt.US_GIVEN)
    if country == "DE":
        return tuple(NamePart(n, fold_german(n), alts, None, g) for g, n, alts in lt.DE_GIVEN)
    if country == "RU":
        return tuple(
            NamePart(n, _ru_romanised(n) + _diminutives(short), short, None, g) for g, n, short in lt.RU_GIVEN
        )
    if country == "JP":
        return tuple(NamePart(n, rom, (), kana, g) for g, n, kana, rom in ct.JP_GIVEN)
    if country == "KR":
        return tuple(
            NamePart(n, _unique(tuple(s for r in rom for s in korean_spellings(r))), (), None, g)
            for g, n, rom in ct.KR_GIVEN
        )
    if country == "CN":
        return tuple(NamePart(n, rom, (), None, g) for g, n, rom in ct.CN_GIVEN)
    raise ValueError(f"no name table for country {country!r}")


@cache
def family_names(country: str) -> tuple[NamePart, ...]:
    """Family names as listed (Russian ones in the masculine form; see :func:`family_for`)."""
    if country == "US":
        return tuple(NamePart(n, (), alts) for n, alts in lt.US_FAMILY)
    if country == "DE":
        return tuple(NamePart(n, fold_german(n), alts) for n, alts in lt.DE_FAMILY)
    if country == "RU":
        return tuple(NamePart(n, _ru_romanised(n)) for n, _ in lt.RU_FAMILY)
    if country == "JP":
        return tuple(NamePart(n, rom, (), kana) for n, kana, rom in ct.JP_FAMILY)
    if country == "KR":
        return tuple(NamePart(n, rom) for n, rom in ct.KR_FAMILY)
    if country == "CN":
        return tuple(NamePart(n, rom) for n, rom in ct.CN_FAMILY)
    raise ValueError(f"no name table for country {country!r}")


def family_for(part: NamePart, gender: str, country: str) -> NamePart:
    """The family name as this person carries it (gender agreement for Russian)."""
    if country != "RU" or gender != "f":
        return part
    fem = feminine_ru(part.native)
    return NamePart(fem, _ru_romanised(fem))


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
