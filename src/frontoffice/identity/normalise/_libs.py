"""Typed access to the transliteration libraries, each imported and set up on first use.

All of them work offline with the data they ship. ``hangul_romanize`` has no type information,
so it is imported here, and only here, with a type-checker exemption.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pykakasi


def to_ascii(text: str) -> str:
    """ASCII transliteration of any script (anyascii): ``Müller`` → ``Muller``, ``Иванов`` → ``Ivanov``."""
    from anyascii import anyascii

    return anyascii(text)


@functools.cache
def _kakasi() -> pykakasi.kakasi:
    import pykakasi

    return pykakasi.kakasi()  # type: ignore[no-untyped-call]


def japanese_reading(text: str) -> tuple[str, str]:
    """``(hiragana, hepburn)`` of Japanese text as pykakasi reads it (spaces kept); characters it
    cannot read are kept as they are."""
    parts = _kakasi().convert(text)
    return "".join(p["hira"] or p["orig"] for p in parts), "".join(p["hepburn"] or p["orig"] for p in parts)


def japanese_words(text: str) -> tuple[str, ...]:
    """The words pykakasi splits Japanese text into (``山田太郎`` → ``山田``, ``太郎``)."""
    return tuple(p["orig"] for p in _kakasi().convert(text) if p["orig"].strip())


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
