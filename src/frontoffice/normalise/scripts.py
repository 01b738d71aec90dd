"""Which writing system a name is written in, decided by its letters."""

from __future__ import annotations

from collections import Counter
from enum import StrEnum


class Script(StrEnum):
    LATIN = "latin"
    CYRILLIC = "cyrillic"
    HAN = "han"
    HIRAGANA = "hiragana"
    KATAKANA = "katakana"
    HANGUL = "hangul"
    OTHER = "other"
    NONE = "none"
    """No letters at all (empty, digits, punctuation)."""


_RANGES: tuple[tuple[int, int, Script], ...] = (
    (0x0041, 0x024F, Script.LATIN),
    (0x1E00, 0x1EFF, Script.LATIN),
    (0xFF21, 0xFF5A, Script.LATIN),
    (0x0400, 0x052F, Script.CYRILLIC),
    (0x3040, 0x309F, Script.HIRAGANA),
    (0x30A0, 0x30FF, Script.KATAKANA),
    (0x31F0, 0x31FF, Script.KATAKANA),
    (0xFF66, 0xFF9F, Script.KATAKANA),
    (0x1100, 0x11FF, Script.HANGUL),
    (0x3130, 0x318F, Script.HANGUL),
    (0xAC00, 0xD7AF, Script.HANGUL),
    (0x3400, 0x4DBF, Script.HAN),
    (0x4E00, 0x9FFF, Script.HAN),
    (0xF900, 0xFAFF, Script.HAN),
    (0x20000, 0x2FA1F, Script.HAN),
)
"""``(first, last, script)`` code point ranges; letters outside them are :attr:`Script.OTHER`."""

KANA = frozenset({Script.HIRAGANA, Script.KATAKANA})
JAPANESE_MARKS = frozenset("々〆ヶー")
"""Characters that only occur in Japanese writing (iteration mark, prolonged sound mark)."""


def char_script(char: str) -> Script:
    """The script of one character; :attr:`Script.NONE` for anything that is not a letter."""
    if char in JAPANESE_MARKS:
        return Script.HAN if char in "々〆" else Script.KATAKANA
    if not char.isalpha():
        return Script.NONE
    code = ord(char)
    for first, last, script in _RANGES:
        if first <= code <= last:
            return script
    return Script.OTHER


def scripts_of(text: str) -> Counter[Script]:
    """How many letters of each script ``text`` has."""
    return Counter(s for s in map(char_script, text) if s is not Script.NONE)


def detect_script(text: str) -> Script:
    """The script most of the letters are in; kana wins over Han (kanji with kana is Japanese)."""
    counts = scripts_of(text)
    if not counts:
        return Script.NONE
    kana = [s for s in (Script.HIRAGANA, Script.KATAKANA) if counts[s]]
    if kana and counts[Script.HAN]:
        return max(kana, key=lambda s: counts[s])
    return counts.most_common(1)[0][0]


def is_japanese(text: str) -> bool:
    """True when the text has kana or Japanese-only marks (so Han characters in it are read as Japanese)."""
    return any(char_script(c) in KANA or c in JAPANESE_MARKS for c in text)
