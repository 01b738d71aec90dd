"""Japanese readings (SudachiPy + our kana table) and the licences of what identity imports."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from frontoffice.normalise import _libs, kana

# Runs in a fresh interpreter: which distributions does frontoffice.identity bring in, once every
# transliteration library has been used (they are imported lazily)?
_PROBE = """
import importlib.metadata as md, json, sys
before = set(sys.modules)
import frontoffice.identity
from frontoffice.normalise import name_keys, split_full_name, street_key
lazy = sorted(m for m in ("sudachipy", "pypinyin", "hangul_romanize", "anyascii") if m in sys.modules)
for given, family, country in (("太郎", "山田", "JP"), ("陽翔", "髙橋", None), ("伟", "王", "CN"),
                               ("민준", "김", "KR"), ("Jürgen", "Müller", "DE"), ("Алексей", "Иванов", "RU")):
    name_keys(given, family, country)
split_full_name("山田太郎", "JP")
street_key("千代田1丁目2-3", "JP")
loaded = {m.split(".")[0] for m in set(sys.modules) - before}
owners = md.packages_distributions()
dists = {}
for module in sorted(loaded):
    for dist in owners.get(module, ()):
        meta = md.metadata(dist)
        dists[dist] = [meta.get("License") or "", meta.get("License-Expression") or "",
                       *[c for c in meta.get_all("Classifier") or () if c.startswith("License")]]
print(json.dumps({"lazy": lazy, "modules": sorted(loaded), "dists": dists}))
"""


@pytest.fixture(scope="module")
def probe() -> dict[str, object]:
    out = subprocess.run([sys.executable, "-c", _PROBE], capture_output=True, text=True, check=True)
    result: dict[str, object] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def _is_gpl(text: str) -> bool:
    upper = text.upper()
    return "GPL" in upper.replace("-", "") or "GENERAL PUBLIC LICENSE" in upper


def test_no_gpl_distribution_is_imported_by_identity(probe: dict[str, object]) -> None:
    dists = probe["dists"]
    assert isinstance(dists, dict)
    assert "sudachipy" in {d.lower() for d in dists}, "the Japanese reader was not exercised"
    gpl = {dist: licences for dist, licences in dists.items() if any(_is_gpl(x) for x in licences)}
    assert gpl == {}
    modules = probe["modules"]
    assert isinstance(modules, list)
    assert "pykakasi" not in modules and "jaconv" not in modules


def test_transliteration_libraries_load_lazily(probe: dict[str, object]) -> None:
    assert probe["lazy"] == []


@pytest.mark.parametrize(
    ("text", "romaji"),
    [
        ("やまだ たろう", "yamada tarou"),
        ("ヤマダ", "yamada"),
        ("ﾔﾏﾀﾞ", "yamada"),
        ("さっぽろ", "sapporo"),
        ("まっちゃ", "matcha"),
        ("しんいち", "shin'ichi"),
        ("ほんや", "hon'ya"),
        ("ぐんま", "gunma"),
        ("かんな", "kanna"),
        ("サトー", "satoo"),
        ("ユーコ", "yuuko"),
        ("しゃ ちゅ じょ", "sha chu jo"),
        ("きょうこ", "kyouko"),
        ("ぢ づ を", "ji zu o"),
        ("ティ ファ ヴィ ジェ ウィ", "ti fa vi je wi"),
        ("ほ1-2", "ho1-2"),
        ("", ""),
    ],
)
def test_kana_to_romaji(text: str, romaji: str) -> None:
    assert kana.to_romaji(text) == romaji


@pytest.mark.parametrize(
    ("text", "hiragana", "romaji"),
    [
        ("山田 太郎", "やまだ たろう", "yamada tarou"),
        ("佐藤", "さとう", "satou"),
        ("清水", "しみず", "shimizu"),
        ("長谷川", "はせがわ", "hasegawa"),
        ("菜々子", "ななこ", "nanako"),
        ("千代田1丁目2-3", "ちよだ1ちょうめ2-3", "chiyoda1choume2-3"),
        ("山田たろう", "やまだたろう", "yamadatarou"),
    ],
)
def test_japanese_reading(text: str, hiragana: str, romaji: str) -> None:
    assert _libs.japanese_reading(text) == (hiragana, romaji)


def test_unreadable_kanji_are_kept() -> None:
    """A character outside the dictionary stays as it is (the caller falls back to anyascii)."""
    hiragana, romaji = _libs.japanese_reading("娜")
    assert hiragana == romaji == "娜"


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("山田太郎", ("山田", "太郎")),
        ("佐藤花子", ("佐藤", "花子")),
        ("山田 太郎", ("山田", "太郎")),
        ("やまだたろう", ("やまだたろう",)),
        ("やまだ たろう", ("やまだ", "たろう")),
    ],
)
def test_japanese_words(text: str, words: tuple[str, ...]) -> None:
    assert _libs.japanese_words(text) == words
