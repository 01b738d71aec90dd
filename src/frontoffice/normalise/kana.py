"""Kana → Hepburn romaji, with no dictionary: the readings the dictionary gives are in katakana.

Hiragana and katakana (full- and half-width) are read alike. Spelling follows the Hepburn system as
names are romanised on passports, with vowels written as the kana spell them (``さとう`` →
``satou``; folding ``ou``/``oo``/``oh`` is the phonetic key's business):

* ``ー`` repeats the vowel before it (``サトー`` → ``satoo``);
* small ``っ`` doubles the consonant after it (``さっぽろ`` → ``sapporo``), ``tch`` before ``ch``
  (``まっちゃ`` → ``matcha``);
* ``ん`` is ``n``, and ``n'`` before a vowel or ``y`` (``しんいち`` → ``shin'ichi``);
* ``じ``/``ぢ`` are ``ji``, ``ず``/``づ`` are ``zu``, ``を`` is ``o``; small kana after a kana make
  one sound with it (``しゃ`` → ``sha``, ``ティ`` → ``ti``, ``ファ`` → ``fa``, ``ヴィ`` → ``vi``).

Anything that is not kana is kept as it is.
"""

from __future__ import annotations

import functools
import unicodedata

_SYLLABLES = {
    "あ": "a", "い": "i", "う": "u", "え": "e", "お": "o",
    "か": "ka", "き": "ki", "く": "ku", "け": "ke", "こ": "ko",
    "が": "ga", "ぎ": "gi", "ぐ": "gu", "げ": "ge", "ご": "go",
    "さ": "sa", "し": "shi", "す": "su", "せ": "se", "そ": "so",
    "ざ": "za", "じ": "ji", "ず": "zu", "ぜ": "ze", "ぞ": "zo",
    "た": "ta", "ち": "chi", "つ": "tsu", "て": "te", "と": "to",
    "だ": "da", "ぢ": "ji", "づ": "zu", "で": "de", "ど": "do",
    "な": "na", "に": "ni", "ぬ": "nu", "ね": "ne", "の": "no",
    "は": "ha", "ひ": "hi", "ふ": "fu", "へ": "he", "ほ": "ho",
    "ば": "ba", "び": "bi", "ぶ": "bu", "べ": "be", "ぼ": "bo",
    "ぱ": "pa", "ぴ": "pi", "ぷ": "pu", "ぺ": "pe", "ぽ": "po",
    "ま": "ma", "み": "mi", "む": "mu", "め": "me", "も": "mo",
    "や": "ya", "ゆ": "yu", "よ": "yo",
    "ら": "ra", "り": "ri", "る": "ru", "れ": "re", "ろ": "ro",
    "わ": "wa", "ゐ": "i", "ゑ": "e", "を": "o", "ゔ": "vu",
    "ぁ": "a", "ぃ": "i", "ぅ": "u", "ぇ": "e", "ぉ": "o",
    "ゃ": "ya", "ゅ": "yu", "ょ": "yo", "ゎ": "wa", "ゕ": "ka", "ゖ": "ke",
}  # fmt: skip
"""One kana on its own (katakana are read through their hiragana)."""

_COMBINED = {
    # き + ゃ → kya, し + ゃ → sha, ち + ゃ → cha, じ + ゃ → ja …
    **{
        i_kana + small: onset + vowel
        for i_kana, onset in {
            "き": "ky", "ぎ": "gy", "し": "sh", "じ": "j", "ち": "ch", "ぢ": "j", "に": "ny", "ひ": "hy",
            "び": "by", "ぴ": "py", "み": "my", "り": "ry",
        }.items()
        for small, vowel in (("ゃ", "a"), ("ゅ", "u"), ("ょ", "o"), ("ぇ", "e"))
        if not (small == "ぇ" and onset.endswith("y"))
    },
    # sounds written with small vowels, mostly in katakana
    "ふぁ": "fa", "ふぃ": "fi", "ふぇ": "fe", "ふぉ": "fo", "ふゅ": "fyu",
    "てぃ": "ti", "でぃ": "di", "とぅ": "tu", "どぅ": "du", "てゅ": "tyu", "でゅ": "dyu",
    "うぃ": "wi", "うぇ": "we", "うぉ": "wo", "いぇ": "ye",
    "ゔぁ": "va", "ゔぃ": "vi", "ゔぇ": "ve", "ゔぉ": "vo", "ゔゅ": "vyu",
    "つぁ": "tsa", "つぃ": "tsi", "つぇ": "tse", "つぉ": "tso",
    "くぁ": "kwa", "くぃ": "kwi", "くぇ": "kwe", "くぉ": "kwo", "ぐぁ": "gwa",
    "すぃ": "si", "ずぃ": "zi",
}  # fmt: skip
"""Two kana read as one syllable."""

_VOWELS = "aeiou"
_KATAKANA_TO_HIRAGANA = {code: chr(code - 0x60) for code in range(ord("ァ"), ord("ヶ") + 1)} | {
    ord("ヽ"): "ゝ", ord("ヾ"): "ゞ",
}  # fmt: skip


def is_kana(char: str) -> bool:
    """Hiragana, katakana (half-width too) or the long-vowel mark."""
    return "\u3041" <= char <= "\u309f" or "\u30a0" <= char <= "\u30ff" or "\uff66" <= char <= "\uff9f"


def to_hiragana(text: str) -> str:
    """``ヤマダ`` → ``やまだ``, ``ﾀﾛｳ`` → ``たろう``; anything else as it is."""
    return unicodedata.normalize("NFKC", text).translate(_KATAKANA_TO_HIRAGANA)


@functools.lru_cache(maxsize=1 << 14)
def to_romaji(text: str) -> str:
    """Hepburn romaji of the kana in ``text``, other characters kept: ``やまだ たろう`` →
    ``yamada tarou``, ``ジェシカ`` → ``jeshika``."""
    kana = to_hiragana(text)
    out: list[str] = []
    pending_sokuon = False  # a small っ waiting for the consonant after it
    pending_n = False  # an ん whose spelling depends on what follows
    i = 0
    while i < len(kana):
        char = kana[i]
        pair = kana[i : i + 2]
        if pair in _COMBINED:
            syllable, i = _COMBINED[pair], i + 2
        elif char in _SYLLABLES:
            syllable, i = _SYLLABLES[char], i + 1
        elif char == "ん":
            if pending_n:
                out.append("n")
            pending_sokuon, pending_n, i = False, True, i + 1
            continue
        elif char == "っ":
            if pending_n:
                out.append("n")
            pending_sokuon, pending_n, i = True, False, i + 1
            continue
        elif char == "ー" and out and out[-1] and out[-1][-1] in _VOWELS and not pending_n:
            syllable, i = out[-1][-1], i + 1
        elif char in "ゝゞ" and out:
            # iteration marks: ゝ repeats the kana before it, ゞ voices it
            previous = kana[i - 1]
            voiced = unicodedata.normalize("NFC", previous + "\u3099") if char == "ゞ" else previous
            syllable, i = _SYLLABLES.get(voiced, _SYLLABLES.get(previous, "")), i + 1
        else:
            if pending_n:
                out.append("n")
            pending_sokuon, pending_n = False, False
            if char not in "ー・゛゜":
                out.append(char)
            i += 1
            continue
        if pending_n:
            out.append("n'" if syllable[0] in _VOWELS or syllable[0] == "y" else "n")
        if pending_sokuon and syllable[0] not in _VOWELS:
            out.append("t" if syllable.startswith("ch") else syllable[0])
        pending_sokuon, pending_n = False, False
        out.append(syllable)
    if pending_n:
        out.append("n")
    return "".join(out)
