"""Romanisation of one name token into comparable lower-case ASCII spellings.

Each function returns the spellings of a token, the canonical one first:

* Latin: diacritics folded (anyascii); German umlauts give both ``muller`` and ``mueller``.
* Cyrillic: anyascii (``Алексей`` → ``aleksei``); transliteration habits are left to the phonetic key.
* Japanese kana and kanji: Hepburn (:mod:`.kana`) of SudachiPy's readings, with name readings from
  :mod:`.name_data_jp`.
* Chinese Han: toneless pinyin via pypinyin, surnames read as surnames (曾 → zeng).
* Hangul: Revised Romanisation syllable by syllable, without sound changes across syllables (the
  rule for personal names); surnames in their conventional spelling (김 → kim).
"""

from __future__ import annotations

import functools
import re
import unicodedata

from frontoffice.normalise import _libs
from frontoffice.normalise.name_data import (
    CHINESE_COUNTRIES,
    CN_SURNAME_READINGS,
    CN_SURNAME_SPELLINGS,
    KOREAN_COUNTRIES,
    KR_SURNAMES,
)
from frontoffice.normalise.name_data_jp import JP_NAME_READINGS
from frontoffice.normalise.scripts import KANA, Script, char_script, detect_script, is_japanese

_NOT_LETTER = re.compile(r"[^a-z]")
_CJK = KANA | {Script.HAN, Script.HANGUL}
_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue"})
_RR_CODA = {
    "g": "k", "kk": "k", "gs": "k", "lg": "k", "nj": "n", "nh": "n", "d": "t", "s": "t", "ss": "t",
    "j": "t", "ch": "t", "t": "t", "h": "t", "lm": "m", "lb": "l", "ls": "l", "lt": "l", "lh": "l",
    "lp": "p", "b": "p", "bs": "p",
}
"""Final consonants as Revised Romanisation writes them at the end of a syllable (박 → bak)."""


def letters(text: str) -> str:
    """Lower-case ASCII letters only: what keys are made of."""
    return _NOT_LETTER.sub("", text.lower())


def _unique(items: tuple[str, ...] | list[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(x for x in items if x))


def latin(token: str) -> tuple[str, ...]:
    """``Müller`` → ``muller``, ``mueller``; ``Łódź`` → ``lodz``."""
    folded = letters(_libs.to_ascii(token))
    expanded = letters(_libs.to_ascii(token.translate(_UMLAUTS)))
    return _unique([folded, expanded])


def hangul(token: str) -> str:
    """Revised Romanisation per syllable: ``김민준`` → ``gimminjun``, ``박`` → ``bak``."""
    out: list[str] = []
    for char in token:
        parts = _libs.hangul_parts(char)
        if parts is None:
            out.append(letters(_libs.to_ascii(char)))
            continue
        initial, vowel, final = parts
        initial = "r" if initial == "l" else initial
        out.append(initial + vowel + _RR_CODA.get(final, final))
    return "".join(out)


def korean(token: str, family: bool) -> tuple[str, ...]:
    spellings = KR_SURNAMES.get(token, ()) if family else ()
    return _unique([*spellings, hangul(token)])


def japanese(token: str) -> tuple[str, ...]:
    """Hepburn spellings of a Japanese name: listed name readings, else the dictionary's reading."""
    expanded = _expand_iteration_mark(token)
    readings = JP_NAME_READINGS.get(token) or JP_NAME_READINGS.get(expanded)
    if readings is None:
        hepburn = _libs.japanese_reading(expanded)[1]
        return _unique([letters(hepburn if hepburn.isascii() else _libs.to_ascii(expanded))])
    return _unique([letters(_libs.japanese_reading(r)[1]) for r in readings])


def chinese(token: str, family: bool) -> tuple[str, ...]:
    """Toneless pinyin; ``ü`` as ``u`` first, then ``yu`` and ``v`` (passport and keyboard habits)."""
    head = ""
    if family:
        head = next((s for s in (token[:2], token[:1]) if s in CN_SURNAME_READINGS), "")
    syllables = ([CN_SURNAME_READINGS[head]] if head else []) + list(_libs.pinyin(token[len(head) :]))
    joined = "".join(syllables)
    forms = (_libs.to_ascii(joined), joined.replace("ü", "yu"), joined.replace("ü", "v"))
    return _unique([letters(f) for f in forms])


def _expand_iteration_mark(token: str) -> str:
    """``菜々子`` → ``菜菜子``: 々 repeats the character before it."""
    out: list[str] = []
    for char in token:
        out.append(out[-1] if char == "々" and out else char)
    return "".join(out)


def latin_surname_spellings(key: str, country: str | None) -> tuple[str, ...]:
    """Canonical spellings a Latin surname may stand for in a Korean- or Chinese-speaking country:
    ``gim`` → ``kim`` (KR), ``wong`` → ``wang``, ``huang`` (HK, TW, SG, …). Applied to every token of
    such names, since a name typed in one field may put the surname anywhere."""
    if country in KOREAN_COUNTRIES:
        return _korean_canonical().get(key, ())
    if country in CHINESE_COUNTRIES:
        return _pinyin_for_spelling().get(key, ())
    return ()


@functools.cache
def _korean_canonical() -> dict[str, tuple[str, ...]]:
    found: dict[str, list[str]] = {}
    for spellings in KR_SURNAMES.values():
        for spelling in spellings:
            found.setdefault(spelling, []).append(spellings[0])
    return {k: _unique(v) for k, v in found.items()}


@functools.cache
def _pinyin_for_spelling() -> dict[str, tuple[str, ...]]:
    found: dict[str, list[str]] = {}
    for pinyin_name, spellings in CN_SURNAME_SPELLINGS.items():
        for spelling in spellings:
            found.setdefault(spelling, []).append(pinyin_name)
    return {k: _unique(v) for k, v in found.items()}


@functools.lru_cache(maxsize=1 << 16)
def romanise(token: str, country: str | None, family: bool) -> tuple[Script, tuple[str, ...]]:
    """The script of one name token and its romanised spellings, canonical first."""
    token = unicodedata.normalize("NFKC", token)
    script = detect_script(token)
    if script is Script.NONE:
        return script, ()
    if script in (Script.HIRAGANA, Script.KATAKANA) or (
        script is Script.HAN and (country == "JP" or is_japanese(token))
    ):
        return script, japanese(token)
    if script is Script.HAN:
        spellings = chinese(token, family)
        if country is None:
            spellings = _unique([*spellings, *japanese(token)])
        return script, spellings
    if script is Script.HANGUL:
        return script, korean(token, family)
    if script is Script.LATIN:
        spellings = latin(token)
        return script, _unique([*spellings, *latin_surname_spellings(spellings[0], country)])
    return script, _unique([letters(_libs.to_ascii(token))])


def romanise_text(text: str, country: str | None) -> str:
    """Any text as lower-case ASCII, word breaks kept: for address lines, not names (no name
    readings or surname tables)."""
    out: list[str] = []
    for run in _script_runs(text):
        script = detect_script(run)
        if script in (Script.HIRAGANA, Script.KATAKANA) or (
            script is Script.HAN and (country == "JP" or is_japanese(text))
        ):
            out.append(_libs.japanese_reading(run)[1])
        elif script is Script.HAN:
            out.append(" ".join(_libs.pinyin(run)))
        elif script is Script.HANGUL:
            out.append(" ".join(hangul(word) for word in run.split()))
        else:
            out.append(_libs.to_ascii(run))
    return " ".join(out).lower()


def _script_runs(text: str) -> list[str]:
    """Split text where the script changes (``東京都千代田区1-2`` → ``東京都千代田区``, ``1-2``)."""
    runs: list[str] = []
    current, kind = "", None
    for char in text:
        this = "cjk" if char_script(char) in _CJK else "other"
        if kind is not None and this != kind:
            runs.append(current)
            current = ""
        current, kind = current + char, this
    return [*runs, current] if current else runs
