"""Typed access to the transliteration libraries, each imported and set up on first use.

All of them work offline with the data they ship (SudachiPy's dictionary is the
``sudachidict_core`` wheel), and all are under permissive licences (see the test that no GPL
distribution is imported). ``hangul_romanize`` and ``sudachipy`` have no type information, so
they are imported here, and only here, with a type-checker exemption.
"""

from __future__ import annotations

import functools
import re
import threading
import unicodedata
from typing import Any

from frontoffice.normalise import kana
from frontoffice.normalise.scripts import Script, char_script


def to_ascii(text: str) -> str:
    """ASCII transliteration of any script (anyascii): ``Müller`` → ``Muller``, ``Иванов`` → ``Ivanov``."""
    from anyascii import anyascii

    return anyascii(text)


@functools.cache
def _sudachi_dictionary() -> Any:
    """SudachiPy's core dictionary (``sudachidict_core``, shipped inside its wheel), loaded once.

    SudachiPy has no type information (no ``py.typed``), hence ``Any`` and the exemption."""
    from sudachipy import Dictionary  # type: ignore[import-untyped]

    return Dictionary(dict="core")


_tokenizers = threading.local()
_WHITESPACE = re.compile(r"(\s+)")


def _sudachi_tokenizer() -> Any:
    """A split-mode-C tokenizer (longest units: ``山田太郎`` → ``山田``, ``太郎``) for this thread: a
    Sudachi tokenizer is not to be shared between threads, the dictionary is."""
    tokenizer = getattr(_tokenizers, "tokenizer", None)
    if tokenizer is None:
        tokenizer = _sudachi_dictionary().tokenizer("C", fields={"reading_form"})
        _tokenizers.tokenizer = tokenizer
    return tokenizer


def _has_kanji(text: str) -> bool:
    return any(c == "ヶ" or char_script(c) is Script.HAN for c in text)


@functools.lru_cache(maxsize=1 << 14)
def japanese_morphemes(text: str) -> tuple[tuple[str, str], ...]:
    """``(surface, katakana reading)`` of each word of Japanese text as SudachiPy reads it, spaces
    kept as words of their own. Kana is read as written, and text with no kanji is split only at
    spaces, without loading the dictionary; a word the dictionary cannot read (and anything not
    Japanese: Latin, digits, symbols) has itself as its reading."""
    text = unicodedata.normalize("NFKC", text)
    if not _has_kanji(text):
        # kana needs no dictionary, and unspaced kana has no reliable word breaks (やまだたろう)
        return tuple((run, run) for run in _WHITESPACE.split(text) if run)
    out: list[tuple[str, str]] = []
    for morpheme in _sudachi_tokenizer().tokenize(text):
        surface: str = morpheme.surface()
        reading = surface
        if _has_kanji(surface):
            dictionary_reading: str = morpheme.reading_form()
            if dictionary_reading and all(kana.is_kana(c) for c in dictionary_reading):
                reading = dictionary_reading
        out.append((surface, reading))
    return tuple(out)


def japanese_reading(text: str) -> tuple[str, str]:
    """``(hiragana, hepburn)`` of Japanese text as SudachiPy reads it (spaces kept); characters it
    cannot read are kept as they are."""
    reading = "".join(r for _, r in japanese_morphemes(text))
    return kana.to_hiragana(reading), kana.to_romaji(reading)


def japanese_words(text: str) -> tuple[str, ...]:
    """The words SudachiPy splits Japanese text with kanji into (``山田太郎`` → ``山田``, ``太郎``);
    kana-only text is split at spaces only."""
    return tuple(s for s, _ in japanese_morphemes(text) if s.strip())


def pinyin(text: str) -> tuple[str, ...]:
    """Toneless pinyin per character, ``ü`` kept (pypinyin's most common reading)."""
    from pypinyin import Style, lazy_pinyin

    return tuple(lazy_pinyin(text, style=Style.NORMAL, v_to_u=True, errors="default"))


@functools.cache
def _hangul() -> tuple[type, tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    from hangul_romanize import core, rule  # type: ignore[import-untyped]

    syllable: type = core.Syllable
    initials: tuple[str, ...] = tuple(rule.REVISED_INITIALS)
    vowels: tuple[str, ...] = tuple(rule.REVISED_VOWELS)
    finals: tuple[str, ...] = tuple(rule.REVISED_FINALS)
    return syllable, initials, vowels, finals


def hangul_parts(char: str) -> tuple[str, str, str] | None:
    """Revised Romanisation spellings of a Hangul syllable's initial, vowel and final letters as
    written (finals not yet as pronounced); ``None`` for anything that is not a Hangul syllable."""
    syllable_type, initials, vowels, finals = _hangul()
    try:
        syllable = syllable_type(char=char)
    except TypeError:
        return None
    return initials[syllable.initial], vowels[syllable.vowel], finals[syllable.final]
